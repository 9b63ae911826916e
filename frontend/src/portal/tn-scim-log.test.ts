import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, setCsrfMeta, settle, typeInto } from '../testing/fixture.js';
import { sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { listData, logEntry } from '../testing/scim-data.js';
import { SEARCH_DELAY_MS } from './scim-paged-list.js';
import { errorDetail } from './tn-scim-log.js';
import './tn-scim-log.js';

beforeEach(() => setCsrfMeta());
afterEach(() => vi.useRealTimers());

const created = logEntry('pe_2', { at: new Date(Date.now() - 3 * 60_000).toISOString() });
const refused = logEntry('pe_1', {
  at: '2026-12-01T08:00:00+00:00',
  method: 'PATCH',
  operation: 'patch',
  resourceId: 'dus_linus',
  subject: 'linus@elsewhere.example',
  status: 400,
  outcome: 'FAILED',
  scimType: 'invalidValue',
  detail: 'The address is not at a verified domain of the organization.',
});

async function mountLog(answers: Record<string, Answer | Answer[]>) {
  const fetch = stubGraphQL(answers);
  const element = await mount('tn-scim-log', { directoryId: 'dir_okta' });
  await settle(element);
  return { element, fetch };
}

const cells = (row: Element) =>
  [...row.querySelectorAll('th, td')].map((cell) => {
    const copy = cell.cloneNode(true) as Element;
    copy.querySelectorAll('.cell-label, .visually-hidden').forEach((label) => label.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  });

describe('<tn-scim-log>', () => {
  it('shows each request as the server orders them (newest first): time, operation, resource, subject, status, error', async () => {
    const { element, fetch } = await mountLog({ ProvisioningLog: listData('provisioningLog', [created, refused]) });
    const rows = element.shadowRoot!.querySelectorAll('[data-testid="scim-log-row"]');
    expect(cells(rows[0])).toEqual(['3 minutes ago', 'Create (POST)', 'User dus_grace', 'grace@example.com', '201', '—']);
    expect(cells(rows[1]).slice(1)).toEqual([
      'Update (PATCH)',
      'User dus_linus',
      'linus@elsewhere.example',
      '400',
      'invalidValue: The address is not at a verified domain of the organization.',
    ]);
    const time = rows[1].querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe(refused.at);
    expect(time.getAttribute('title')).toMatch(/2026/);
    expect(rows[1].querySelector('.badge')!.classList).toContain('warn');
    expect(rows[1].querySelector('.badge')!.textContent).toContain('failed');
    expect(sentNamed(fetch, 'ProvisioningLog')[0].variables).toEqual({
      directoryId: 'dir_okta',
      first: 25,
      after: null,
      outcome: null,
      search: null,
    });
    await expectAccessible(element);
  });

  it('filters to failed requests', async () => {
    const { element, fetch } = await mountLog({
      ProvisioningLog: [listData('provisioningLog', [created, refused]), listData('provisioningLog', [refused])],
    });
    const outcome = byTestId<HTMLSelectElement>(element, 'scim-log-outcome');
    outcome.value = 'failed';
    outcome.dispatchEvent(new Event('change'));
    await settle(element);
    expect(sentNamed(fetch, 'ProvisioningLog')[1].variables.outcome).toBe('FAILED');
    expect(element.shadowRoot!.querySelectorAll('[data-testid="scim-log-row"]')).toHaveLength(1);
  });

  it('searches once typing pauses, and says when nothing matches', async () => {
    const { element, fetch } = await mountLog({
      ProvisioningLog: [listData('provisioningLog', [created]), listData('provisioningLog', [])],
    });
    vi.useFakeTimers();
    const search = byTestId<HTMLInputElement>(element, 'scim-log-search');
    typeInto(search, 'lin');
    typeInto(search, 'linus');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS + 10);
    vi.useRealTimers();
    await settle(element);
    const sent = sentNamed(fetch, 'ProvisioningLog');
    expect(sent).toHaveLength(2);
    expect(sent[1].variables.search).toBe('linus');
    expect(byTestId(element, 'scim-log-empty').textContent).toContain('No requests match.');
  });

  it('loads more after the last entry and moves focus to the first new one', async () => {
    const { element, fetch } = await mountLog({
      ProvisioningLog: [listData('provisioningLog', [created], 'cursor_1'), listData('provisioningLog', [refused])],
    });
    byTestId(element, 'scim-log-more').click();
    await settle(element);
    expect(sentNamed(fetch, 'ProvisioningLog')[1].variables.after).toBe('cursor_1');
    expect(element.shadowRoot!.querySelectorAll('[data-testid="scim-log-row"]')).toHaveLength(2);
    expect(focusedIn(element)?.id).toBe('log-row-1');
    expect(queryTestId(element, 'scim-log-more')).toBeNull();
  });

  it('says when the provider has sent nothing yet', async () => {
    const { element } = await mountLog({ ProvisioningLog: listData('provisioningLog', []) });
    expect(byTestId(element, 'scim-log-empty').textContent).toContain('No requests yet.');
  });

  it('puts the SCIM error type before the detail', () => {
    expect(errorDetail(refused)).toBe('invalidValue: The address is not at a verified domain of the organization.');
    expect(errorDetail(logEntry('x', { status: 401, outcome: 'FAILED', detail: 'Bad token' }))).toBe('Bad token');
    expect(errorDetail(created)).toBe('');
  });
});
