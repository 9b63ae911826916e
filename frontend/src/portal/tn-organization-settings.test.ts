import { beforeEach, describe, expect, it } from 'vitest';
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
import { deferred, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { ALL_PERMISSIONS, problem } from '../testing/portal-data.js';
import {
  SETTINGS_MESSAGES,
  normalizeDomain,
  type TnOrganizationSettings,
} from './tn-organization-settings.js';
import './tn-organization-settings.js';

const settings = {
  id: 'org_1',
  name: 'Coffee Roasters',
  allowedEmailDomains: ['coffee.example'],
  features: [] as string[],
};

beforeEach(() => setCsrfMeta());

async function mountSettings(permissions = ALL_PERMISSIONS): Promise<TnOrganizationSettings> {
  const element = await mount('tn-organization-settings', { organizationId: 'org_1', permissions });
  await settle(element);
  return element;
}

async function addDomain(element: TnOrganizationSettings, domain: string): Promise<void> {
  typeInto(byTestId(element, 'domain-input'), domain);
  byTestId(element, 'domain-add').click();
  await settle(element);
}

function listedDomains(element: TnOrganizationSettings): string[] {
  return [...element.shadowRoot!.querySelectorAll('[data-testid^="domain-remove-"]')].map(
    (button) => button.getAttribute('data-testid')!.replace('domain-remove-', ''),
  );
}

async function save(element: TnOrganizationSettings): Promise<void> {
  byTestId(element, 'org-save').click();
  await settle(element);
}

describe('<tn-organization-settings>', () => {
  describe('reading', () => {
    it("asks for the active organization's settings by id", async () => {
      const fetch = stubGraphQL({ OrganizationSettings: { organization: settings } });
      await mountSettings();

      expect(sentNamed(fetch, 'OrganizationSettings')[0].variables).toEqual({
        organizationId: 'org_1',
      });
    });

    it('shows the settings read-only without sk_org_settings_manage', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings(['sk_org_settings_read']);

      expect(byTestId(element, 'org-name').textContent).toBe('Coffee Roasters');
      expect(byTestId(element, 'org-domains').textContent?.trim()).toBe('coffee.example');
      expect(queryTestId(element, 'org-name-input')).toBeNull();
      expect(queryTestId(element, 'org-save')).toBeNull();
    });

    it('passes the accessibility checks read-only', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      await expectAccessible(await mountSettings(['sk_org_settings_read']));
    });
  });

  describe('editing', () => {
    it('fills the form with sk_org_settings_manage', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();

      expect(byTestId<HTMLInputElement>(element, 'org-name-input').value).toBe('Coffee Roasters');
      expect(listedDomains(element)).toEqual(['coffee.example']);
      expect(byTestId(element, 'domain-remove-coffee.example').getAttribute('aria-label')).toBe(
        'Remove coffee.example',
      );
    });

    it('adds a domain in the form the server stores, and keeps focus in the domain field', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      await addDomain(element, ' @Tea.Example. ');

      expect(listedDomains(element)).toEqual(['coffee.example', 'tea.example']);
      expect(byTestId<HTMLInputElement>(element, 'domain-input').value).toBe('');
      expect(focusedIn(element)).toBe(byTestId(element, 'domain-input'));
    });

    it('adds a domain with Enter instead of submitting the form', async () => {
      const fetch = stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      const input = byTestId<HTMLInputElement>(element, 'domain-input');
      typeInto(input, 'tea.example');
      input.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
      );
      await settle(element);

      expect(listedDomains(element)).toContain('tea.example');
      expect(sentNamed(fetch, 'UpdateOrganization')).toHaveLength(0);
    });

    it.each([
      ['not a domain', SETTINGS_MESSAGES.domain],
      ['coffee.example', SETTINGS_MESSAGES.duplicate('coffee.example')],
    ])('refuses %s next to the field', async (domain, message) => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      await addDomain(element, domain);

      expect(byTestId(element, 'domain-input-error').textContent?.trim()).toBe(message);
      expect(byTestId(element, 'domain-input').getAttribute('aria-invalid')).toBe('true');
      expect(listedDomains(element)).toEqual(['coffee.example']);
    });

    it('removes a domain and moves focus to the domain field', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      byTestId(element, 'domain-remove-coffee.example').click();
      await settle(element);

      expect(listedDomains(element)).toEqual([]);
      expect(byTestId(element, 'domains-empty')).toBeTruthy();
      expect(focusedIn(element)).toBe(byTestId(element, 'domain-input'));
    });

    it('passes the accessibility checks while editing', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      await expectAccessible(await mountSettings());
    });
  });

  describe('unsaved changes', () => {
    it('marks an added domain "Not saved yet" and says what is unsaved beside Save', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      expect(queryTestId(element, 'org-unsaved')).toBeNull();
      await addDomain(element, 'tea.example');

      expect(byTestId(element, 'domain-unsaved-tea.example').textContent?.trim()).toBe(
        'Not saved yet',
      );
      expect(queryTestId(element, 'domain-unsaved-coffee.example')).toBeNull();
      const note = byTestId(element, 'org-unsaved');
      expect(note.textContent).toBe('Unsaved changes: 1 domain added. Save changes to apply them.');
      expect(byTestId(element, 'org-save').getAttribute('aria-describedby')).toBe(note.id);
    });

    it('counts a changed name and removed domains too, and clears once saved', async () => {
      const fetch = stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: {
          updateOrganization: {
            __typename: 'Organization',
            ...settings,
            name: 'Tea',
            allowedEmailDomains: [],
          },
        },
      });
      const element = await mountSettings();
      typeInto(byTestId(element, 'org-name-input'), 'Tea');
      byTestId(element, 'domain-remove-coffee.example').click();
      await settle(element);
      expect(byTestId(element, 'org-unsaved').textContent).toBe(
        'Unsaved changes: the name changed and 1 domain removed. Save changes to apply them.',
      );

      await save(element);
      expect(sentNamed(fetch, 'UpdateOrganization')).toHaveLength(1);
      expect(queryTestId(element, 'org-unsaved')).toBeNull();
    });
  });

  describe('allowed and verified domains', () => {
    it('explains the allowed domains and links to Domains when the organization verifies domains', async () => {
      stubGraphQL({
        OrganizationSettings: { organization: { ...settings, features: ['DOMAIN_VERIFICATION'] } },
      });
      const element = await mountSettings();

      expect(element.shadowRoot!.textContent).toContain('can join your organization');
      expect(byTestId(element, 'link-domains').getAttribute('href')).toBe('/ui/domains');
    });

    it('has no link to Domains without domain verification', async () => {
      stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings(['sk_org_settings_read']);

      expect(element.shadowRoot!.textContent).toContain('can join your organization');
      expect(queryTestId(element, 'link-domains')).toBeNull();
    });

    it('shows placeholders and a status while loading', async () => {
      stubGraphQL({ OrganizationSettings: deferred().answer });
      const element = await mount('tn-organization-settings', {
        organizationId: 'org_1',
        permissions: ALL_PERMISSIONS,
      });
      const loading = byTestId(element, 'org-loading');

      expect(loading.getAttribute('aria-busy')).toBe('true');
      expect(loading.querySelectorAll('sl-skeleton').length).toBeGreaterThan(0);
    });
  });

  describe('saving', () => {
    it('sends the name and domains for this organization, then says so in a focused status', async () => {
      const saved = {
        ...settings,
        name: 'Coffee & Tea',
        allowedEmailDomains: ['coffee.example', 'tea.example'],
      };
      const fetch = stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: { updateOrganization: { __typename: 'Organization', ...saved } },
      });
      const element = await mountSettings();
      typeInto(byTestId(element, 'org-name-input'), ' Coffee & Tea ');
      await addDomain(element, 'tea.example');
      await save(element);

      expect(sentNamed(fetch, 'UpdateOrganization')[0].variables).toEqual({
        input: {
          organizationId: 'org_1',
          name: 'Coffee & Tea',
          allowedEmailDomains: ['coffee.example', 'tea.example'],
        },
      });
      const status = byTestId(element, 'org-saved');
      expect(status.getAttribute('role')).toBe('status');
      expect(focusedIn(element)).toBe(status);
    });

    it('tells the portal the new name', async () => {
      const saved = { ...settings, name: 'Coffee & Tea' };
      stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: { updateOrganization: { __typename: 'Organization', ...saved } },
      });
      const element = await mountSettings();
      let detail: unknown;
      element.addEventListener('tn-organization-updated', (event) => (detail = event.detail));
      await save(element);

      expect(detail).toEqual(saved);
    });

    it('shows an InvalidDomain problem in a focused alert and marks the domain', async () => {
      stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: {
          updateOrganization: problem('InvalidDomain', 'gmail.com is a public email provider.', {
            domain: 'gmail.com',
          }),
        },
      });
      const element = await mountSettings();
      await addDomain(element, 'gmail.com');
      await save(element);

      const alert = byTestId(element, 'error-message');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent).toContain('gmail.com is a public email provider.');
      expect(focusedIn(element)).toBe(alert);
      expect(byTestId(element, 'domain-gmail.com').hasAttribute('data-invalid')).toBe(true);
      expect(queryTestId(element, 'org-saved')).toBeNull();
    });

    it('shows an InvalidInput problem and marks the name', async () => {
      stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: {
          updateOrganization: problem(
            'InvalidInput',
            'An organization name is 1 to 120 characters.',
            {
              field: 'name',
            },
          ),
        },
      });
      const element = await mountSettings();
      await save(element);

      expect(byTestId(element, 'error-message').textContent).toContain('1 to 120 characters');
      expect(byTestId(element, 'org-name-input').getAttribute('aria-invalid')).toBe('true');
    });

    it('asks for a name without calling the server', async () => {
      const fetch = stubGraphQL({ OrganizationSettings: { organization: settings } });
      const element = await mountSettings();
      typeInto(byTestId(element, 'org-name-input'), '  ');
      await save(element);

      expect(byTestId(element, 'org-name-error').textContent?.trim()).toBe(SETTINGS_MESSAGES.name);
      expect(focusedIn(element)).toBe(byTestId(element, 'org-name-input'));
      expect(sentNamed(fetch, 'UpdateOrganization')).toHaveLength(0);
    });

    it('disables Save and marks it busy while saving', async () => {
      const pending = deferred();
      stubGraphQL({
        OrganizationSettings: { organization: settings },
        UpdateOrganization: pending.answer,
      });
      const element = await mountSettings();
      byTestId(element, 'org-save').click();
      await element.updateComplete;

      expect(byTestId<HTMLButtonElement>(element, 'org-save').disabled).toBe(true);
      expect(byTestId(element, 'org-save').getAttribute('aria-busy')).toBe('true');
      pending.resolve(
        new Response(
          JSON.stringify({
            data: { updateOrganization: { __typename: 'Organization', ...settings } },
          }),
        ),
      );
      await settle(element);
      expect(byTestId<HTMLButtonElement>(element, 'org-save').disabled).toBe(false);
    });
  });
});

describe('normalizeDomain', () => {
  it('lower-cases and drops a leading @ and a trailing dot, as the server does', () => {
    expect(normalizeDomain(' @Example.COM. ')).toBe('example.com');
  });
});
