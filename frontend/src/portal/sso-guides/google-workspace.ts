import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** Google Admin console, a custom SAML app. */
export const googleWorkspace: ProviderGuide = {
  id: 'GOOGLE_WORKSPACE',
  label: 'Google Workspace',
  protocol: 'SAML',
  steps: [
    {
      title: 'Add a custom SAML app',
      text: 'In the Google Admin console (admin.google.com), go to Menu > Apps > Web and mobile apps. Select "Add app" > "Add custom SAML app", enter an App name and select Continue.',
    },
    {
      title: "Bring Google's metadata here",
      text: 'On "Google Identity Provider details", select "Download Metadata" under Option 1. Upload that file or paste its XML below and save; then select Continue in the Admin console.',
      fields: SAML_FIELDS,
    },
    {
      title: 'Enter the service provider details',
      text: 'Paste our ACS URL into "ACS URL" and our entity ID into "Entity ID". Set "Name ID format" to EMAIL and "Name ID" to Basic Information > Primary email, then select Continue.',
      values: ['acsUrl', 'entityId', 'nameIdFormat'],
    },
    {
      title: 'Map the attributes',
      text: 'On "Attribute mapping", select "Add mapping" for each name below: Primary email to the email name, First name and Last name to theirs. Under "Group membership (optional)", pick the Google groups to send and enter the groups name as the "App attribute". Select Finish.',
      values: ['attributes'],
    },
    {
      title: 'Turn the app on',
      text: 'On the app\'s page, select "User access", choose "ON for everyone" (or for the organizational units or groups that should sign in) and select Save. Changes can take a few minutes to reach everyone.',
    },
  ],
};
