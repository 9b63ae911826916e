import { describe, expect, it } from 'vitest';
import { byTestId, expectAccessible, mount, queryTestId } from '../testing/fixture.js';
import { passedTest } from '../testing/portal-data.js';
import type { ConnectionTest } from './sso-api.js';
import { testOutcomeSentence, type TnSsoTestResult } from './tn-sso-test-result.js';
import './tn-sso-test-result.js';

const skewed: ConnectionTest = {
  succeeded: false,
  testedAt: '2026-12-02T09:00:00+00:00',
  reason: 'CLOCK_SKEW',
  message: 'The assertion is not valid at this time: the two clocks disagree or it expired.',
  details: [
    { name: 'not_on_or_after', value: '2026-12-02T08:50:00+00:00' },
    { name: 'now', value: '2026-12-02T09:00:00+00:00' },
  ],
  identity: null,
};

const text = (element: TnSsoTestResult, id: string) =>
  byTestId(element, id).textContent.replace(/\s+/g, ' ').trim();

describe('<tn-sso-test-result>', () => {
  it('says when the connection was never tested', async () => {
    const element = await mount('tn-sso-test-result', { test: null });
    expect(text(element, 'sso-test-none')).toBe('Not tested yet.');
  });

  it('shows who arrived and every attribute the identity provider sent', async () => {
    const element = await mount('tn-sso-test-result', { test: passedTest(), current: true });
    expect(text(element, 'sso-test-outcome')).toBe('Succeeded');
    expect(text(element, 'sso-test-subject')).toBe('grace@example.com');
    expect(text(element, 'sso-test-name')).toBe('Grace Hopper');
    expect(text(element, 'sso-test-groups')).toBe('Engineering, Admins');
    const rows = [...byTestId(element, 'sso-test-attributes').querySelectorAll('tbody tr')];
    expect(rows.map((row) => row.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      'email grace@example.com',
      'groups Engineering, Admins',
      'department Compilers',
    ]);
    expect(queryTestId(element, 'sso-test-stale')).toBeNull();
    await expectAccessible(element);
  });

  it('warns that a success no longer covers changed settings', async () => {
    const element = await mount('tn-sso-test-result', { test: passedTest(), current: false });
    expect(text(element, 'sso-test-stale')).toContain('The settings changed after this test');
  });

  it('explains a failure in words, what to check, and the two clocks of a skew', async () => {
    const element = await mount('tn-sso-test-result', { test: skewed });
    expect(text(element, 'sso-test-outcome')).toBe('Failed');
    expect(byTestId(element, 'sso-test-outcome').classList).toContain('warn');
    expect(text(element, 'sso-test-message')).toBe(skewed.message);
    expect(text(element, 'sso-test-advice')).toContain('the details show both times');
    expect(text(element, 'sso-test-details')).toContain(
      'not_on_or_after 2026-12-02T08:50:00+00:00',
    );
    expect(queryTestId(element, 'sso-test-attributes')).toBeNull();
    await expectAccessible(element);
  });

  it('sums the outcome up in one sentence for the live region', () => {
    expect(testOutcomeSentence(passedTest())).toBe(
      'The test succeeded: the identity provider signed in grace@example.com.',
    );
    expect(testOutcomeSentence(skewed)).toBe(`The test failed. ${skewed.message}`);
  });
});
