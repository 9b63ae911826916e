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
} from '../testing/fixture.js';
import {
  deferred,
  graphqlError,
  sentNamed,
  stubGraphQL,
  type Answer,
} from '../testing/graphql-stub.js';
import type { FetchMock } from '../testing/fetch-stub.js';
import { connection, session } from '../testing/portal-data.js';
import { formatDateTime } from './dates.js';
import type { UserSession } from './portal-api.js';
import { describeMethods, type TnSecurity } from './tn-security.js';
import './tn-security.js';

const here = session('ses_here', {
  device: 'Chrome on macOS',
  ip: '198.51.100.4',
  createdAt: '2026-11-28T08:00:00+00:00',
  lastActiveAt: '2026-11-28T08:05:00+00:00',
  current: true,
});
const laptop = session('ses_laptop');
const phone = session('ses_phone', {
  device: 'Safari on iOS',
  ip: '2001:db8::1',
  authenticationMethods: ['email', 'hwk'],
});

const listed = (...sessions: UserSession[]) => ({ viewer: { sessions: connection(sessions) } });

beforeEach(() => setCsrfMeta());

/** The fake server of the test's last `mountSecurity`, to read back what was sent. */
let server: FetchMock;

async function mountSecurity(answers: Record<string, Answer | Answer[]>): Promise<TnSecurity> {
  server = stubGraphQL(answers);
  const security = await mount('tn-security');
  await settle(security);
  return security;
}

function rowIds(security: TnSecurity): string[] {
  return [...security.shadowRoot!.querySelectorAll('li')].map(
    (row) => row.getAttribute('data-testid')!,
  );
}

function status(security: TnSecurity): HTMLElement {
  return byTestId(security, 'sessions-status');
}

describe('describeMethods', () => {
  it('names the sign-in methods in words, keeping unknown ones as they are', () => {
    expect(describeMethods(['otp', 'email'])).toBe('one-time code and email');
    expect(describeMethods(['email'])).toBe('email');
    expect(describeMethods(['email', 'hwk'])).toBe('email and hwk');
  });

  it('names a passkey sign-in, which is multi-factor by itself', () => {
    expect(describeMethods(['pop', 'mfa'])).toBe('passkey and multi-factor authentication');
  });
});

