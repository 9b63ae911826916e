/**
 * A connection's state in words: its status badge, what it means and what to do next, when its
 * IdP certificate expires, and what to check after each kind of failed test.
 */
import { formatDateTime, isPast } from './dates.js';
import type { ConnectionStatus, SsoConnection } from './sso-api.js';

export const CONNECTION_STATUS_LABELS: Readonly<Record<ConnectionStatus, string>> = {
  DRAFT: 'Draft',
  TESTED: 'Tested',
  ACTIVE: 'Active',
  DISABLED: 'Disabled',
};

export const CONNECTION_STATUS_TONES: Readonly<Record<ConnectionStatus, string>> = {
  DRAFT: '',
  TESTED: '',
  ACTIVE: 'good',
  DISABLED: 'warn',
};

export const PROTOCOL_LABELS = { SAML: 'SAML', OIDC: 'OpenID Connect' } as const;

export const NOT_TESTED_SINCE_CHANGE = 'Not tested since last change';

/** Why Enable is not available yet (also what the server's NOT_TESTED refusal means). */
export const ENABLE_NEEDS_TEST =
  "Enable becomes available after a successful test with the current settings. Save the identity provider's settings, then press Test connection.";

/** Whether the identity provider's side is filled in, so a test can be tried. */
export function hasIdpSettings(connection: SsoConnection): boolean {
  if (connection.protocol === 'OIDC') {
    return Boolean(
      connection.oidc?.issuer && connection.oidc.clientId && connection.oidc.hasClientSecret,
    );
  }
  return Boolean(connection.saml?.ssoUrl);
}

/** What the status means for the admin reading it, and what to do next. */
export function connectionStatusSentence(connection: SsoConnection): string {
  switch (connection.status) {
    case 'DRAFT':
      return hasIdpSettings(connection)
        ? 'Nobody signs in through it yet. Test it, then enable it.'
        : "Nobody signs in through it yet. Follow the guide, save the identity provider's settings, then test it.";
    case 'TESTED':
      return connection.testedWithCurrentSettings
        ? 'The last test with these settings succeeded. Enable it to let people sign in through it.'
        : 'The settings changed after the last successful test. Test it again before enabling it.';
    case 'ACTIVE':
      return 'People at your verified domains sign in through it.';
    case 'DISABLED':
      return 'Nobody signs in through it until it is enabled again.';
  }
}

/** The IdP signing certificate that expires first, or null when none is known. */
export function firstCertificateExpiry(connection: SsoConnection): string | null {
  const dates = (connection.saml?.certificates ?? [])
    .map(({ notValidAfter }) => notValidAfter)
    .sort();
  return dates[0] ?? null;
}

/** "Certificate expires on …" (or "expired on …" once past), for the list and the set-up page. */
export function certificateExpirySentence(expiresAt: string, now: Date = new Date()): string {
  const when = formatDateTime(expiresAt);
  return isPast(expiresAt, now)
    ? `The identity provider's certificate expired on ${when}.`
    : `The identity provider's certificate expires on ${when}.`;
}

/** What to check in the identity provider after a test failed for `reason` (the server's code, lowercased). */
export const TEST_ADVICE: Readonly<Record<string, string>> = {
  malformed: 'Check that the identity provider posts a SAML response to our ACS URL.',
  dtd_forbidden:
    "Ask your identity provider's administrator why its answer carries a DTD; we never accept one.",
  response_not_signed:
    'Turn on signing of the SAML response or of the assertion in the identity provider.',
  signature_invalid:
    "Bring the identity provider's current metadata here again: it may sign with a new certificate.",
  certificate_expired:
    'Renew the signing certificate in the identity provider, then bring its metadata here again.',
  issuer_mismatch:
    'Bring the metadata of the application you set up here again: the entity ID differs.',
  audience_mismatch:
    'Paste our entity ID into the identity provider again, exactly as the guide shows it.',
  recipient_mismatch:
    'Paste our ACS URL into the identity provider again, exactly as the guide shows it.',
  destination_mismatch:
    'Paste our ACS URL into the identity provider again, exactly as the guide shows it.',
  in_response_to_mismatch: 'Start the test again from this page with Test connection.',
  clock_skew: "Check the clock of the identity provider's server: the details show both times.",
  replayed: 'Start the test again from this page with Test connection.',
  idp_error:
    'The details show what the identity provider said; it often means the person is not assigned to the application.',
  missing_email:
    'Add the email attribute, with the name the guide shows, in the identity provider.',
  email_domain_not_verified: 'Verify the domain of that email address on the Domains page first.',
  state_mismatch: 'Start the test again from this page with Test connection, in the same browser.',
  nonce_mismatch: 'Start the test again from this page with Test connection.',
  token_exchange_failed: 'Check the client ID and client secret, then save them again.',
  discovery_failed: 'Check the issuer: its /.well-known/openid-configuration must be reachable.',
  unsolicited:
    "Start the sign-in from this page with Test connection, not from the identity provider's portal.",
  connection_unavailable: 'Check that your organization still has SSO.',
};
