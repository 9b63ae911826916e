import { OIDC_FIELDS, type ProviderGuide } from './guide.js';

/** Any OpenID Connect provider: a confidential web client with the authorization code flow. */
export const genericOidc: ProviderGuide = {
  id: 'GENERIC_OIDC',
  label: 'Other OpenID Connect provider',
  protocol: 'OIDC',
  steps: [
    {
      title: 'Register a web application',
      text: 'In your identity provider\'s admin console, register a new OpenID Connect application of the "web" kind (a confidential client with a client secret) that uses the authorization code flow.',
    },
    {
      title: 'Add our redirect URI',
      text: 'Add our redirect URI to its allowed redirect (callback or sign-in redirect) URIs, exactly as shown.',
      values: ['redirectUri'],
    },
    {
      title: 'Send the claims',
      text: "Allow the scopes openid, email and profile. We read the claims named below from the ID token; add a groups claim if people's groups should come along.",
      values: ['attributes'],
    },
    {
      title: 'Assign people',
      text: 'Give everyone who should sign in this way access to the new application.',
    },
    {
      title: 'Bring its details here',
      text: 'Copy the issuer (the address before /.well-known/openid-configuration), the client ID and the client secret, and enter them below. Then save.',
      fields: OIDC_FIELDS,
    },
  ],
};
