import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, sentRequest, stubFetch } from '../testing/fetch-stub.js';
import {
  WebAuthnAbortService,
  browserError,
  openPrompt,
  openPrompts,
  requestOptions,
  resetWebAuthn,
  signedAssertion,
  startAuthentication,
} from '../testing/webauthn-stub.js';
import { ApiClient } from './api.js';
import { PasskeyApi } from './passkey-api.js';
import { PASSKEY_MESSAGES } from './passkey-browser.js';
import { CHALLENGE_REUSE_MS, PasskeyCeremony } from './passkey-ceremony.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const challenge = (flow = 'flow-1') => jsonResponse(200, { flow, options: requestOptions() });

function ceremony(): PasskeyCeremony {
  return new PasskeyCeremony(new PasskeyApi(new ApiClient('tok')));
}

/** Lets the fetch and the prompt it leads to start. */
async function settled(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((done) => setTimeout(done, 0));
}

beforeEach(() => resetWebAuthn());

describe('PasskeyCeremony', () => {
  describe('asserting', () => {
    it('fetches a challenge with the CSRF header and has the browser sign it', async () => {
      const fetch = stubFetch(challenge());
      const signing = ceremony().assert('modal');
      await settled();
      openPrompt().answer(signedAssertion());

      expect(await signing).toEqual({ flow: 'flow-1', credential: signedAssertion() });
      const request = sentRequest(fetch);
      expect(request.url).toBe('/a/auth/api/passkey/options');
      expect(request.method).toBe('POST');
      expect(request.headers['x-csrf-token']).toBe('tok');
      expect(request.body).toEqual({});
      expect(startAuthentication).toHaveBeenCalledWith({
        optionsJSON: requestOptions(),
        useBrowserAutofill: false,
        verifyBrowserAutofillInput: false,
      });
    });

    it('asks for autofill without checking the document for the field, which is in a shadow root', async () => {
      stubFetch(challenge());
      void ceremony().assert('conditional');
      await settled();

      expect(openPrompt().options).toEqual({
        optionsJSON: requestOptions(),
        useBrowserAutofill: true,
        verifyBrowserAutofillInput: false,
      });
    });

    it('answers null when the person dismisses the prompt', async () => {
      stubFetch(challenge());
      const signing = ceremony().assert('modal');
      await settled();
      openPrompt().fail(browserError('NotAllowedError'));

      expect(await signing).toBeNull();
    });

    it('throws a message people can act on when the browser fails', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      stubFetch(challenge());
      const signing = ceremony().assert('modal');
      await settled();
      openPrompt().fail(browserError('UnknownError'));

      await expect(signing).rejects.toMatchObject({
        code: 'passkey_failed',
        message: PASSKEY_MESSAGES.failed,
      });
    });

    it('throws the server error when no challenge can be fetched, and fetches again next time', async () => {
      const fetch = stubFetch(
        jsonResponse(429, { error: 'rate_limited', message: 'Slow down.' }, { 'Retry-After': '9' }),
        challenge('flow-2'),
      );
      const passkeys = ceremony();

      await expect(passkeys.assert('modal')).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfter: 9,
      });
      void passkeys.assert('modal');
      await settled();
      expect(fetch).toHaveBeenCalledTimes(2);
      expect(openPrompts()).toHaveLength(1);
    });
  });

  describe('reusing challenges', () => {
    afterEach(() => vi.useRealTimers());

    it('reuses an unsigned challenge, so a button opens its prompt without waiting', async () => {
      const fetch = stubFetch(challenge('flow-1'));
      const passkeys = ceremony();
      await passkeys.prepare();
      const first = passkeys.assert('conditional');
      await settled();
      const second = passkeys.assert('modal');
      await settled();

      expect(await first).toBeNull();
      openPrompt().answer(signedAssertion());
      expect((await second)?.flow).toBe('flow-1');
      expect(fetch).toHaveBeenCalledOnce();
    });

    it('fetches a new challenge once one was signed, since each is good for one verification', async () => {
      const fetch = stubFetch(challenge('flow-1'), challenge('flow-2'));
      const passkeys = ceremony();
      const first = passkeys.assert('modal');
      await settled();
      openPrompt().answer(signedAssertion());
      await first;

      expect((await passkeys.prepare()).flow).toBe('flow-2');
      expect(fetch).toHaveBeenCalledTimes(2);
    });

    it('fetches a new challenge when the waiting one is close to expiring, or was discarded', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const fetch = stubFetch(challenge('flow-1'), challenge('flow-2'), challenge('flow-3'));
      const passkeys = ceremony();
      await passkeys.prepare();
      vi.advanceTimersByTime(CHALLENGE_REUSE_MS - 1);
      expect((await passkeys.prepare()).flow).toBe('flow-1');

      vi.advanceTimersByTime(1);
      expect((await passkeys.prepare()).flow).toBe('flow-2');
      passkeys.discard();
      expect((await passkeys.prepare()).flow).toBe('flow-3');
      expect(fetch).toHaveBeenCalledTimes(3);
    });
  });

  describe('cancelling', () => {
    it('closes the open prompt, whose assertion answers null', async () => {
      stubFetch(challenge());
      const passkeys = ceremony();
      const signing = passkeys.assert('conditional');
      await settled();
      passkeys.cancel();

      expect(WebAuthnAbortService.cancelCeremony).toHaveBeenCalledOnce();
      expect(await signing).toBeNull();
    });

    it('opens no prompt for an assertion still waiting for its challenge', async () => {
      stubFetch(challenge());
      const passkeys = ceremony();
      const signing = passkeys.assert('conditional');
      passkeys.cancel();

      expect(await signing).toBeNull();
      expect(startAuthentication).not.toHaveBeenCalled();
    });
  });

  describe('verifying', () => {
    it('sends the flow, credential and continuation, and answers the location', async () => {
      const fetch = stubFetch(jsonResponse(200, { location: '/oauth/authorize/continue' }));
      const location = await ceremony().verify(
        { flow: 'flow-1', credential: signedAssertion() },
        { req: 'req-1', returnTo: '/ui/' },
      );

      expect(location).toBe('/oauth/authorize/continue');
      const request = sentRequest(fetch);
      expect(request.url).toBe('/a/auth/api/passkey/verify');
      expect(request.headers['x-csrf-token']).toBe('tok');
      expect(request.body).toEqual({
        flow: 'flow-1',
        credential: signedAssertion(),
        req: 'req-1',
        return_to: '/ui/',
      });
    });

    it('leaves out what was not given, and asks to refresh the session when reauthenticating', async () => {
      const fetch = stubFetch(
        jsonResponse(200, { location: '/' }),
        jsonResponse(200, { location: '/' }),
      );
      const passkeys = ceremony();
      const credential = signedAssertion();
      await passkeys.verify({ flow: 'f', credential }, { req: null, returnTo: null });
      await passkeys.verify({ flow: 'g', credential: signedAssertion() }, { reauthenticate: true });

      expect(sentRequest(fetch, 0).body).toEqual({ flow: 'f', credential: signedAssertion() });
      expect(sentRequest(fetch, 1).body).toEqual({
        flow: 'g',
        credential: signedAssertion(),
        reauthenticate: true,
      });
    });

    it('fetches a fresh challenge after a refusal, ready for the next try', async () => {
      const fetch = stubFetch(
        jsonResponse(400, {
          error: 'expired_challenge',
          message: 'That took too long. Try again.',
        }),
        challenge('flow-2'),
      );
      const passkeys = ceremony();
      const verifying = passkeys.verify({ flow: 'flow-1', credential: signedAssertion() });

      await expect(verifying).rejects.toMatchObject({
        code: 'expired_challenge',
        message: 'That took too long. Try again.',
      });
      expect((await passkeys.prepare()).flow).toBe('flow-2');
      expect(sentRequest(fetch, 1).url).toBe('/a/auth/api/passkey/options');
    });

    it('fetches nothing more while rate limited', async () => {
      const fetch = stubFetch(
        jsonResponse(429, { error: 'rate_limited', message: 'Slow.' }, { 'Retry-After': '30' }),
      );
      await expect(
        ceremony().verify({ flow: 'flow-1', credential: signedAssertion() }),
      ).rejects.toMatchObject({ status: 429, retryAfter: 30 });
      await settled();

      expect(fetch).toHaveBeenCalledOnce();
    });
  });
});
