import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** Any SAML 2.0 identity provider, in the words most of them use. */
export const genericSaml: ProviderGuide = {
  id: 'GENERIC_SAML',
  label: 'Other SAML provider',
  protocol: 'SAML',
  steps: [
    {
      title: 'Create a SAML application',
      text: "In your identity provider's admin console, create a SAML 2.0 application (it may be called a service provider, relying party or custom app). If it can read a service provider's metadata, give it our metadata URL or file and go on to the attributes.",
      values: ['metadataUrl', 'metadataFile'],
    },
    {
      title: 'Or enter our values by hand',
      text: 'Enter our ACS URL as the Assertion Consumer Service (single sign-on, reply or recipient) URL with the HTTP-POST binding, and our entity ID as the audience (SP entity ID). Send the Name ID in the format below. Sign the response, the assertion or both, with SHA-256. If it checks signed requests, give it our certificate.',
      values: ['acsUrl', 'entityId', 'nameIdFormat', 'certificate'],
    },
    {
      title: 'Send the attributes',
      text: "Send the person's email, first name, last name and groups as SAML attributes with exactly the names below.",
      values: ['attributes'],
    },
    {
      title: 'Assign people',
      text: 'Give everyone who should sign in this way access to the new application.',
    },
    {
      title: 'Bring its metadata here',
      text: "Download or copy your identity provider's SAML metadata, and upload or paste it below. Without metadata, enter its entity ID (issuer), single sign-on URL and signing certificate instead. Then save.",
      fields: SAML_FIELDS,
    },
  ],
};
