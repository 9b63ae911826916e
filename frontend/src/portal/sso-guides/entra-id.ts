import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** Microsoft Entra admin center, a non-gallery enterprise application with SAML. */
export const entraId: ProviderGuide = {
  id: 'ENTRA_ID',
  label: 'Microsoft Entra ID',
  protocol: 'SAML',
  steps: [
    {
      title: 'Create an enterprise application',
      text: 'In the Microsoft Entra admin center, go to Identity > Applications > Enterprise applications and select "New application", then "Create your own application". Enter a name, choose "Integrate any other application you don\'t find in the gallery (Non-gallery)" and select Create.',
    },
    {
      title: 'Choose SAML',
      text: 'In the new application, select "Single sign-on" in the menu, then the "SAML" tile.',
    },
    {
      title: 'Fill in the Basic SAML Configuration',
      text: 'In section 1, "Basic SAML Configuration", select Edit. Under "Identifier (Entity ID)" select "Add identifier" and paste our entity ID; under "Reply URL (Assertion Consumer Service URL)" select "Add reply URL" and paste our ACS URL. Leave "Sign on URL" empty and select Save.',
      values: ['entityId', 'acsUrl'],
    },
    {
      title: 'Check the Attributes & Claims',
      text: 'In section 2, "Attributes & Claims", select Edit. Set "Unique User Identifier (Name ID)" to user.mail with the name identifier format "Email address". Make sure a claim exists for each name below (user.mail, user.givenname, user.surname), and select "Add a group claim" with "Groups assigned to the application" for the groups.',
      values: ['nameIdFormat', 'attributes'],
    },
    {
      title: 'Assign users and groups',
      text: 'Select "Users and groups" in the application\'s menu, then "Add user/group", and assign everyone who should sign in through Entra ID.',
    },
    {
      title: "Bring Entra ID's metadata here",
      text: 'In section 3, "SAML Certificates", download "Federation Metadata XML". Upload that file or paste its XML below, then save.',
      fields: SAML_FIELDS,
    },
  ],
};
