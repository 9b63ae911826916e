import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHALLENGE_REUSE_MS } from '../shared/passkey-ceremony.js';
import { PASSKEY_MESSAGES } from '../shared/passkey-browser.js';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  stubLocationAssign,
} from '../testing/fixture.js';
import { jsonResponse, sentTo, stubEndpoints, type FetchMock } from '../testing/fetch-stub.js';
import {
  WebAuthnAbortService,
  browserError,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  openPrompt,
  openPrompts,
  requestOptions,
  resetWebAuthn,
  signedAssertion,
  startAuthentication,
} from '../testing/webauthn-stub.js';
import type { TnPasskeySignIn } from './tn-passkey-sign-in.js';
import './tn-passkey-sign-in.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const OPTIONS = '/a/auth/api/passkey/options';
const VERIFY = '/a/auth/api/passkey/verify';

const challenge = (flow: string, options = requestOptions(`challenge-${flow}`)) =>
  jsonResponse(200, { flow, options });
const signedIn = jsonResponse(200, { location: '/oauth/authorize/continue?x=1' });
const refused = (error: string, message: string) => jsonResponse(400, { error, message });

let server: FetchMock;

beforeEach(() => {
  setCsrfMeta();
  resetWebAuthn();
});

async function mountSignIn(
  answers: Parameters<typeof stubEndpoints>[0],
  properties: Partial<TnPasskeySignIn> = {},
): Promise<TnPasskeySignIn> {
  server = stubEndpoints(answers);
  const element = await mount('tn-passkey-sign-in', properties);
  await settle(element);
  return element;
}

function button(element: TnPasskeySignIn): HTMLButtonElement {
  return byTestId<HTMLButtonElement>(element, 'passkey-sign-in');
}

/** The open prompt's challenge and whether it waits in autofill. */
function promptShown(): { challenge: string; autofill: boolean } {
  const { options } = openPrompt();
  const request = options as { optionsJSON: { challenge: string }; useBrowserAutofill?: boolean };
  return {
    challenge: request.optionsJSON.challenge,
    autofill: Boolean(request.useBrowserAutofill),
  };
}

