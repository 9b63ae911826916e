import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** OneLogin administration, the "SAML Custom Connector (Advanced)" app. */
export const onelogin: ProviderGuide = {
  id: 'ONELOGIN',
  label: 'OneLogin',
  protocol: 'SAML',
  steps: [
    {
      title: 'Add the SAML connector',
      text: 'In OneLogin\'s administration, go to Applications > Applications and select "Add App". Search for "SAML Custom Connector (Advanced)", select it, enter a Display Name and select Save.',
    },
    {
      title: 'Fill in the Configuration tab',
      text: 'On the Configuration tab, paste our entity ID into "Audience (EntityID)" and our ACS URL into "Recipient" and "ACS (Consumer) URL". In "ACS (Consumer) URL Validator" enter the ACS URL with ^ before it and $ after it. Set "SAML signature element" to Both, then select Save.',
      values: ['entityId', 'acsUrl'],
    },
    {
      title: 'Add the parameters',
      text: 'On the Parameters tab, set "NameID value" to Email. Select + for each name below, check "Include in SAML assertion", and choose Email, First Name, Last Name, and for groups User Roles (checking "Multi-value parameter").',
      values: ['nameIdFormat', 'attributes'],
    },
    {
      title: 'Give people access',
      text: 'On the Access tab, turn on the roles whose users should sign in through OneLogin (or assign the app to users one by one on Users), then select Save.',
    },
    {
      title: "Bring OneLogin's metadata here",
      text: 'Select "More Actions" > "SAML Metadata" to download the app\'s metadata. Upload that file or paste its XML below, then save.',
      fields: SAML_FIELDS,
    },
  ],
};
