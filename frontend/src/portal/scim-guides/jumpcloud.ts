import { attributes, type ScimGuide } from './guide.js';

/** JumpCloud Admin Portal: an SSO application's Identity Management (SCIM 2.0). */
export const jumpcloud: ScimGuide = {
  id: 'JUMPCLOUD',
  label: 'JumpCloud',
  fieldLabels: { baseUrl: 'Base URL', token: 'Token Key' },
  steps: [
    {
      title: 'Open the application',
      text: 'In the JumpCloud Admin Portal, go to SSO Applications and open the app your people sign in with (or select "+ Add New Application" and create a custom application first).',
    },
    {
      title: 'Connect JumpCloud to us',
      text: 'On the Identity Management tab, choose "SCIM 2.0" as the API type. Paste our base URL into "Base URL" and the token into "Token Key", and enter a test user\'s email if asked. Select "Test Connection"; when it succeeds, select Activate, then Save.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'Send groups',
      text: 'Still on Identity Management, turn on "Group Management" so JumpCloud pushes the user groups bound to the app and their members. Select Save.',
    },
    {
      title: 'Bind user groups',
      text: 'On the User Groups tab of the application, check the groups whose members should have access and select Save. Members of those groups are provisioned.',
    },
  ],
  attributes: attributes({
    userName: 'email',
    'emails[type eq "work"].value': 'email',
    'name.givenName': 'firstname',
    'name.familyName': 'lastname',
    active: 'set by JumpCloud (suspending or unbinding the person sends false)',
    externalId: 'set by JumpCloud (the JumpCloud user id)',
  }),
  groups:
    'With Group Management on, the user groups bound to the app are pushed with their members; JumpCloud names them as in its User Groups.',
  firstPush:
    'Bind one small user group first and select Save: JumpCloud provisions its members at once. They appear in the provisioning log and under Users below; then bind the rest.',
};