describe('<tn-passkey-sign-in>', () => {
  describe('rendering', () => {
    it('offers to sign in with a passkey where the browser has passkeys', async () => {
      const element = await mountSignIn({ [OPTIONS]: challenge('f1') });

      expect(button(element).textContent?.trim()).toBe('Sign in with a passkey');
      expect(button(element).type).toBe('button');
      expect(element.shadowRoot!.querySelector('.or')?.getAttribute('aria-hidden')).toBe('true');
    });

    it('renders and asks for nothing where the browser has no passkeys', async () => {
      browserSupportsWebAuthn.mockReturnValue(false);
      const element = await mountSignIn({}, { autofill: true });

      expect(element.shadowRoot!.children).toHaveLength(0);
      expect(server).not.toHaveBeenCalled();
      expect(startAuthentication).not.toHaveBeenCalled();
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountSignIn({ [OPTIONS]: challenge('f1') }));
    });
  });

  describe('autofill', () => {
    it("waits for a passkey from the email field's autofill", async () => {
      await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: true });

      expect(promptShown()).toEqual({ challenge: 'challenge-f1', autofill: true });
      const [sent] = sentTo(server, OPTIONS);
      expect(sent.method).toBe('POST');
      expect(sent.headers['x-csrf-token']).toBe(CSRF_TOKEN);
    });

    it('is not used when signing up, nor where the browser lacks it', async () => {
      await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: false });
      expect(openPrompts()).toHaveLength(0);

      browserSupportsWebAuthnAutofill.mockResolvedValue(false);
      await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: true });
      expect(openPrompts()).toHaveLength(0);
      expect(server).not.toHaveBeenCalled();
    });

    it('signs in with the passkey picked, continuing the pending request', async () => {
      const assign = stubLocationAssign();
      const element = await mountSignIn(
        { [OPTIONS]: challenge('f1'), [VERIFY]: signedIn },
        { autofill: true, req: 'req-1', returnTo: '/ui/' },
      );
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(sentTo(server, VERIFY)[0].body).toEqual({
        flow: 'f1',
        credential: signedAssertion(),
        req: 'req-1',
        return_to: '/ui/',
      });
      expect(sentTo(server, VERIFY)[0].headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/continue?x=1');
      expect(button(element).disabled).toBe(true);
      expect(openPrompts()).toHaveLength(0);
    });

    it('shows a refused passkey, then waits for another with a new challenge', async () => {
      const element = await mountSignIn(
        {
          [OPTIONS]: [challenge('f1'), challenge('f2')],
          [VERIFY]: refused('passkey_rejected', 'We don’t recognize that passkey.'),
        },
        { autofill: true },
      );
      openPrompt().answer(signedAssertion());
      await settle(element);
      const alert = byTestId(element, 'error-message');

      expect(alert.getAttribute('role')).toBe('alert');
      expect(alert.textContent?.trim()).toBe('We don’t recognize that passkey.');
      expect(focusedIn(element)).toBe(alert);
      expect(promptShown()).toEqual({ challenge: 'challenge-f2', autofill: true });
    });

    it('stays quiet when the waiting request fails in the browser', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const element = await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: true });
      openPrompt().fail(browserError('UnknownError'));
      await settle(element);

      expect(queryTestId(element, 'error-message')).toBeNull();
      expect(warn).toHaveBeenCalled();
      expect(button(element).disabled).toBe(false);
    });

    it('closes the waiting request when the step is left, and opens it again on return', async () => {
      const element = await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: true });
      const parent = element.parentElement!;
      element.remove();

      expect(WebAuthnAbortService.cancelCeremony).toHaveBeenCalledOnce();
      expect(openPrompts()).toHaveLength(0);

      parent.append(element);
      await settle(element);
      expect(promptShown()).toEqual({ challenge: 'challenge-f1', autofill: true });
    });
  });

  describe('renewing the autofill request', () => {
    beforeEach(() => {
      vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => vi.useRealTimers());

    it('replaces the waiting request before its challenge expires', async () => {
      const element = await mountSignIn(
        { [OPTIONS]: [challenge('f1'), challenge('f2')] },
        { autofill: true },
      );
      expect(promptShown().challenge).toBe('challenge-f1');

      vi.advanceTimersByTime(CHALLENGE_REUSE_MS);
      await settle(element);
      expect(promptShown()).toEqual({ challenge: 'challenge-f2', autofill: true });
      expect(sentTo(server, OPTIONS)).toHaveLength(2);
    });
  });

  describe('the button', () => {
    it('closes the waiting autofill request, opens a prompt and signs in', async () => {
      const assign = stubLocationAssign();
      const element = await mountSignIn(
        { [OPTIONS]: challenge('f1'), [VERIFY]: signedIn },
        { autofill: true, returnTo: '/ui/' },
      );
      const autofill = startAuthentication.mock.results[0].value as Promise<unknown>;
      button(element).click();
      await settle(element);

      expect(WebAuthnAbortService.cancelCeremony).toHaveBeenCalledOnce();
      await expect(autofill).rejects.toMatchObject({ name: 'AbortError' });
      expect(promptShown()).toEqual({ challenge: 'challenge-f1', autofill: false });
      expect(button(element).getAttribute('aria-busy')).toBe('true');
      expect(button(element).disabled).toBe(true);

      openPrompt().answer(signedAssertion('cred_9'));
      await settle(element);
      expect(sentTo(server, OPTIONS)).toHaveLength(1);
      expect(sentTo(server, VERIFY)[0].body).toEqual({
        flow: 'f1',
        credential: signedAssertion('cred_9'),
        return_to: '/ui/',
      });
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/continue?x=1');
      expect(openPrompts()).toHaveLength(0);
    });

    it('says nothing when the person dismisses the prompt, and waits for autofill again', async () => {
      const element = await mountSignIn({ [OPTIONS]: challenge('f1') }, { autofill: true });
      button(element).click();
      await settle(element);
      openPrompt().fail(browserError('NotAllowedError'));
      await settle(element);

      expect(queryTestId(element, 'error-message')).toBeNull();
      expect(button(element).disabled).toBe(false);
      expect(button(element).getAttribute('aria-busy')).toBe('false');
      expect(promptShown()).toEqual({ challenge: 'challenge-f1', autofill: true });
      expect(sentTo(server, VERIFY)).toHaveLength(0);
    });

    it('works without autofill, as when signing up', async () => {
      const assign = stubLocationAssign();
      const element = await mountSignIn({ [OPTIONS]: challenge('f1'), [VERIFY]: signedIn });
      expect(server).not.toHaveBeenCalled();

      button(element).click();
      await settle(element);
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(sentTo(server, VERIFY)[0].body).toEqual({
        flow: 'f1',
        credential: signedAssertion(),
      });
      expect(assign).toHaveBeenCalledOnce();
    });

    it('after an expired challenge, explains and lets the person try again with a new one', async () => {
      const assign = stubLocationAssign();
      const element = await mountSignIn({
        [OPTIONS]: [challenge('f1'), challenge('f2')],
        [VERIFY]: [refused('expired_challenge', 'That took too long. Try again.'), signedIn],
      });
      button(element).click();
      await settle(element);
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(byTestId(element, 'error-message').textContent?.trim()).toBe(
        'That took too long. Try again.',
      );
      expect(sentTo(server, OPTIONS)).toHaveLength(2);

      button(element).click();
      await settle(element);
      expect(promptShown().challenge).toBe('challenge-f2');
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(sentTo(server, VERIFY)[1].body).toMatchObject({ flow: 'f2' });
      expect(queryTestId(element, 'error-message')).toBeNull();
      expect(assign).toHaveBeenCalledWith('/oauth/authorize/continue?x=1');
    });

    it('shows a browser failure in words, in a focused alert', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const element = await mountSignIn({ [OPTIONS]: challenge('f1') });
      button(element).click();
      await settle(element);
      openPrompt().fail(browserError('SecurityError'));
      await settle(element);

      const alert = byTestId(element, 'error-message');
      expect(alert.textContent?.trim()).toBe(PASSKEY_MESSAGES.failed);
      expect(focusedIn(element)).toBe(alert);
    });

    it('shows a failure to fetch the challenge', async () => {
      const element = await mountSignIn({
        [OPTIONS]: jsonResponse(403, {
          error: 'csrf_failed',
          message: 'Reload the page and try again.',
        }),
      });
      button(element).click();
      await settle(element);

      expect(byTestId(element, 'error-message').textContent?.trim()).toBe(
        'Reload the page and try again.',
      );
      expect(openPrompts()).toHaveLength(0);
    });
  });

  describe('rate limiting', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] }));
    afterEach(() => vi.useRealTimers());

    it('disables the button for Retry-After seconds after a 429', async () => {
      const element = await mountSignIn({
        [OPTIONS]: challenge('f1'),
        [VERIFY]: jsonResponse(
          429,
          { error: 'rate_limited', message: 'Too many passkey attempts. Try again in 2 seconds.' },
          { 'Retry-After': '2' },
        ),
      });
      button(element).click();
      await settle(element);
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(byTestId(element, 'error-message').textContent?.trim()).toBe(
        'Too many passkey attempts. Try again in 2 seconds.',
      );
      expect(button(element).disabled).toBe(true);
      expect(queryTestId(element, 'retry-countdown')).toBeNull(); // the alert says it once

      vi.advanceTimersByTime(2000);
      await element.updateComplete;
      expect(button(element).disabled).toBe(false);
    });
  });
});
