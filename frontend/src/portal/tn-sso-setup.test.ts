import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  typeInto,
} from '../testing/fixture.js';
import type { FetchMock } from '../testing/fetch-stub.js';
import { sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { passedTest, problem, roles, ssoConnection } from '../testing/portal-data.js';
import type { SsoConnection } from './sso-api.js';
import type { TnSsoSetup } from './tn-sso-setup.js';
import './tn-sso-setup.js';

const MANAGE = ['sk_org_sso_read', 'sk_org_sso_manage'];
const READ = ['sk_org_sso_read'];
const METADATA = '<?xml version="1.0"?><md:EntityDescriptor entityID="http://www.okta.com/exk1"/>';
const draft = ssoConnection({ saml: null });
const tested = ssoConnection({
  status: 'TESTED',
  testedWithCurrentSettings: true,
  lastTest: passedTest(),
});

beforeEach(() => setCsrfMeta());

let server: FetchMock;

async function mountSetup(
  connection: SsoConnection,
  answers: Record<string, Answer | Answer[]> = {},
  permissions: string[] = MANAGE,
): Promise<TnSsoSetup> {
  server = stubGraphQL(answers);
  const element = await mount('tn-sso-setup', {
    organizationId: 'org_1',
    connection,
    roles,
    permissions,
    email: 'ada@example.com',
  });
  await settle(element);
  return element;
}

const text = (host: Element, id: string) =>
  byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

const asConnection = (connection: SsoConnection) => ({ __typename: 'Connection', ...connection });

/** The element inside the setup's shadow root, rendered. */
async function inner<K extends keyof HTMLElementTagNameMap>(element: TnSsoSetup, tag: K) {
  const found = element.shadowRoot!.querySelector(tag)!;
  await settle(found);
  return found;
}

describe('<tn-sso-setup>', () => {
  describe('the guide', () => {
    it('numbers the provider’s steps and shows our real values with copy buttons', async () => {
      const element = await mountSetup(draft);
      const steps = [...element.shadowRoot!.querySelectorAll('[data-testid="sso-step"] h4')];
      expect(steps.map((step) => step.textContent)).toEqual([
        'Create the app integration',
        'Configure SAML',
        'Add the attribute statements',
        'Assign people',
        "Bring Okta's metadata here",
      ]);
      expect(text(element, 'sso-value-acsUrl')).toBe(
        'https://auth.example.com/sso/callback/saml/conn_okta',
      );
      expect(text(element, 'sso-value-entityId')).toBe(
        'https://auth.example.com/sso/saml/conn_okta',
      );
      expect(text(element, 'sso-value-nameIdFormat')).toContain('emailAddress');
      expect(text(element, 'sso-value-attr-groups')).toBe('groups');
      expect(text(element, 'sso-copy-acsUrl')).toBe('Copy the ACS URL (single sign-on URL)');
      await expectAccessible(element);
    });

    it('offers our metadata as a download where the provider reads a file', async () => {
      const element = await mountSetup(ssoConnection({ provider: 'ADFS', name: 'AD FS' }));
      const download = byTestId<HTMLAnchorElement>(element, 'sso-metadata-download');
      expect(download.getAttribute('download')).toBe('ad-fs-service-provider-metadata.xml');
      expect(decodeURIComponent(download.href.split(',')[1])).toBe(
        draft.serviceProvider.metadataXml,
      );
      expect(text(element, 'sso-value-metadataUrl')).toBe(
        'https://auth.example.com/sso/saml/conn_okta',
      );
    });

    it('shows the redirect URI for OIDC', async () => {
      const element = await mountSetup(
        ssoConnection({ protocol: 'OIDC', provider: 'GENERIC_OIDC', saml: null, name: 'Keycloak' }),
      );
      expect(text(element, 'sso-value-redirectUri')).toBe(
        'https://auth.example.com/sso/callback/oidc/conn_okta',
      );
      expect(queryTestId(element, 'sso-value-acsUrl')).toBeNull();
      expect(queryTestId(element, 'sso-rotate')).toBeNull();
    });

    describe('copy buttons', () => {
      const writeText = vi.fn<(text: string) => Promise<void>>();
      beforeEach(() => {
        writeText.mockReset().mockResolvedValue(undefined);
        Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
      });
      afterEach(() => Reflect.deleteProperty(navigator, 'clipboard'));

      it('copy the exact value and say so', async () => {
        const element = await mountSetup(draft);
        byTestId(element, 'sso-copy-entityId').click();
        await settle(element);
        expect(writeText).toHaveBeenCalledWith('https://auth.example.com/sso/saml/conn_okta');
        expect(text(element, 'sso-status')).toBe('Copied the entity ID (audience URI).');
      });

      it('ask people to copy by hand when the browser refuses', async () => {
        writeText.mockRejectedValue(new Error('NotAllowedError'));
        const element = await mountSetup(draft);
        byTestId(element, 'sso-copy-attr-email').click();
        await settle(element);
        expect(text(element, 'error-message')).toContain('Select the text and copy it instead.');
      });
    });
  });

  describe('filling back the identity provider’s settings', () => {
    async function pasteAndSave(element: TnSsoSetup, xml: string) {
      const form = await inner(element, 'tn-sso-idp-settings');
      typeInto(byTestId(form, 'sso-metadata-xml'), xml);
      byTestId(form, 'sso-idp-save').click();
      await settle(element);
      await settle(form);
      return form;
    }

    it('saves pasted metadata and says to test next', async () => {
      const saved = ssoConnection();
      const element = await mountSetup(draft, {
        UpdateConnection: { updateConnection: asConnection(saved) },
      });
      await pasteAndSave(element, METADATA);
      const [sent] = sentNamed(server, 'UpdateConnection');
      expect(sent.variables).toMatchObject({
        connectionId: 'conn_okta',
        input: {
          saml: { metadataXml: METADATA, entityId: null, ssoUrl: null, certificate: null },
          oidc: null,
        },
      });
      expect(text(element, 'sso-status')).toContain('Now test the connection');
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-status'));
      const test = await inner(element, 'tn-sso-test');
      expect(queryTestId(test, 'sso-test-link')).not.toBeNull();
    });

    it('shows METADATA_INVALID at the metadata field', async () => {
      const message = 'The metadata has no signing certificate.';
      const element = await mountSetup(draft, {
        UpdateConnection: { updateConnection: problem('MetadataInvalid', message) },
      });
      const form = await pasteAndSave(element, METADATA);
      expect(text(form, 'sso-idp-error')).toBe(message);
      expect(byTestId(form, 'sso-metadata-xml').getAttribute('aria-invalid')).toBe('true');
      expect(text(element, 'error-message')).toBe(message);
    });
  });

  describe('an OIDC provider', () => {
    it('shows a discovery failure at the issuer field', async () => {
      const message = 'https://idp.example.com/.well-known/openid-configuration answered 404.';
      const oidc = ssoConnection({
        protocol: 'OIDC',
        provider: 'GENERIC_OIDC',
        saml: null,
        oidc: null,
      });
      const element = await mountSetup(oidc, {
        UpdateConnection: { updateConnection: problem('DiscoveryFailed', message) },
      });
      const form = await inner(element, 'tn-sso-idp-settings');
      typeInto(byTestId(form, 'sso-oidc-issuer'), 'https://idp.example.com');
      typeInto(byTestId(form, 'sso-oidc-client-id'), 'portal');
      typeInto(byTestId(form, 'sso-oidc-client-secret'), 's3cret');
      byTestId(form, 'sso-idp-save').click();
      await settle(element);
      await settle(form);
      expect(sentNamed(server, 'UpdateConnection')[0].variables).toMatchObject({
        input: {
          oidc: { issuer: 'https://idp.example.com', clientId: 'portal', clientSecret: 's3cret' },
        },
      });
      expect(text(form, 'sso-idp-error')).toBe(message);
      expect(byTestId(form, 'sso-oidc-issuer').getAttribute('aria-invalid')).toBe('true');
    });
  });

  describe('enabling, disabling, deleting', () => {
    it('keeps Enable disabled until a test with the current settings passed, and says why', async () => {
      const element = await mountSetup(ssoConnection());
      const enable = byTestId<HTMLButtonElement>(element, 'sso-enable');
      expect(enable.disabled).toBe(true);
      expect(enable.getAttribute('aria-describedby')).toBe('enable-hint');
      expect(text(element, 'sso-enable-hint')).toContain(
        'after a successful test with the current settings',
      );
    });

    it('enables a tested connection', async () => {
      const active = { ...tested, status: 'ACTIVE' as const };
      const element = await mountSetup(tested, {
        EnableConnection: { enableConnection: asConnection(active) },
      });
      byTestId(element, 'sso-enable').click();
      await settle(element);
      expect(sentNamed(server, 'EnableConnection')[0].variables).toEqual({
        connectionId: 'conn_okta',
      });
      expect(text(element, 'sso-setup-status')).toBe('Active');
      expect(text(element, 'sso-status')).toContain('is enabled');
      expect(queryTestId(element, 'sso-disable')).not.toBeNull();
    });

    it('explains NOT_TESTED when the server refuses to enable', async () => {
      const message = 'Test the connection with its current settings first.';
      const element = await mountSetup(tested, {
        EnableConnection: { enableConnection: problem('NotTested', message) },
      });
      byTestId(element, 'sso-enable').click();
      await settle(element);
      expect(text(element, 'error-message')).toBe(message);
      expect(focusedIn(element)).toBe(byTestId(element, 'error-message'));
    });

    it('disables an active connection', async () => {
      const active = { ...tested, status: 'ACTIVE' as const };
      const disabled = { ...tested, status: 'DISABLED' as const };
      const element = await mountSetup(active, {
        DisableConnection: { disableConnection: asConnection(disabled) },
      });
      byTestId(element, 'sso-disable').click();
      await settle(element);
      expect(text(element, 'sso-setup-status')).toBe('Disabled');
    });

    it('deletes only after a confirmation that says who is affected', async () => {
      const element = await mountSetup(tested, {
        DeleteConnection: {
          deleteConnection: {
            __typename: 'ConnectionDeleted',
            connection: { id: 'conn_okta', name: 'Okta' },
          },
        },
      });
      const deleted: { id: string; name: string }[] = [];
      element.addEventListener('tn-sso-connection-deleted', (event) => deleted.push(event.detail));
      byTestId(element, 'sso-delete').click();
      await settle(element);
      const group = element.shadowRoot!.querySelector('[role="group"]')!;
      expect(group.textContent).toContain(
        'Delete Okta? People who sign in through Okta can no longer sign in this way',
      );
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-delete-cancel'));
      await expectAccessible(element);

      byTestId(element, 'sso-delete-cancel').click();
      await settle(element);
      expect(sentNamed(server, 'DeleteConnection')).toHaveLength(0);
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-delete'));

      byTestId(element, 'sso-delete').click();
      await settle(element);
      byTestId(element, 'sso-delete-confirm').click();
      await settle(element);
      expect(deleted).toEqual([{ id: 'conn_okta', name: 'Okta' }]);
    });

    it('replaces our certificate after confirmation', async () => {
      const element = await mountSetup(tested, {
        RotateConnectionCertificate: { rotateConnectionCertificate: asConnection(ssoConnection()) },
      });
      byTestId(element, 'sso-rotate').click();
      await settle(element);
      expect(element.shadowRoot!.querySelector('[role="group"]')?.textContent).toContain(
        'Replace our signing certificate? Give Okta the new one',
      );
      byTestId(element, 'sso-rotate-confirm').click();
      await settle(element);
      expect(sentNamed(server, 'RotateConnectionCertificate')).toHaveLength(1);
      expect(sentNamed(server, 'RotateConnectionCertificate')[0].variables).toEqual({
        connectionId: 'conn_okta',
      });
      expect(text(element, 'sso-status')).toContain('test the connection again');
    });
  });

  describe('mapping', () => {
    it('saves a changed attribute and says a new test is needed', async () => {
      const element = await mountSetup(tested, {
        UpdateConnection: { updateConnection: asConnection(ssoConnection()) },
      });
      const mapping = await inner(element, 'tn-sso-mapping');
      typeInto(byTestId(mapping, 'sso-map-email'), 'mail');
      byTestId(mapping, 'sso-mapping-save').click();
      await settle(element);
      expect(sentNamed(server, 'UpdateConnection')[0].variables).toMatchObject({
        input: {
          attributeMapping: { email: 'mail', firstName: null },
          defaultRole: null,
          saml: null,
        },
      });
      expect(text(element, 'sso-status')).toContain('Test the connection again');
    });

    it('shows a role the viewer cannot give at the role field', async () => {
      const element = await mountSetup(tested, {
        UpdateConnection: {
          updateConnection: problem('RoleNotGrantable', 'You cannot give the admin role.', {
            missingPermissions: [],
          }),
        },
      });
      const mapping = await inner(element, 'tn-sso-mapping');
      const select = byTestId<HTMLSelectElement>(mapping, 'sso-default-role');
      select.value = 'admin';
      select.dispatchEvent(new Event('change'));
      byTestId(mapping, 'sso-mapping-save').click();
      await settle(element);
      await settle(mapping);
      expect(text(mapping, 'sso-mapping-error')).toBe('You cannot give the admin role.');
      expect(select.getAttribute('aria-invalid')).toBe('true');
    });
  });

  describe('read-only', () => {
    it('shows the guide, values and mapping without any control', async () => {
      const element = await mountSetup(tested, {}, READ);
      expect(queryTestId(element, 'sso-read-only')).not.toBeNull();
      expect(queryTestId(element, 'sso-value-acsUrl')).not.toBeNull();
      expect(element.shadowRoot!.querySelector('tn-sso-idp-settings')).toBeNull();
      const mapping = await inner(element, 'tn-sso-mapping');
      expect(queryTestId(mapping, 'sso-mapping-save')).toBeNull();
      expect(text(mapping, 'sso-mapping-read-only')).toContain('Email attribute email');
      expect(text(mapping, 'sso-mapping-read-only')).toContain('Role on first sign-in Member');
      for (const id of ['sso-enable', 'sso-disable', 'sso-delete', 'sso-rotate']) {
        expect(queryTestId(element, id)).toBeNull();
      }
      await expectAccessible(element);
    });
  });
});
