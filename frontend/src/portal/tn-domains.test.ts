import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { graphqlError, sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import type { FetchMock } from '../testing/fetch-stub.js';
import { connection, problem } from '../testing/portal-data.js';
import type { Domain } from './domains-api.js';
import { statusSentence, verifySentence, type TnDomains } from './tn-domains.js';
import './tn-domains.js';

const READ = ['sk_org_settings_read'];
const MANAGE = ['sk_org_settings_read', 'sk_org_settings_manage'];
const TOKEN = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

function domain(name: string, overrides: Partial<Domain> = {}): Domain {
  return {
    id: `dom_${name.split('.')[0]}`,
    name,
    status: 'PENDING',
    txtRecordName: `_tenantry-challenge.${name}`,
    txtRecordValue: `tenantry-domain-verification=${TOKEN}`,
    verifiedAt: null,
    lastCheckedAt: null,
    nextCheckAt: '2026-11-28T10:01:00+00:00',
    lastError: null,
    createdAt: '2026-11-28T10:00:00+00:00',
    ...overrides,
  };
}

const pending = domain('acme.example.com');
const verified = domain('beans.example.com', {
  status: 'VERIFIED',
  verifiedAt: '2026-11-20T09:30:00+00:00',
  lastCheckedAt: '2026-11-27T09:30:00+00:00',
  nextCheckAt: '2026-11-28T09:30:00+00:00',
});
const listed = (domains: Domain[]) => ({
  organization: { id: 'org_1', domains: connection(domains) },
});

beforeEach(() => setCsrfMeta());

let server: FetchMock;

async function mountDomains(
  answers: Record<string, Answer | Answer[]>,
  permissions: string[] = MANAGE,
): Promise<TnDomains> {
  server = stubGraphQL(answers);
  const element = await mount('tn-domains', { organizationId: 'org_1', permissions });
  await settle(element);
  return element;
}

function text(element: TnDomains, id: string): string {
  return byTestId(element, id).textContent.replace(/\s+/g, ' ').trim();
}

async function submitName(element: TnDomains, name: string): Promise<void> {
  typeInto(byTestId(element, 'domain-name-input'), name);
  byTestId(element, 'domain-add').click();
  await settle(element);
}

describe('status in words', () => {
  it('says what each status means and what to do next', () => {
    expect(statusSentence(pending)).toContain('Waiting for the TXT record');
    expect(statusSentence(verified)).toMatch(/^Verified on .+\. Keep the record published/);
    expect(statusSentence(domain('x.example.com', { status: 'FAILED' }))).toContain(
      'within seven days. Publish it, then press Verify now.',
    );
    expect(statusSentence(domain('x.example.com', { status: 'LAPSED' }))).toContain(
      'no longer verified',
    );
  });

  it('reports a check that did not verify with the server’s reason', () => {
    expect(verifySentence(verified)).toBe('beans.example.com is verified.');
    const missing = domain('acme.example.com', { lastError: 'The TXT record was not found yet.' });
    expect(verifySentence(missing)).toBe(
      'acme.example.com is not verified yet. The TXT record was not found yet.',
    );
  });
});

describe('<tn-domains>', () => {
  describe('read-only', () => {
    it('lists each domain with its status badge and record, without controls', async () => {
      const element = await mountDomains({ Domains: listed([pending, verified]) }, READ);

      expect(text(element, 'domain-status-acme.example.com')).toBe('Pending check');
      expect(text(element, 'domain-status-beans.example.com')).toBe('Verified');
      expect(byTestId(element, 'domain-status-beans.example.com').classList).toContain('good');
      expect(text(element, 'domain-txt-name-acme.example.com')).toBe(
        '_tenantry-challenge.acme.example.com',
      );
      expect(text(element, 'domain-txt-value-acme.example.com')).toBe(
        `tenantry-domain-verification=${TOKEN}`,
      );
      expect(queryTestId(element, 'domains-read-only')).not.toBeNull();
      for (const id of [
        'domain-name-input',
        'domain-add',
        'domain-verify-acme.example.com',
        'domain-remove-acme.example.com',
      ]) {
        expect(queryTestId(element, id)).toBeNull();
      }
    });

    it('tells people whose DNS console appends the zone to enter only _tenantry-challenge', async () => {
      const element = await mountDomains({ Domains: listed([pending]) }, READ);
      const note = text(element, 'domain-zone-note-acme.example.com');
      expect(note).toContain('add acme.example.com to every host name themselves');
      expect(note).toContain('enter only _tenantry-challenge as the host');
    });

    it('explains a lapsed domain once, with what the last check found', async () => {
      const reason = 'The TXT record was missing in 3 checks in a row. Publish it again, then press Verify now.';
      const lapsed = domain('gone.example.com', { status: 'LAPSED', lastError: reason });
      const element = await mountDomains({ Domains: listed([lapsed]) }, READ);
      expect(text(element, 'domain-status-gone.example.com')).toBe('Lapsed');
      expect(byTestId(element, 'domain-status-gone.example.com').classList).toContain('warn');
      const row = text(element, 'domain-row-gone.example.com');
      expect(row).toContain(`Last check: ${reason}`);
      expect(row).not.toContain('no longer verified');
    });

    it('calls the card "Your domains", links to the allowed email domains, and says what to do first', async () => {
      const element = await mountDomains({ Domains: listed([]) });

      expect(element.shadowRoot!.querySelector('h2')?.textContent).toBe('Your domains');
      const link = byTestId<HTMLAnchorElement>(element, 'link-organization');
      expect(link.getAttribute('href')).toBe('/ui/organization');
      expect(text(element, 'domains-allowed-note')).toContain('allowed email domains');
      expect(text(element, 'domains-empty')).toContain('Add the domain of your work email addresses');
    });

    it('opens the Organization page in place through the History API', async () => {
      const element = await mountDomains({ Domains: listed([]) });
      const moves: string[] = [];
      const listener = () => moves.push(window.location.pathname);
      window.addEventListener('popstate', listener);
      byTestId(element, 'link-organization').click();
      window.removeEventListener('popstate', listener);

      expect(moves).toEqual(['/ui/organization']);
    });

    it('shows when it was last checked relatively, with the exact time on hover', async () => {
      const element = await mountDomains({ Domains: listed([verified]) }, READ);
      const times = [...byTestId(element, 'domain-row-beans.example.com').querySelectorAll('time')];

      expect(times.map((time) => time.getAttribute('datetime'))).toEqual([
        verified.verifiedAt,
        verified.lastCheckedAt,
        verified.nextCheckAt,
      ]);
      expect(times[1].textContent).toMatch(/ago|yesterday/);
      expect(times[1].title).toMatch(/2026/);
    });

    it('says when there are no domains yet', async () => {
      const element = await mountDomains({ Domains: listed([]) }, READ);
      expect(text(element, 'domains-empty')).toBe('No domains yet. An organization admin can add one.');
    });

    it('shows a failed load and can try again', async () => {
      const element = await mountDomains(
        { Domains: [graphqlError('BAD_REQUEST', 'Try later.'), listed([pending])] },
        READ,
      );
      expect(text(element, 'error-message')).toContain('Try later.');

      element.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(element);
      expect(queryTestId(element, 'domain-row-acme.example.com')).not.toBeNull();
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountDomains({ Domains: listed([pending, verified]) }, READ));
    });
  });

  describe('with sk_org_settings_manage', () => {
    it('adds a domain and shows the record to publish, focusing it', async () => {
      const added = domain('roast.example.com');
      const element = await mountDomains({
        Domains: listed([pending]),
        AddDomain: { addDomain: { __typename: 'Domain', ...added } },
      });
      const label = element.shadowRoot!.querySelector('label[for="domain-name"]');
      expect(label?.textContent).toBe('Domain');

      await submitName(element, ' Roast.Example.COM. ');

      const [sent] = sentNamed(server, 'AddDomain');
      expect(sent.variables).toEqual({ organizationId: 'org_1', name: 'roast.example.com' });
      expect(sent.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(text(element, 'domain-txt-name-roast.example.com')).toBe(
        '_tenantry-challenge.roast.example.com',
      );
      expect(text(element, 'domains-status')).toContain('Publish its TXT record');
      expect(focusedIn(element)?.id).toBe('domain-dom_roast');
      expect(byTestId<HTMLInputElement>(element, 'domain-name-input').value).toBe('');
      const rows = [...element.shadowRoot!.querySelectorAll('[data-testid^="domain-row-"]')];
      expect(rows.map((row) => row.getAttribute('data-testid'))).toEqual([
        'domain-row-acme.example.com',
        'domain-row-roast.example.com',
      ]);
    });

    it('asks for a domain name, and refuses one already listed, before sending anything', async () => {
      const element = await mountDomains({ Domains: listed([pending]) });
      await submitName(element, 'not a domain');
      expect(text(element, 'domain-name-error')).toBe('Enter a domain name such as example.com.');
      expect(focusedIn(element)).toBe(byTestId(element, 'domain-name-input'));
      expect(byTestId(element, 'domain-name-input').getAttribute('aria-invalid')).toBe('true');

      await submitName(element, 'ACME.example.com');
      expect(text(element, 'domain-name-error')).toBe('acme.example.com is already on the list.');
      expect(sentNamed(server, 'AddDomain')).toHaveLength(0);
    });

    it('shows the server refusing a name in a focused alert and marks the field', async () => {
      const message = 'gmail.com is a public email provider; anyone can have an address there.';
      const element = await mountDomains({
        Domains: listed([]),
        AddDomain: { addDomain: problem('InvalidDomain', message, { domain: 'gmail.com' }) },
      });
      await submitName(element, 'gmail.com');

      const alert = byTestId(element, 'error-message');
      expect(alert.textContent).toContain(message);
      expect(focusedIn(element)).toBe(alert);
      expect(alert.closest('section')?.getAttribute('aria-labelledby')).toBe('add-domain-heading');
      expect(byTestId(element, 'domain-name-input').getAttribute('aria-invalid')).toBe('true');
      expect(queryTestId(element, 'domain-row-gmail.com')).toBeNull();
    });

    it('verifies now and shows the new status in a focused message', async () => {
      const element = await mountDomains({
        Domains: listed([pending]),
        VerifyDomain: {
          verifyDomain: { ...pending, status: 'VERIFIED', verifiedAt: '2026-11-28T10:05:00+00:00' },
        },
      });
      byTestId(element, 'domain-verify-acme.example.com').click();
      await settle(element);

      expect(sentNamed(server, 'VerifyDomain')[0].variables).toEqual({ domainId: 'dom_acme' });
      expect(text(element, 'domain-status-acme.example.com')).toBe('Verified');
      expect(text(element, 'domains-status')).toBe('acme.example.com is verified.');
      expect(focusedIn(element)).toBe(byTestId(element, 'domains-status'));
    });

    it('says why a check did not verify the domain yet', async () => {
      const reason = 'The TXT record was not found at _tenantry-challenge.acme.example.com yet.';
      const element = await mountDomains({
        Domains: listed([pending]),
        VerifyDomain: { verifyDomain: { ...pending, lastError: reason } },
      });
      byTestId(element, 'domain-verify-acme.example.com').click();
      await settle(element);

      expect(text(element, 'domain-status-acme.example.com')).toBe('Pending check');
      expect(text(element, 'domains-status')).toContain(reason);
      expect(text(element, 'domain-last-error-acme.example.com')).toBe(`Last check: ${reason}`);
    });

    describe('copy buttons', () => {
      const writeText = vi.fn<(text: string) => Promise<void>>();

      beforeEach(() => {
        writeText.mockReset().mockResolvedValue(undefined);
        Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
      });

      afterEach(() => {
        Reflect.deleteProperty(navigator, 'clipboard');
      });

      it('copy the host and the value exactly, and say so', async () => {
        const element = await mountDomains({ Domains: listed([pending]) });
        byTestId(element, 'domain-copy-name-acme.example.com').click();
        await settle(element);
        expect(writeText).toHaveBeenLastCalledWith('_tenantry-challenge.acme.example.com');
        expect(text(element, 'domains-status')).toBe('Copied the host for acme.example.com.');

        byTestId(element, 'domain-copy-value-acme.example.com').click();
        await settle(element);
        expect(writeText).toHaveBeenLastCalledWith(`tenantry-domain-verification=${TOKEN}`);
        expect(text(element, 'domains-status')).toBe('Copied the value for acme.example.com.');
      });

      it('ask people to copy by hand when the browser refuses', async () => {
        writeText.mockRejectedValue(new Error('NotAllowedError'));
        const element = await mountDomains({ Domains: listed([pending]) });
        byTestId(element, 'domain-copy-value-acme.example.com').click();
        await settle(element);
        expect(text(element, 'error-message')).toContain('Select the text and copy it instead.');
      });
    });

    it('removes a domain only after confirmation', async () => {
      const element = await mountDomains({
        Domains: listed([pending, verified]),
        RemoveDomain: { removeDomain: { domain: { id: verified.id, name: verified.name } } },
      });
      byTestId(element, 'domain-remove-beans.example.com').click();
      await settle(element);
      expect(element.shadowRoot!.querySelector('[role="group"]')?.textContent).toContain(
        'Remove beans.example.com? It stops being verified',
      );
      expect(focusedIn(element)).toBe(byTestId(element, 'domain-remove-cancel'));
      expect(byTestId(element, 'domain-remove-confirm').textContent?.trim()).toBe(
        'Remove beans.example.com',
      );

      byTestId(element, 'domain-remove-cancel').click();
      await settle(element);
      expect(sentNamed(server, 'RemoveDomain')).toHaveLength(0);
      expect(focusedIn(element)).toBe(byTestId(element, 'domain-remove-beans.example.com'));

      byTestId(element, 'domain-remove-beans.example.com').click();
      await settle(element);
      byTestId(element, 'domain-remove-confirm').click();
      await settle(element);
      expect(sentNamed(server, 'RemoveDomain')[0].variables).toEqual({ domainId: 'dom_beans' });
      expect(queryTestId(element, 'domain-row-beans.example.com')).toBeNull();
      expect(queryTestId(element, 'domain-row-acme.example.com')).not.toBeNull();
      expect(text(element, 'domains-status')).toBe('beans.example.com was removed.');
      expect(focusedIn(element)).toBe(byTestId(element, 'domains-status'));
    });

    it('shows a refused removal in the alert and keeps the domain', async () => {
      const element = await mountDomains({
        Domains: listed([pending]),
        RemoveDomain: graphqlError('FORBIDDEN', 'no'),
      });
      byTestId(element, 'domain-remove-acme.example.com').click();
      await settle(element);
      byTestId(element, 'domain-remove-confirm').click();
      await settle(element);
      expect(text(element, 'error-message')).toContain("You don't have permission");
      expect(queryTestId(element, 'domain-row-acme.example.com')).not.toBeNull();
    });

    it('passes the accessibility checks with the add form and a removal to confirm', async () => {
      const element = await mountDomains({ Domains: listed([pending, verified]) });
      byTestId(element, 'domain-remove-acme.example.com').click();
      await settle(element);
      await expectAccessible(element);
    });
  });
});
