import { attributes, type ScimGuide } from './guide.js';

/** OneLogin admin: the SCIM Provisioner with SAML 2.0 (SCIM v2 Enterprise) connector. */
export const onelogin: ScimGuide = {
  id: 'ONELOGIN',
  label: 'OneLogin',
  fieldLabels: { baseUrl: 'SCIM Base URL', token: 'SCIM Bearer Token' },
  steps: [
    {
      title: 'Add the SCIM connector',
      text: 'In OneLogin, go to Applications > Applications and select "Add App". Search for "SCIM Provisioner with SAML (SCIM v2 Enterprise)", select it, give it a display name and select Save. (Its SAML settings can stay empty when your people sign in another way.)',
    },
    {
      title: 'Connect OneLogin to us',
      text: 'On the Configuration tab, paste our base URL into "SCIM Base URL" and the token into "SCIM Bearer Token". Leave "SCIM JSON Template" as it is unless you change the mappings. Select Save, then "Enable" under "API Connection": it should say Enabled.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'Turn on provisioning',
      text: 'On the Provisioning tab, check "Enable provisioning" and choose what OneLogin may do: create, update and delete users. For "When users are deleted in OneLogin", choose Delete or Suspend. Select Save.',
    },
    {
      title: 'Send groups',
      text: 'On the Parameters tab, open Groups and check "Include in User Provisioning". Then, under the Rules tab, add a rule with the action "Set Groups in SCIM Provisioner" from the OneLogin roles or groups whose members should get a role here.',
    },
  ],
  attributes: attributes({
    userName: 'Email',
    'emails[type eq "work"].value': 'Email',
    'name.givenName': 'First Name',
    'name.familyName': 'Last Name',
    active: 'set by OneLogin (suspending the person sends false)',
    externalId: 'set by OneLogin (the OneLogin user id)',
  }),
  groups:
    'Groups reach us through the Groups parameter and the rules that set it; only groups named by a rule are sent.',
  firstPush:
    'Go to Users, open one person, and on their Applications tab add the app. Their provisioning state shows Pending or Provisioned; once it is Provisioned, they appear in the provisioning log and under Users below. Then assign everyone else, by role.',
};
