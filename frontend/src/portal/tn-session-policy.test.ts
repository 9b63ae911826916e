import { beforeEach, describe, expect, it } from 'vitest';
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
import { problem, sessionPolicy } from '../testing/portal-data.js';
import type { SessionPolicy } from './portal-api.js';
import {
  describeMinutes,
  describePair,
  describeTimeouts,
  toMinutes,
  type TnSessionPolicy,
} from './tn-session-policy.js';
import './tn-session-policy.js';

const READ = ['sk_org_session_policy_read'];
const MANAGE = ['sk_org_session_policy_read', 'sk_org_session_policy_manage'];

const loaded = (policy: SessionPolicy) => ({
  viewer: { organization: { id: 'org_1', sessionPolicy: policy } },
});
const savedAs = (policy: SessionPolicy) => ({
  updateSessionPolicy: { __typename: 'SessionPolicy', ...policy },
});

const customPolicy = sessionPolicy({
  custom: true,
  absoluteMinutes: 8 * 60,
  idleMinutes: 30,
  effective: { absoluteMinutes: 8 * 60, idleMinutes: 30 },
});

beforeEach(() => setCsrfMeta());

let server: FetchMock;

async function mountPolicy(
  answers: Record<string, Answer | Answer[]>,
  permissions: string[] = MANAGE,
): Promise<TnSessionPolicy> {
  server = stubGraphQL(answers);
  const element = await mount('tn-session-policy', { organizationId: 'org_1', permissions });
  await settle(element);
  return element;
}

function text(element: TnSessionPolicy, id: string): string {
  return byTestId(element, id).textContent.replace(/\s+/g, ' ').trim();
}

