import { describe, expect, it } from 'vitest';
import { ssoConnection } from '../testing/portal-data.js';
import {
  certificateExpirySentence,
  connectionStatusSentence,
  firstCertificateExpiry,
  hasIdpSettings,
} from './sso-status.js';

describe('a connection in words', () => {
  it('says what to do next in each status', () => {
    expect(connectionStatusSentence(ssoConnection({ saml: null }))).toContain(
      "save the identity provider's settings, then test it",
    );
    expect(connectionStatusSentence(ssoConnection())).toBe(
      'Nobody signs in through it yet. Test it, then enable it.',
    );
    expect(
      connectionStatusSentence(
        ssoConnection({ status: 'TESTED', testedWithCurrentSettings: true }),
      ),
    ).toContain('Enable it');
    expect(connectionStatusSentence(ssoConnection({ status: 'TESTED' }))).toContain(
      'Test it again before enabling it',
    );
    expect(connectionStatusSentence(ssoConnection({ status: 'ACTIVE' }))).toContain(
      'sign in through it',
    );
    expect(connectionStatusSentence(ssoConnection({ status: 'DISABLED' }))).toContain(
      'Nobody signs in',
    );
  });

  it('knows when the identity provider’s side is filled in, for SAML and for OIDC', () => {
    expect(hasIdpSettings(ssoConnection())).toBe(true);
    expect(hasIdpSettings(ssoConnection({ saml: null }))).toBe(false);
    const oidc = { protocol: 'OIDC' as const, provider: 'GENERIC_OIDC' as const, saml: null };
    expect(
      hasIdpSettings(
        ssoConnection({
          ...oidc,
          oidc: { issuer: 'https://i', clientId: 'c', hasClientSecret: false },
        }),
      ),
    ).toBe(false);
    expect(
      hasIdpSettings(
        ssoConnection({
          ...oidc,
          oidc: { issuer: 'https://i', clientId: 'c', hasClientSecret: true },
        }),
      ),
    ).toBe(true);
  });

  it('names the IdP certificate that expires first, and whether it already has', () => {
    const saml = {
      entityId: 'e',
      ssoUrl: 'https://s',
      certificates: [
        { fingerprintSha256: 'B', notValidAfter: '2031-01-02T00:00:00+00:00' },
        { fingerprintSha256: 'A', notValidAfter: '2027-05-01T00:00:00+00:00' },
      ],
    };
    expect(firstCertificateExpiry(ssoConnection({ saml }))).toBe('2027-05-01T00:00:00+00:00');
    expect(firstCertificateExpiry(ssoConnection({ saml: null }))).toBeNull();
    const now = new Date('2028-01-01T00:00:00Z');
    expect(certificateExpirySentence('2027-05-01T00:00:00+00:00', now)).toMatch(
      /certificate expired on /,
    );
    expect(certificateExpirySentence('2031-01-02T00:00:00+00:00', now)).toMatch(
      /certificate expires on /,
    );
  });
});
