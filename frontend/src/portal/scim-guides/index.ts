/**
 * Every provider's SCIM guide, in the order "Which identity provider do you use?" offers them. A
 * new provider is one file beside this one, listed here.
 */
import { entraId } from './entra-id.js';
import { generic } from './generic.js';
import { googleWorkspace } from './google-workspace.js';
import type { ScimGuide, ScimProvider } from './guide.js';
import { jumpcloud } from './jumpcloud.js';
import { okta } from './okta.js';
import { onelogin } from './onelogin.js';

export type { AttributeMapping, ScimGuide, ScimGuideStep, ScimProvider, ScimValue } from './guide.js';

export const SCIM_GUIDES: readonly ScimGuide[] = [
  okta,
  entraId,
  onelogin,
  jumpcloud,
  googleWorkspace,
  generic,
];

/** The guide for `provider`; every provider the SDL names has one (index.test.ts checks). */
export function scimGuideFor(provider: ScimProvider): ScimGuide {
  const guide = SCIM_GUIDES.find(({ id }) => id === provider);
  if (!guide) throw new Error(`No SCIM guide for ${provider}`);
  return guide;
}
