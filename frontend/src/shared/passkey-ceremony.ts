/**
 * Signing a server challenge with one of the person's passkeys, in two steps: `assert` asks
 * the browser (a prompt, or the email field's autofill), `verify` asks the server. A challenge
 * is fetched ahead and reused until it is signed, so that a button's prompt opens straight
 * after the click: Safari refuses a prompt that comes long after the person's gesture.
 */
import { startAuthentication, type AuthenticationResponseJSON } from '@simplewebauthn/browser';
import { ApiError } from './api.js';
import { PasskeyApi, type PasskeyChallenge, type PasskeyVerification } from './passkey-api.js';
import { cancelPasskeyPrompt, isCancellation, passkeyFailure } from './passkey-browser.js';

/** A prompt to answer now, or a request answered whenever a passkey is picked in autofill. */
export type Mediation = 'modal' | 'conditional';

/** A challenge signed by a passkey, ready to be verified once. */
export interface PasskeyAssertion {
  flow: string;
  credential: AuthenticationResponseJSON;
}

/** Challenges live five minutes on the server; one older than this is fetched again. */
export const CHALLENGE_REUSE_MS = 4 * 60 * 1000;

export class PasskeyCeremony {
  private challenge: Promise<PasskeyChallenge> | null = null;
  private fetchedAt = 0;
  /** Bumped by `cancel`, so an assertion still fetching its challenge does not open a prompt. */
  private generation = 0;

  constructor(private readonly api: PasskeyApi = new PasskeyApi()) {}

  /** The challenge the next assertion signs, fetched now unless a fresh one is waiting. */
  prepare(): Promise<PasskeyChallenge> {
    if (this.challenge && Date.now() - this.fetchedAt < CHALLENGE_REUSE_MS) return this.challenge;
    const challenge = this.api.options();
    this.challenge = challenge;
    this.fetchedAt = Date.now();
    challenge.catch(() => {
      if (this.challenge === challenge) this.challenge = null;
    });
    return challenge;
  }

  /** Forgets the waiting challenge, so the next assertion fetches a new one. */
  discard(): void {
    this.challenge = null;
  }

  /** Closes the open prompt or autofill request; its `assert` answers null. */
  cancel(): void {
    this.generation += 1;
    cancelPasskeyPrompt();
  }

  /**
   * Asks the browser to sign the challenge. Answers null when the person dismissed the prompt
   * or it was cancelled; throws `ApiError` for a failed request or a browser failure.
   */
  async assert(mediation: Mediation): Promise<PasskeyAssertion | null> {
    const generation = this.generation;
    const pending = this.prepare();
    const { flow, options } = await pending;
    if (generation !== this.generation) return null;
    let credential: AuthenticationResponseJSON;
    try {
      credential = await startAuthentication({
        optionsJSON: options,
        useBrowserAutofill: mediation === 'conditional',
        // The email field is in a shadow root, out of sight of the library's document-wide check.
        verifyBrowserAutofillInput: false,
      });
    } catch (error) {
      if (isCancellation(error)) return null;
      throw passkeyFailure(error);
    }
    if (this.challenge === pending) this.challenge = null;
    return { flow, credential };
  }

  /**
   * Sends the signed challenge to the server; answers where to go next. After a failure a new
   * challenge is fetched for the next try, since each one is good for one verification.
   */
  async verify(
    assertion: PasskeyAssertion,
    extra: Omit<PasskeyVerification, 'flow' | 'credential'> = {},
  ): Promise<string> {
    try {
      return await this.api.verify({ ...assertion, ...extra });
    } catch (error) {
      if (error instanceof ApiError && error.status !== 429) void this.prepare();
      throw error;
    }
  }
}
