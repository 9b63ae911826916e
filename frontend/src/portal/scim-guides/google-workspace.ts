import { attributes, type ScimGuide } from './guide.js';

/** Google Admin console: auto-provisioning, which Google offers only for apps in its catalog. */
export const googleWorkspace: ScimGuide = {
  id: 'GOOGLE_WORKSPACE',
  label: 'Google Workspace',
  fieldLabels: { baseUrl: 'Endpoint URL', token: 'Access token' },
  caveat:
    'Google Workspace pushes users to an app only when the app is one of the supported apps in Google\'s own catalog; you cannot point it at any SCIM address yourself. If your app has no "Auto-provisioning" section in the Admin console, choose "Other (SCIM 2.0)" instead and connect Google Workspace through a provisioning connector that reads your Google directory and speaks SCIM 2.0.',
  steps: [
    {
      title: 'Find the app',
      text: 'In the Google Admin console, go to Apps > Web and mobile apps and open the app. If it is not listed, select "Add app" > "Search for apps" and add it from the catalog.',
    },
    {
      title: 'Check that it supports auto-provisioning',
      text: 'On the app\'s page, look for the "Auto-provisioning" section. If there is none, Google cannot provision this app: stop here and use a connector with "Other (SCIM 2.0)".',
    },
    {
      title: 'Connect Google to us',
      text: 'Open "Auto-provisioning" and select "Set up auto-provisioning". Where Google asks for the app\'s endpoint and access token, paste our base URL and the token. Select Continue.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'Map the attributes and choose who',
      text: 'Map the attributes listed on this page, select Continue, then choose the groups whose members are provisioned (the provisioning scope). Select Finish and turn the "Auto-provisioning" switch On.',
    },
  ],
  attributes: attributes({
    userName: 'Primary email',
    'emails[type eq "work"].value': 'Primary email',
    'name.givenName': 'First name',
    'name.familyName': 'Last name',
    active: 'set by Google (suspending the person sends false)',
    externalId: 'set by Google (the Google user id)',
  }),
  groups:
    'Google provisions the members of the groups in the provisioning scope; whether it also pushes the groups themselves depends on the app. Without pushed groups, the role mapping below has nothing to offer and everyone gets the default role.',
  firstPush:
    'Put one person in a group of the provisioning scope first. Google provisions within about an hour; they then appear in the provisioning log and under Users below.',
};
