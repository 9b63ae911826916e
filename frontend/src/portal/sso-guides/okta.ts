import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** Okta Admin Console, SAML 2.0 app integration. */
export const okta: ProviderGuide = {
  id: 'OKTA',
  label: 'Okta',
  protocol: 'SAML',
  steps: [
    {
      title: 'Create the app integration',
      text: 'In the Okta Admin Console, go to Applications > Applications and select "Create App Integration". Choose "SAML 2.0" and select Next. Under General Settings, enter an App name your people will recognise and select Next.',
    },
    {
      title: 'Configure SAML',
      text: 'Paste our ACS URL into "Single sign-on URL" and keep "Use this for Recipient URL and Destination URL" checked. Paste our entity ID into "Audience URI (SP Entity ID)". Set "Name ID format" to EmailAddress and "Application username" to Email.',
      values: ['acsUrl', 'entityId', 'nameIdFormat'],
    },
    {
      title: 'Add the attribute statements',
      text: 'Under "Attribute Statements", add one row per attribute below, with the Name shown here and the Okta value user.email, user.firstName and user.lastName. Under "Group Attribute Statements", add the groups name with the filter "Matches regex" and .* to send every group. Select Next, choose "This is an internal app that we have created", then Finish.',
      values: ['attributes'],
    },
    {
      title: 'Assign people',
      text: 'On the app\'s Assignments tab, select Assign > "Assign to People" or "Assign to Groups" and add everyone who should sign in through Okta.',
    },
    {
      title: "Bring Okta's metadata here",
      text: 'On the app\'s Sign On tab, under "Metadata details", copy the "Metadata URL" and paste it below as the address its metadata is published at (or open it, save the page as a file and upload that). Then save.',
      fields: SAML_FIELDS,
    },
  ],
};