function choose(element: TnSessionPolicy, id: 'policy-defaults' | 'policy-custom'): void {
  const radio = byTestId<HTMLInputElement>(element, id);
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

function selectUnit(element: TnSessionPolicy, id: string, unit: string): void {
  const select = byTestId<HTMLSelectElement>(element, id);
  select.value = unit;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('timeouts in words', () => {
  it('uses the largest unit that holds the minutes exactly', () => {
    expect(describeMinutes(480)).toBe('8 hours');
    expect(describeMinutes(30)).toBe('30 minutes');
    expect(describeMinutes(7 * 24 * 60)).toBe('7 days');
    expect(describeMinutes(60)).toBe('1 hour');
    expect(describeMinutes(90)).toBe('90 minutes');
    expect(describeTimeouts({ absoluteMinutes: 480, idleMinutes: null })).toBe(
      'Sessions now end after 8 hours, with no idle timeout.',
    );
  });

  it('says "No idle timeout" in plain words rather than "idle timeout none"', () => {
    expect(describePair({ absoluteMinutes: 7 * 24 * 60, idleMinutes: null })).toBe(
      'Absolute timeout 7 days. No idle timeout.',
    );
    expect(describePair({ absoluteMinutes: 480, idleMinutes: 30 })).toBe(
      'Absolute timeout 8 hours. Idle timeout 30 minutes.',
    );
  });

  it('converts an amount and unit to minutes, refusing anything but positive whole numbers', () => {
    expect(toMinutes('8', 'hours')).toBe(480);
    expect(toMinutes(' 2 ', 'days')).toBe(2880);
    expect(toMinutes('30', 'minutes')).toBe(30);
    for (const bad of ['', '0', '-1', '1.5', 'abc']) expect(toMinutes(bad, 'minutes')).toBeNull();
  });
});

describe('<tn-session-policy>', () => {
  describe('read-only', () => {
    it('shows what applies, the app defaults and the organization setting, without controls', async () => {
      const element = await mountPolicy({ SessionPolicy: loaded(customPolicy) }, READ);

      expect(text(element, 'policy-effective')).toBe('Absolute timeout 8 hours. Idle timeout 30 minutes.');
      expect(text(element, 'policy-app-default')).toBe('Absolute timeout 7 days. No idle timeout.');
      expect(text(element, 'policy-organization')).toContain('Custom. Absolute timeout 8 hours.');
      expect(element.shadowRoot!.textContent).toContain('The stricter of the application');
      expect(queryTestId(element, 'policy-read-only')).not.toBeNull();
      for (const id of ['policy-defaults', 'policy-custom', 'policy-save', 'policy-absolute-value']) {
        expect(queryTestId(element, id)).toBeNull();
      }
    });

    it('shows a failed load and can try again', async () => {
      const element = await mountPolicy(
        { SessionPolicy: [graphqlError('BAD_REQUEST', 'Try later.'), loaded(sessionPolicy())] },
        READ,
      );
      expect(text(element, 'error-message')).toContain('Try later.');

      element.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(element);
      expect(text(element, 'policy-organization')).toBe("The application's defaults");
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountPolicy({ SessionPolicy: loaded(customPolicy) }, READ));
    });
  });

  describe('with sk_org_session_policy_manage', () => {
    it('offers a labelled choice, starting on the app defaults without timeout fields', async () => {
      const element = await mountPolicy({ SessionPolicy: loaded(sessionPolicy()) });

      const group = element.shadowRoot!.querySelector('[role="radiogroup"]')!;
      const legend = element.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!);
      expect(legend?.textContent).toBe('Session timeouts');
      expect(byTestId<HTMLInputElement>(element, 'policy-defaults').checked).toBe(true);
      expect(byTestId<HTMLInputElement>(element, 'policy-custom').checked).toBe(false);
      expect(queryTestId(element, 'policy-absolute-value')).toBeNull();

      choose(element, 'policy-custom');
      await element.updateComplete;
      expect(byTestId<HTMLInputElement>(element, 'policy-absolute-value').value).toBe('7');
      expect(byTestId<HTMLSelectElement>(element, 'policy-absolute-unit').value).toBe('days');
      expect(byTestId<HTMLInputElement>(element, 'policy-idle-value').value).toBe('');
    });

    it('saves custom timeouts in minutes and says what now applies in a focused status', async () => {
      const element = await mountPolicy({
        SessionPolicy: loaded(sessionPolicy()),
        UpdateSessionPolicy: savedAs(customPolicy),
      });
      choose(element, 'policy-custom');
      await element.updateComplete;
      typeInto(byTestId(element, 'policy-absolute-value'), '8');
      selectUnit(element, 'policy-absolute-unit', 'hours');
      typeInto(byTestId(element, 'policy-idle-value'), '30');
      selectUnit(element, 'policy-idle-unit', 'minutes');
      byTestId(element, 'policy-save').click();
      await settle(element);

      const [sent] = sentNamed(server, 'UpdateSessionPolicy');
      expect(sent.variables).toEqual({
        organizationId: 'org_1',
        custom: true,
        absoluteMinutes: 480,
        idleMinutes: 30,
      });
      expect(sent.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      const saved = byTestId(element, 'policy-saved');
      expect(saved.getAttribute('role')).toBe('status');
      expect(text(element, 'policy-saved')).toContain(
        'Sessions now end after 8 hours, or after 30 minutes without activity.',
      );
      expect(focusedIn(element)).toBe(saved);
      expect(text(element, 'policy-effective')).toBe('Absolute timeout 8 hours. Idle timeout 30 minutes.');
    });

    it('sends no idle timeout when it is left empty, and nothing custom for the defaults', async () => {
      const element = await mountPolicy({
        SessionPolicy: loaded(customPolicy),
        UpdateSessionPolicy: savedAs(sessionPolicy()),
      });
      typeInto(byTestId(element, 'policy-idle-value'), '');
      byTestId(element, 'policy-save').click();
      await settle(element);
      choose(element, 'policy-defaults');
      await element.updateComplete;
      byTestId(element, 'policy-save').click();
      await settle(element);

      expect(sentNamed(server, 'UpdateSessionPolicy').map(({ variables }) => variables)).toEqual([
        { organizationId: 'org_1', custom: true, absoluteMinutes: 480, idleMinutes: null },
        { organizationId: 'org_1', custom: false, absoluteMinutes: null, idleMinutes: null },
      ]);
      expect(text(element, 'policy-saved')).toContain('7 days, with no idle timeout.');
    });

    it('shows the server refusing a timeout in a focused alert and marks the field', async () => {
      const message = "The idle timeout must be longer than the app's access-token lifetime (10 minutes).";
      const element = await mountPolicy({
        SessionPolicy: loaded(customPolicy),
        UpdateSessionPolicy: {
          updateSessionPolicy: problem('InvalidInput', message, { field: 'idleMinutes' }),
        },
      });
      typeInto(byTestId(element, 'policy-idle-value'), '5');
      byTestId(element, 'policy-save').click();
      await settle(element);

      const alert = byTestId(element, 'error-message');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent).toContain(message);
      expect(focusedIn(element)).toBe(alert);
      expect(byTestId(element, 'policy-idle-value').getAttribute('aria-invalid')).toBe('true');
      expect(queryTestId(element, 'policy-saved')).toBeNull();
    });

    it('asks for a whole number before sending anything', async () => {
      const element = await mountPolicy({ SessionPolicy: loaded(customPolicy) });
      typeInto(byTestId(element, 'policy-absolute-value'), '0');
      byTestId(element, 'policy-save').click();
      await settle(element);

      expect(sentNamed(server, 'UpdateSessionPolicy')).toHaveLength(0);
      expect(text(element, 'policy-absolute-error')).toContain('whole number');
      expect(focusedIn(element)).toBe(byTestId(element, 'policy-absolute-value'));
    });

    it('passes the accessibility checks with the custom fields shown', async () => {
      const element = await mountPolicy({ SessionPolicy: loaded(customPolicy) });
      typeInto(byTestId(element, 'policy-absolute-value'), '');
      byTestId(element, 'policy-save').click();
      await settle(element);
      await expectAccessible(element);
    });
  });
});