describe('<tn-security>', () => {
  describe('listing the sessions', () => {
    it('shows each session in the order the server gives', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop, phone) });

      expect(rowIds(security)).toEqual([
        'session-row-ses_here',
        'session-row-ses_laptop',
        'session-row-ses_phone',
      ]);
      expect(security.shadowRoot!.querySelector('h2')?.textContent).toBe('Active sessions');
    });

    it('shows the device, IP address, when and how it signed in, and when last active', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      const row = byTestId(security, 'session-row-ses_laptop');
      const text = row.textContent.replace(/\s+/g, ' ');

      expect(text).toContain('Firefox on Linux');
      expect(text).toContain('IP address 203.0.113.7');
      expect(text).toContain(
        `Signed in ${formatDateTime(laptop.createdAt)} with one-time code and email`,
      );
      expect(text).toContain(`Last active ${formatDateTime(laptop.lastActiveAt)}`);
      expect(
        [...row.querySelectorAll('time')].map((time) => time.getAttribute('datetime')),
      ).toEqual([laptop.createdAt, laptop.lastActiveAt]);
    });

    it('shows an unknown sign-in method as the server names it', async () => {
      const security = await mountSecurity({ Sessions: listed(here, phone) });

      const row = byTestId(security, 'session-row-ses_phone');
      expect(row.textContent).toContain('with email and hwk');
    });

    it('marks this device, which has no Sign out of its own', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      const current = byTestId(security, 'session-row-ses_here');

      expect(current.querySelector('[data-testid="session-current"]')?.textContent).toBe(
        'This device',
      );
      expect(queryTestId(security, 'session-revoke-ses_here')).toBeNull();
      const other = byTestId(security, 'session-row-ses_laptop');
      expect(other.querySelector('[data-testid="session-current"]')).toBeNull();
      const signOut = byTestId(security, 'session-revoke-ses_laptop');
      expect(signOut.textContent.replace(/\s+/g, ' ').trim()).toBe(
        'Sign out Firefox on Linux at 203.0.113.7',
      );
    });

    it('offers to sign out all other sessions only when there are others', async () => {
      const alone = await mountSecurity({ Sessions: listed(here) });
      expect(queryTestId(alone, 'sessions-revoke-others')).toBeNull();
      alone.remove();

      const busy = await mountSecurity({ Sessions: listed(here, laptop) });
      expect(byTestId(busy, 'sessions-revoke-others').textContent?.trim()).toBe(
        'Sign out all other sessions',
      );
    });

    it('says it is loading until the sessions arrive', async () => {
      const { answer } = deferred();
      const security = await mountSecurity({ Sessions: answer });

      expect(byTestId(security, 'sessions-loading').getAttribute('role')).toBe('status');
    });

    it('shows a failed load and can try again', async () => {
      const security = await mountSecurity({
        Sessions: [graphqlError('BAD_REQUEST', 'Try later.'), listed(here)],
      });
      expect(byTestId(security, 'error-message').textContent).toContain('Try later.');

      security.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(security);
      expect(rowIds(security)).toEqual(['session-row-ses_here']);
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountSecurity({ Sessions: listed(here, laptop, phone) }));
    });
  });

  describe('signing out one session', () => {
    it('signs it out with the CSRF token, reloads the list and says so in a focused status', async () => {
      const security = await mountSecurity({
        Sessions: [listed(here, laptop, phone), listed(here, phone)],
        RevokeSession: { revokeSession: true },
      });
      byTestId(security, 'session-revoke-ses_laptop').click();
      await settle(security);
      const [sent] = sentNamed(server, 'RevokeSession');

      expect(sent.variables).toEqual({ sessionId: 'ses_laptop' });
      expect(sent.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(sentNamed(server, 'Sessions')).toHaveLength(2);
      expect(rowIds(security)).toEqual(['session-row-ses_here', 'session-row-ses_phone']);
      expect(status(security).getAttribute('role')).toBe('status');
      expect(status(security).textContent?.trim()).toBe(
        'Signed out Firefox on Linux at 203.0.113.7.',
      );
      expect(focusedIn(security)).toBe(status(security).querySelector('.success'));
    });

    it('says so when the session had already ended, and reloads the list', async () => {
      const security = await mountSecurity({
        Sessions: [listed(here, laptop), listed(here)],
        RevokeSession: { revokeSession: false },
      });
      byTestId(security, 'session-revoke-ses_laptop').click();
      await settle(security);

      expect(status(security).textContent?.trim()).toBe('That session had already ended.');
      expect(rowIds(security)).toEqual(['session-row-ses_here']);
      expect(queryTestId(security, 'sessions-revoke-others')).toBeNull();
    });

    it('shows a failure in a focused alert and keeps the list', async () => {
      const security = await mountSecurity({
        Sessions: listed(here, laptop),
        RevokeSession: graphqlError('BAD_REQUEST', 'That did not work.'),
      });
      byTestId(security, 'session-revoke-ses_laptop').click();
      await settle(security);

      const alert = byTestId(security, 'error-message');
      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent).toContain('That did not work.');
      expect(focusedIn(security)).toBe(alert);
      expect(status(security).textContent?.trim()).toBe('');
      expect(sentNamed(server, 'Sessions')).toHaveLength(1);
      expect(rowIds(security)).toEqual(['session-row-ses_here', 'session-row-ses_laptop']);
    });

    it('disables every Sign out and marks the button busy while signing out', async () => {
      const pending = deferred();
      const security = await mountSecurity({
        Sessions: listed(here, laptop, phone),
        RevokeSession: pending.answer,
      });
      byTestId(security, 'session-revoke-ses_laptop').click();
      await security.updateComplete;

      expect(byTestId(security, 'session-revoke-ses_laptop').getAttribute('aria-busy')).toBe('true');
      const buttons = ['session-revoke-ses_laptop', 'session-revoke-ses_phone', 'sessions-revoke-others'];
      for (const id of buttons) expect(byTestId<HTMLButtonElement>(security, id).disabled).toBe(true);
      pending.resolve(graphqlError('BAD_REQUEST', 'No.'));
      await settle(security);
      expect(byTestId<HTMLButtonElement>(security, 'session-revoke-ses_phone').disabled).toBe(false);
    });
  });

  describe('signing out all other sessions', () => {
    it('signs them out, says how many in a focused status and reloads the list', async () => {
      const security = await mountSecurity({
        Sessions: [listed(here, laptop, phone), listed(here)],
        RevokeOtherSessions: { revokeOtherSessions: 2 },
      });
      byTestId(security, 'sessions-revoke-others').click();
      await settle(security);

      expect(sentNamed(server, 'RevokeOtherSessions')[0].headers['x-csrf-token']).toBe(
        CSRF_TOKEN,
      );
      expect(status(security).textContent?.trim()).toBe('Signed out 2 other sessions.');
      expect(focusedIn(security)).toBe(status(security).querySelector('.success'));
      expect(rowIds(security)).toEqual(['session-row-ses_here']);
      expect(queryTestId(security, 'sessions-revoke-others')).toBeNull();
    });

    it('counts one session in the singular', async () => {
      const security = await mountSecurity({
        Sessions: [listed(here, laptop), listed(here)],
        RevokeOtherSessions: { revokeOtherSessions: 1 },
      });
      byTestId(security, 'sessions-revoke-others').click();
      await settle(security);

      expect(status(security).textContent?.trim()).toBe('Signed out 1 other session.');
    });

    it('shows a failure in a focused alert', async () => {
      const security = await mountSecurity({
        Sessions: listed(here, laptop),
        RevokeOtherSessions: graphqlError('BAD_REQUEST', 'Try again soon.'),
      });
      byTestId(security, 'sessions-revoke-others').click();
      await settle(security);

      const alert = byTestId(security, 'error-message');
      expect(alert.textContent).toContain('Try again soon.');
      expect(focusedIn(security)).toBe(alert);
      expect(rowIds(security)).toHaveLength(2);
    });

    it('shows a failed reload after signing out, keeping the status', async () => {
      const security = await mountSecurity({
        Sessions: [listed(here, laptop), graphqlError('BAD_REQUEST', 'Could not reload.')],
        RevokeOtherSessions: { revokeOtherSessions: 1 },
      });
      byTestId(security, 'sessions-revoke-others').click();
      await settle(security);

      expect(status(security).textContent?.trim()).toBe('Signed out 1 other session.');
      expect(byTestId(security, 'error-message').textContent).toContain('Could not reload.');
    });
  });
});
