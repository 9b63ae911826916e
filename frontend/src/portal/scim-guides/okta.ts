import { attributes, type ScimGuide } from './guide.js';

/** Okta Admin Console: an app integration with SCIM provisioning. */
export const okta: ScimGuide = {
  id: 'OKTA',
  label: 'Okta',
  fieldLabels: { baseUrl: 'SCIM connector base URL', token: 'Bearer token' },
  steps: [
    {
      title: 'Turn on SCIM for the app',
      text: 'In the Okta Admin Console, go to Applications > Applications and open the app your people sign in with (or select "Create App Integration" for a new one). On its General tab, under App Settings, select Edit, set Provisioning to SCIM and select Save. A Provisioning tab appears.',
    },
    {
      title: 'Connect Okta to us',
      text: 'On the Provisioning tab, under Integration, select Edit. Paste our base URL into "SCIM connector base URL" and enter userName as "Unique identifier field for users". Under "Supported provisioning actions" check Push New Users, Push Profile Updates and Push Groups. Set "Authentication Mode" to HTTP Header and paste the token as the Bearer token under Authorization. Select "Test Connector Configuration", then Save.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'Choose what Okta changes here',
      text: 'Still on the Provisioning tab, select To App, then Edit. Enable Create Users, Update User Attributes and Deactivate Users, and select Save. Under the attribute mappings below it, check the mappings listed on this page.',
    },
    {
      title: 'Push the groups that give roles',
      text: 'On the Push Groups tab, select "+ Push Groups" > "Find groups by name", pick each group whose members should get a role here, keep "Push group memberships immediately" checked and select Save. Pushed groups appear in the role mapping below.',
    },
  ],
  attributes: attributes({
    userName: 'user.email (Okta username: Email)',
    'emails[type eq "work"].value': 'user.email',
    'name.givenName': 'user.firstName',
    'name.familyName': 'user.lastName',
    active: 'set by Okta (deactivating the person sends false)',
    externalId: 'set by Okta (the Okta user id)',
  }),
  groups:
    'Groups arrive through the Push Groups tab: only pushed groups and their members reach us, not every group a person is in.',
  firstPush:
    'On the Assignments tab, select Assign > "Assign to People" or "Assign to Groups" and add one person first. Okta creates them here within a minute: they appear in the provisioning log and under Users below. Then assign everyone else and push the groups.',
};
