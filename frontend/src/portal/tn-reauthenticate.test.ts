import { beforeEach, describe, expect, it, vi } from 'vitest';
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
import { jsonResponse, sentTo, stubEndpoints, type FetchMock } from '../testing/fetch-stub.js';
import {
  browserError,
  openPrompt,
  openPrompts,
  requestOptions,
  resetWebAuthn,
  signedAssertion,
} from '../testing/webauthn-stub.js';
import { describeSeconds, signInAgainHref, type TnReauthenticate } from './tn-reauthenticate.js';
import './tn-reauthenticate.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const OPTIONS = '/a/auth/api/passkey/options';
const VERIFY = '/a/auth/api/passkey/verify';
const challenge = (flow: string) => jsonResponse(200, { flow, options: requestOptions(flow) });

let server: FetchMock;

beforeEach(() => {
  setCsrfMeta();
  resetWebAuthn();
});

async function mountPanel(
  answers: Parameters<typeof stubEndpoints>[0],
  properties: Partial<TnReauthenticate> = {},
): Promise<TnReauthenticate> {
  server = stubEndpoints(answers);
  const panel = await mount('tn-reauthenticate', {
    email: 'ada+work@example.com',
    maxAgeSeconds: 300,
    purpose: 'add a passkey',
    offerPasskey: true,
    ...properties,
  });
  await settle(panel);
  return panel;
}

function text(panel: TnReauthenticate): string {
  return panel.shadowRoot!.textContent.replace(/\s+/g, ' ');
}

describe('describeSeconds', () => {
  it('says minutes, or seconds under a minute', () => {
    expect(describeSeconds(300)).toBe('5 minutes');
    expect(describeSeconds(60)).toBe('1 minute');
    expect(describeSeconds(45)).toBe('45 seconds');
    expect(describeSeconds(1)).toBe('1 second');
  });
});

describe('signInAgainHref', () => {
  it('encodes the login hint and where to come back to', () => {
    expect(signInAgainHref('ada+work@example.com', '/ui/security')).toBe(
      '/a/auth/login?login_hint=ada%2Bwork%40example.com&return_to=%2Fui%2Fsecurity',
    );
    expect(signInAgainHref('', '/ui/security')).toBe('/a/auth/login?return_to=%2Fui%2Fsecurity');
  });
});

describe('<tn-reauthenticate>', () => {
  describe('rendering', () => {
    it("explains why, and offers a passkey, signing in again, or cancelling", async () => {
      const panel = await mountPanel({ [OPTIONS]: challenge('f1') });

      expect(panel.shadowRoot!.querySelector('h2')?.textContent).toBe("Confirm it's you");
      expect(text(panel)).toContain(
        "You signed in more than 5 minutes ago. To add a passkey, first confirm it's you.",
      );
      expect(byTestId(panel, 'reauth-passkey').textContent?.trim()).toBe('Use a passkey');
      const link = byTestId<HTMLAnchorElement>(panel, 'reauth-sign-in');
      expect(link.textContent?.trim()).toBe('Sign in again');
      expect(link.getAttribute('href')).toBe(
        '/a/auth/login?login_hint=ada%2Bwork%40example.com&return_to=%2Fui%2Fsecurity',
      );
      expect(byTestId(panel, 'reauth-cancel').textContent?.trim()).toBe('Cancel');
    });

    it('offers only signing in again to someone without a passkey, and fetches nothing', async () => {
      const panel = await mountPanel({}, { offerPasskey: false });

      expect(queryTestId(panel, 'reauth-passkey')).toBeNull();
      expect(text(panel)).toContain('Signing in again brings you back to this page.');
      expect(server).not.toHaveBeenCalled();
    });

    it('fetches the challenge ahead, so the prompt opens right after the click', async () => {
      await mountPanel({ [OPTIONS]: challenge('f1') });

      expect(sentTo(server, OPTIONS)).toHaveLength(1);
      expect(sentTo(server, OPTIONS)[0].headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(openPrompts()).toHaveLength(0);
    });

    it('moves focus to its heading when asked to', async () => {
      const panel = await mountPanel({ [OPTIONS]: challenge('f1') });
      panel.focus();

      expect(focusedIn(panel)).toBe(panel.shadowRoot!.querySelector('h2'));
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountPanel({ [OPTIONS]: challenge('f1') }));
    });
  });

  describe('using a passkey', () => {
    it('refreshes the session with the passkey and announces it', async () => {
      const panel = await mountPanel({
        [OPTIONS]: challenge('f1'),
        [VERIFY]: jsonResponse(200, { location: '/ui/' }),
      });
      const confirmed = vi.fn();
      panel.addEventListener('tn-reauthenticated', confirmed);
      byTestId(panel, 'reauth-passkey').click();
      await settle(panel);

      expect(byTestId(panel, 'reauth-passkey').getAttribute('aria-busy')).toBe('true');
      openPrompt().answer(signedAssertion());
      await settle(panel);

      expect(sentTo(server, VERIFY)[0].body).toEqual({
        flow: 'f1',
        credential: signedAssertion(),
        reauthenticate: true,
      });
      expect(sentTo(server, OPTIONS)).toHaveLength(1);
      expect(confirmed).toHaveBeenCalledOnce();
    });

    it('says nothing when the person dismisses the prompt', async () => {
      const panel = await mountPanel({ [OPTIONS]: challenge('f1') });
      const confirmed = vi.fn();
      panel.addEventListener('tn-reauthenticated', confirmed);
      byTestId(panel, 'reauth-passkey').click();
      await settle(panel);
      openPrompt().fail(browserError('NotAllowedError'));
      await settle(panel);

      expect(queryTestId(panel, 'error-message')).toBeNull();
      expect(confirmed).not.toHaveBeenCalled();
      expect(byTestId<HTMLButtonElement>(panel, 'reauth-passkey').disabled).toBe(false);
    });

    it("shows the server's refusal, such as another person's passkey, and can try again", async () => {
      const panel = await mountPanel({
        [OPTIONS]: [challenge('f1'), challenge('f2')],
        [VERIFY]: [
          jsonResponse(403, {
            error: 'wrong_account',
            message: 'That passkey belongs to another account. Use one of yours.',
          }),
          jsonResponse(200, { location: '/ui/' }),
        ],
      });
      const confirmed = vi.fn();
      panel.addEventListener('tn-reauthenticated', confirmed);
      byTestId(panel, 'reauth-passkey').click();
      await settle(panel);
      openPrompt().answer(signedAssertion('someone-else'));
      await settle(panel);

      const alert = byTestId(panel, 'error-message');
      expect(alert.textContent?.trim()).toBe(
        'That passkey belongs to another account. Use one of yours.',
      );
      expect(focusedIn(panel)).toBe(alert);
      expect(confirmed).not.toHaveBeenCalled();

      byTestId(panel, 'reauth-passkey').click();
      await settle(panel);
      openPrompt().answer(signedAssertion());
      await settle(panel);
      expect(sentTo(server, VERIFY)[1].body).toMatchObject({ flow: 'f2', reauthenticate: true });
      expect(confirmed).toHaveBeenCalledOnce();
    });
  });

  describe('cancelling', () => {
    it('announces Cancel, and Escape', async () => {
      const panel = await mountPanel({ [OPTIONS]: challenge('f1') });
      const cancelled = vi.fn();
      panel.addEventListener('tn-reauthenticate-cancel', cancelled);
      byTestId(panel, 'reauth-cancel').click();
      byTestId(panel, 'reauth-cancel').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
      );

      expect(cancelled).toHaveBeenCalledTimes(2);
    });
  });
});
