/**
 * What an admin types or uploads for an identity provider, checked before it is sent: present,
 * no control characters or lone surrogates, not absurdly long, and URLs that are URLs. The
 * server checks again and says what it cannot use (METADATA_INVALID, INVALID_INPUT).
 */

/** Largest metadata document accepted here; real ones are a few kilobytes. */
export const METADATA_MAX_CHARS = 1_000_000;
export const VALUE_MAX_CHARS = 2048;

export const IDP_MESSAGES = {
  metadataMissing: "Paste the identity provider's metadata XML, or upload its file.",
  metadataNotXml:
    'This does not look like SAML metadata: it should start with <?xml or <EntityDescriptor.',
  metadataTooLong: 'This file is too large to be SAML metadata (over 1 MB).',
  fileUnreadable: 'The file could not be read. Choose the metadata file again.',
  required: (what: string) => `Enter the ${what}.`,
  tooLong: (what: string) => `The ${what} is too long.`,
  control: (what: string) =>
    `The ${what} contains characters that cannot be typed, such as control characters.`,
  url: (what: string) =>
    `The ${what} must be an https address, such as https://idp.example.com/sso.`,
} as const;

/**
 * Whether `value` holds what nobody types: control characters other than tab, line feed and
 * carriage return, or a lone UTF-16 surrogate.
 */
export function hasUntypable(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f)
      return true;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      index++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** Why `value` (already trimmed) cannot be sent as the `what`, or null. */
export function textProblem(value: string, what: string, max = VALUE_MAX_CHARS): string | null {
  if (!value) return IDP_MESSAGES.required(what);
  if (value.length > max) return IDP_MESSAGES.tooLong(what);
  if (hasUntypable(value)) return IDP_MESSAGES.control(what);
  return null;
}

/** Why `value` cannot be sent as an https URL (http only on this computer, for tests), or null. */
export function urlProblem(value: string, what: string): string | null {
  const problem = textProblem(value, what);
  if (problem) return problem;
  try {
    const url = new URL(value);
    const local =
      url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || local ? null : IDP_MESSAGES.url(what);
  } catch {
    return IDP_MESSAGES.url(what);
  }
}

/** Why `xml` cannot be sent as SAML metadata, or null. */
export function metadataProblem(xml: string): string | null {
  if (!xml) return IDP_MESSAGES.metadataMissing;
  if (xml.length > METADATA_MAX_CHARS) return IDP_MESSAGES.metadataTooLong;
  if (hasUntypable(xml)) return IDP_MESSAGES.control('metadata');
  if (!xml.startsWith('<')) return IDP_MESSAGES.metadataNotXml;
  return null;
}
