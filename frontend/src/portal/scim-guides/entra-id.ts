import { attributes, type ScimGuide } from './guide.js';

/** Microsoft Entra admin center: a non-gallery enterprise application with automatic provisioning. */
export const entraId: ScimGuide = {
  id: 'ENTRA_ID',
  label: 'Microsoft Entra ID',
  fieldLabels: { baseUrl: 'Tenant URL', token: 'Secret Token' },
  steps: [
    {
      title: 'Create the enterprise application',
      text: 'In the Microsoft Entra admin center, go to Identity > Applications > Enterprise applications and select "New application", then "Create your own application". Name it, choose "Integrate any other application you don\'t find in the gallery (Non-gallery)" and select Create. (If your people already sign in through an enterprise application for this app, open that one instead.)',
    },
    {
      title: 'Connect Entra ID to us',
      text: 'In the application, select Provisioning, then "Get started". Set "Provisioning Mode" to Automatic. Under "Admin Credentials", paste our base URL into "Tenant URL" and the token into "Secret Token". Select "Test Connection"; when it succeeds, select Save.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'Check the mappings',
      text: 'Open Mappings. In "Provision Microsoft Entra ID Users", check the attribute mappings listed on this page and remove those we do not read. Keep "Provision Microsoft Entra ID Groups" enabled so groups and their members reach us.',
    },
    {
      title: 'Choose who is provisioned',
      text: 'Under Settings, set Scope to "Sync only assigned users and groups". Then, under "Users and groups" of the application, select "Add user/group" and assign the people and groups that should have access.',
    },
    {
      title: 'Start provisioning',
      text: 'Back in Provisioning, set "Provisioning Status" to On and select Save, or select "Start provisioning". Entra ID then syncs about every 40 minutes.',
    },
  ],
  attributes: attributes({
    userName: 'userPrincipalName (or mail, when it differs from the sign-in email)',
    'emails[type eq "work"].value': 'mail',
    'name.givenName': 'givenName',
    'name.familyName': 'surname',
    active: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
    externalId: 'objectId',
  }),
  groups:
    'Groups assigned to the application are provisioned with their members by "Provision Microsoft Entra ID Groups"; nested groups are not expanded.',
  firstPush:
    'Use "Provision on demand" in the Provisioning page: pick one assigned person and select Provision. The result shows each step; the person appears in the provisioning log and under Users below. The full cycle that follows brings everyone else.',
};
