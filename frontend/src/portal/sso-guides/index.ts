/**
 * Every provider's guide, in the order "Which identity provider do you use?" offers them. A new
 * provider is one file beside this one, listed here.
 */
import type { IdentityProvider } from '../sso-api.js';
import { adfs } from './adfs.js';
import { entraId } from './entra-id.js';
import { genericOidc } from './generic-oidc.js';
import { genericSaml } from './generic-saml.js';
import type { ProviderGuide } from './guide.js';
import { googleWorkspace } from './google-workspace.js';
import { jumpcloud } from './jumpcloud.js';
import { okta } from './okta.js';
import { onelogin } from './onelogin.js';
import { ping } from './ping.js';

export type { GuideStep, IdpField, ProviderGuide, SpValue } from './guide.js';

export const GUIDES: readonly ProviderGuide[] = [
  okta,
  entraId,
  googleWorkspace,
  onelogin,
  jumpcloud,
  ping,
  adfs,
  genericSaml,
  genericOidc,
];

/** The guide for `provider`; every provider the SDL names has one (index.test.ts checks). */
export function guideFor(provider: IdentityProvider): ProviderGuide {
  const guide = GUIDES.find(({ id }) => id === provider);
  if (!guide) throw new Error(`No set-up guide for ${provider}`);
  return guide;
}

/** The provider as a sentence names it: "Okta", or "your identity provider" for the generic ones. */
export function providerInSentence(provider: IdentityProvider): string {
  return provider.startsWith('GENERIC_') ? 'your identity provider' : guideFor(provider).label;
}
