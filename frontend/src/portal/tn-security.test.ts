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
import { relativeTime } from './scim-time.js';
import type { UserSession } from './portal-api.js';
import { describeSignIn, signOutLabels, type TnSecurity } from './tn-security.js';
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

describe('describeSignIn', () => {
  it('says how a session signed in, in plain words', () => {
    expect(describeSignIn(['pop', 'mfa'])).toBe('with a passkey');
    expect(describeSignIn(['otp', 'email'])).toBe('with an email code');
    expect(describeSignIn(['email'])).toBe('with a magic link');
    expect(describeSignIn(['fed'])).toBe('with single sign-on (SSO)');
  });

  it('says nothing rather than show a code it does not know', () => {
    expect(describeSignIn(['xyz'])).toBeNull();
    expect(describeSignIn([])).toBeNull();
  });
});

describe('signOutLabels', () => {
  const now = new Date('2026-11-28T12:00:00Z');

  it('names the device, when it signed in and from where', () => {
    expect(signOutLabels([laptop], now).get('ses_laptop')).toBe(
      'Sign out Firefox on Linux, signed in 8 days ago from 203.0.113.7',
    );
  });

  it('numbers sessions that would otherwise read the same', () => {
    const labels = signOutLabels([laptop, session('ses_twin'), phone], now);

    expect(labels.get('ses_laptop')).toMatch(/\(session 1 of 3\)$/);
    expect(labels.get('ses_twin')).toMatch(/\(session 2 of 3\)$/);
    expect(labels.get('ses_phone')).not.toMatch(/session \d/);
    expect(new Set(labels.values()).size).toBe(3);
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

    it('shows the device, when and how it signed in, when last active and the IP address', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      const text = byTestId(security, 'session-row-ses_laptop').textContent.replace(/\s+/g, ' ');

      expect(text).toContain('Firefox on Linux');
      expect(text).toContain('IP address 203.0.113.7');
      expect(text).toContain(`Signed in ${relativeTime(laptop.createdAt)} with an email code`);
      expect(text).toContain(`Last active ${relativeTime(laptop.lastActiveAt)}`);
      expect(text).not.toMatch(/one-time|otp/);
    });

    it('shows times relatively, with the exact moment on hover', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      const times = [...byTestId(security, 'session-row-ses_laptop').querySelectorAll('time')];

      expect(times.map((time) => time.getAttribute('datetime'))).toEqual([
        laptop.createdAt,
        laptop.lastActiveAt,
      ]);
      expect(times.map((time) => time.title)).toEqual([
        formatDateTime(laptop.createdAt),
        formatDateTime(laptop.lastActiveAt),
      ]);
    });

    it('says this session is active now', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      expect(byTestId(security, 'session-row-ses_here').textContent).toContain('Active now');
    });

    it('leaves out a sign-in method it does not know', async () => {
      const odd = session('ses_odd', { authenticationMethods: ['xyz'] });
      const security = await mountSecurity({ Sessions: listed(here, odd) });
      const row = byTestId(security, 'session-row-ses_odd');

      expect(row.textContent).not.toContain('xyz');
      expect(row.textContent).toContain('Signed in');
    });

    it('marks this session, which has no Sign out of its own', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop) });
      const current = byTestId(security, 'session-row-ses_here');

      expect(current.querySelector('[data-testid="session-current"]')?.textContent).toBe(
        'This session',
      );
      expect(queryTestId(security, 'session-revoke-ses_here')).toBeNull();
      const other = byTestId(security, 'session-row-ses_laptop');
      expect(other.querySelector('[data-testid="session-current"]')).toBeNull();
      const signOut = byTestId(security, 'session-revoke-ses_laptop');
      expect(signOut.textContent.trim()).toBe('Sign out');
      expect(signOut.getAttribute('aria-label')).toBe(
        `Sign out Firefox on Linux, signed in ${relativeTime(laptop.createdAt)} from 203.0.113.7`,
      );
    });

    it('gives every button its own accessible name, even for two sessions in one browser', async () => {
      const security = await mountSecurity({ Sessions: listed(here, laptop, session('ses_twin')) });
      const names = [...security.shadowRoot!.querySelectorAll('button')].map(
        (button) => button.getAttribute('aria-label') ?? button.textContent.trim(),
      );

      expect(names).toHaveLength(3);
      expect(new Set(names).size).toBe(3);
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

    it('shows placeholder rows and a status while the sessions load', async () => {
      const { answer } = deferred();
      const security = await mountSecurity({ Sessions: answer });
      const loading = byTestId(security, 'sessions-loading');

      expect(loading.getAttribute('aria-busy')).toBe('true');
      expect(loading.querySelector('[role="status"]')?.textContent).toContain('Loading your sessions');
      expect(loading.querySelectorAll('sl-skeleton').length).toBeGreaterThan(0);
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
        'Signed out Firefox on Linux (IP address 203.0.113.7).',
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
