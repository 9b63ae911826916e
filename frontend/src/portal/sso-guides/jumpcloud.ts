import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** JumpCloud Admin Portal, a custom SAML application. */
export const jumpcloud: ProviderGuide = {
  id: 'JUMPCLOUD',
  label: 'JumpCloud',
  protocol: 'SAML',
  steps: [
    {
      title: 'Add a custom application',
      text: 'In the JumpCloud Admin Portal, go to User Authentication > SSO Applications and select "+ Add New Application". Choose "Custom Application", select Next, pick "Manage Single Sign-On (SSO)" with "Configure SSO with SAML", enter a Display Label and select "Configure Application".',
    },
    {
      title: 'Fill in the SSO tab',
      text: 'Paste our entity ID into "SP Entity ID" and our ACS URL into "ACS URLs" (the default URL). Set "SAMLSubject NameID" to email and "SAMLSubject NameID Format" to the format below. Under Signature, choose "Sign Assertion".',
      values: ['entityId', 'acsUrl', 'nameIdFormat'],
    },
    {
      title: 'Map the attributes',
      text: 'Under "Attributes", select "Add Attribute" for each name below as the "Service Provider Attribute Name", with the JumpCloud attributes email, firstname and lastname. Check "Include group attribute" and enter the groups name.',
      values: ['attributes'],
    },
    {
      title: 'Choose who signs in',
      text: 'On the "User Groups" tab, check the groups whose people should sign in through JumpCloud, then select "activate" (or save).',
    },
    {
      title: "Bring JumpCloud's metadata here",
      text: 'Open the application again and select "Export Metadata" on its SSO tab. Upload that file or paste its XML below, then save.',
      fields: SAML_FIELDS,
    },
  ],
};
