/**
 * The shape of a per-provider SCIM guide: numbered steps in the provider's own words (the menu
 * names its admin sees), which of our values each step pastes there, the attributes to map and
 * how to run the first push. One file per provider keeps a new provider one file (listed in
 * index.ts).
 */

/** The identity providers a directory can be made for, as the SDL's `DirectoryProvider` names them. */
export type ScimProvider =
  | 'OKTA'
  | 'ENTRA_ID'
  | 'ONELOGIN'
  | 'JUMPCLOUD'
  | 'GOOGLE_WORKSPACE'
  | 'GENERIC';

/** A value the identity provider needs from us: the SCIM base URL, or the bearer token. */
export type ScimValue = 'baseUrl' | 'token';

export interface ScimGuideStep {
  title: string;
  /** What to do there, naming the provider's menus and labels as its console shows them. */
  text: string;
  /** Our values this step pastes, each shown with the provider's own label for its field. */
  values?: readonly ScimValue[];
}

/** One SCIM attribute we read, and what the provider should send in it. */
export interface AttributeMapping {
  /** The SCIM attribute, as the provider's mapping screen names it. */
  scim: string;
  /** The provider's own attribute (or expression) to map to it. */
  source: string;
  /** Why we need it, in a few words. */
  purpose: string;
}

export interface ScimGuide {
  id: ScimProvider;
  /** The provider's name, as on the "Which identity provider do you use?" buttons. */
  label: string;
  /** The provider's labels for the fields our base URL and token go in. */
  fieldLabels: Readonly<Record<ScimValue, string>>;
  /** Said first and plainly, when the provider only provisions in some cases. */
  caveat?: string;
  steps: readonly ScimGuideStep[];
  attributes: readonly AttributeMapping[];
  /** How groups reach us, in the provider's words. */
  groups: string;
  /** How to run and check the first push. */
  firstPush: string;
}

/** What each attribute is for; every guide maps these six. */
export const ATTRIBUTE_PURPOSES: Readonly<Record<string, string>> = {
  userName: 'the sign-in email; must be unique',
  'emails[type eq "work"].value': 'the work email',
  'name.givenName': 'first name',
  'name.familyName': 'last name',
  active: 'false suspends the person',
  externalId: 'the provider’s own id, kept across renames',
};

/** The six attributes in the order guides list them, with each provider's source. */
export function attributes(sources: Readonly<Record<string, string>>): AttributeMapping[] {
  return Object.entries(ATTRIBUTE_PURPOSES).map(([scim, purpose]) => {
    const source = sources[scim];
    if (!source) throw new Error(`No source for ${scim}`);
    return { scim, source, purpose };
  });
}
