import { describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { ssoConnection } from '../testing/portal-data.js';
import { IDP_MESSAGES } from './idp-input.js';
import type { ConnectionSettings } from './sso-api.js';
import type { TnSsoIdpSettings } from './tn-sso-idp-settings.js';
import './tn-sso-idp-settings.js';

const METADATA = '<?xml version="1.0"?><md:EntityDescriptor entityID="http://www.okta.com/exk1"/>';

async function mountForm(connection = ssoConnection({ saml: null })) {
  const element = await mount('tn-sso-idp-settings', { connection });
  const saved = vi.fn<(settings: ConnectionSettings) => void>();
  element.addEventListener('tn-sso-idp-save', (event) => saved(event.detail));
  return { element, saved };
}

function input(element: TnSsoIdpSettings, id: string) {
  return byTestId<HTMLInputElement>(element, id);
}

async function save(element: TnSsoIdpSettings) {
  byTestId(element, 'sso-idp-save').click();
  await settle(element);
}

describe('<tn-sso-idp-settings>', () => {
  describe('SAML', () => {
    it('sends pasted metadata, trimmed', async () => {
      const { element, saved } = await mountForm();
      typeInto(input(element, 'sso-metadata-xml'), `  ${METADATA}\n`);
      await save(element);
      expect(saved).toHaveBeenCalledWith({ saml: { metadataXml: METADATA } });
    });

    it('reads an uploaded metadata file into the form', async () => {
      const { element, saved } = await mountForm();
      const file = new File([METADATA], 'okta.xml', { type: 'application/xml' });
      const picker = input(element, 'sso-metadata-file');
      Object.defineProperty(picker, 'files', { value: [file] });
      picker.dispatchEvent(new Event('change'));
      await settle(element);
      expect(input(element, 'sso-metadata-xml').value).toBe(METADATA);
      await save(element);
      expect(saved).toHaveBeenCalledWith({ saml: { metadataXml: METADATA } });
    });

    it('refuses what is not metadata at the field, focused, without sending', async () => {
      const { element, saved } = await mountForm();
      typeInto(input(element, 'sso-metadata-xml'), 'https://example.okta.com/metadata');
      await save(element);
      expect(byTestId(element, 'sso-idp-error').textContent).toContain(IDP_MESSAGES.metadataNotXml);
      expect(input(element, 'sso-metadata-xml').getAttribute('aria-invalid')).toBe('true');
      expect(input(element, 'sso-metadata-xml').getAttribute('aria-describedby')).toBe(
        'metadataXml-error',
      );
      expect(focusedIn(element)).toBe(input(element, 'sso-metadata-xml'));
      expect(saved).not.toHaveBeenCalled();
    });

    it('sends the address the metadata is published at, checking it is https', async () => {
      const { element, saved } = await mountForm();
      byTestId(element, 'sso-way-url').click();
      await settle(element);
      typeInto(
        input(element, 'sso-metadata-url'),
        'http://example.okta.com/app/exk1/sso/saml/metadata',
      );
      await save(element);
      expect(byTestId(element, 'sso-idp-error').textContent).toContain(
        IDP_MESSAGES.url('metadata URL'),
      );
      expect(saved).not.toHaveBeenCalled();

      typeInto(
        input(element, 'sso-metadata-url'),
        'https://example.okta.com/app/exk1/sso/saml/metadata',
      );
      await save(element);
      expect(saved).toHaveBeenCalledWith({
        saml: { metadataUrl: 'https://example.okta.com/app/exk1/sso/saml/metadata' },
      });
    });

    it('sends the three fields instead, checking the SSO URL', async () => {
      const { element, saved } = await mountForm();
      byTestId(element, 'sso-way-fields').click();
      await settle(element);
      typeInto(input(element, 'sso-idp-entity-id'), 'http://www.okta.com/exk1');
      typeInto(input(element, 'sso-idp-sso-url'), 'example.okta.com/sso');
      typeInto(input(element, 'sso-idp-certificate'), 'MIIC');
      await save(element);
      expect(byTestId(element, 'sso-idp-error').textContent).toContain(
        IDP_MESSAGES.url('single sign-on URL'),
      );
      expect(focusedIn(element)).toBe(input(element, 'sso-idp-sso-url'));

      typeInto(input(element, 'sso-idp-sso-url'), 'https://example.okta.com/sso');
      await save(element);
      expect(saved).toHaveBeenCalledWith({
        saml: {
          entityId: 'http://www.okta.com/exk1',
          ssoUrl: 'https://example.okta.com/sso',
          certificate: 'MIIC',
        },
      });
    });

    it('shows the server’s refusal at the field until it is edited', async () => {
      const { element } = await mountForm();
      element.refusal = { input: 'metadataXml', message: 'The metadata has no IDPSSODescriptor.' };
      await settle(element);
      expect(byTestId(element, 'sso-idp-error').textContent).toContain('no IDPSSODescriptor');
      typeInto(input(element, 'sso-metadata-xml'), METADATA);
      await settle(element);
      expect(queryTestId(element, 'sso-idp-error')).toBeNull();
    });

    it('says what is saved now', async () => {
      const { element } = await mountForm(ssoConnection());
      expect(byTestId(element, 'sso-idp-current').textContent).toContain(
        'https://example.okta.com/app/exk1/sso/saml',
      );
      await expectAccessible(element);
    });
  });

  describe('OIDC', () => {
    const oidc = ssoConnection({
      protocol: 'OIDC',
      provider: 'GENERIC_OIDC',
      saml: null,
      oidc: { issuer: 'https://idp.example.com', clientId: 'portal', hasClientSecret: true },
    });

    it('keeps the stored secret when the field is left empty', async () => {
      const { element, saved } = await mountForm(oidc);
      expect(byTestId(element, 'sso-idp-current').textContent).toContain(
        'a client secret (never shown)',
      );
      typeInto(input(element, 'sso-oidc-issuer'), 'https://idp.example.com/');
      typeInto(input(element, 'sso-oidc-client-id'), 'portal');
      await save(element);
      expect(saved).toHaveBeenCalledWith({
        oidc: { issuer: 'https://idp.example.com/', clientId: 'portal' },
      });
      expect(input(element, 'sso-oidc-client-secret').type).toBe('password');
    });

    it('asks for a secret when none is stored', async () => {
      const { element, saved } = await mountForm({ ...oidc, oidc: null });
      typeInto(input(element, 'sso-oidc-issuer'), 'https://idp.example.com');
      typeInto(input(element, 'sso-oidc-client-id'), 'portal');
      await save(element);
      expect(byTestId(element, 'sso-idp-error').textContent).toContain('Enter the client secret.');
      expect(saved).not.toHaveBeenCalled();
      await expectAccessible(element);
    });
  });
});
