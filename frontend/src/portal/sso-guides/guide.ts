/**
 * The shape of a per-provider set-up guide: numbered steps in the provider's own words (the menu
 * names its admin sees), the values of ours each step pastes there, and the fields to fill back
 * here. One file per provider keeps a new provider one file (listed in index.ts).
 */
import type { ConnectionProtocol, IdentityProvider } from '../sso-api.js';

/**
 * A value the identity provider needs from us, shown with a copy button:
 * `metadataFile` is our metadata XML as a download, `attributes` the attribute names we read.
 */
export type SpValue =
  | 'acsUrl'
  | 'entityId'
  | 'metadataUrl'
  | 'metadataFile'
  | 'certificate'
  | 'nameIdFormat'
  | 'attributes'
  | 'redirectUri';

/**
 * What the admin brings back from the identity provider: SAML metadata (pasted, uploaded or its URL) or
 * its entity ID, SSO URL and certificate; for OIDC the issuer, client ID and secret.
 */
export type IdpField =
  | 'metadataXml'
  | 'metadataUrl'
  | 'idpEntityId'
  | 'ssoUrl'
  | 'idpCertificate'
  | 'issuer'
  | 'clientId'
  | 'clientSecret';

export const SAML_FIELDS: readonly IdpField[] = [
  'metadataXml',
  'metadataUrl',
  'idpEntityId',
  'ssoUrl',
  'idpCertificate',
];
export const OIDC_FIELDS: readonly IdpField[] = ['issuer', 'clientId', 'clientSecret'];

export interface GuideStep {
  title: string;
  /** What to do there, naming the provider's menus and labels as its console shows them. */
  text: string;
  values?: readonly SpValue[];
  fields?: readonly IdpField[];
}

export interface ProviderGuide {
  id: IdentityProvider;
  /** The provider's name, as on the "Which identity provider do you use?" buttons. */
  label: string;
  protocol: ConnectionProtocol;
  steps: readonly GuideStep[];
}
