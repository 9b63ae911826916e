/**
 * A fake `@simplewebauthn/browser`, the passkey boundary of every element. Like the real one,
 * it keeps one prompt open at a time: a new prompt or `cancelCeremony` rejects the open one
 * with an AbortError. Tests answer or dismiss the prompts it records. Use it with
 * `vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'))` and call
 * `resetWebAuthn` before each test.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { vi } from 'vitest';

interface StartAuthenticationOptions {
  optionsJSON: PublicKeyCredentialRequestOptionsJSON;
  useBrowserAutofill?: boolean;
  verifyBrowserAutofillInput?: boolean;
}

interface StartRegistrationOptions {
  optionsJSON: PublicKeyCredentialCreationOptionsJSON;
}

/** An open browser prompt: `get` signs in, `create` makes a passkey. */
export interface Prompt {
  kind: 'get' | 'create';
  options: StartAuthenticationOptions | StartRegistrationOptions;
  answer(credential: unknown): void;
  fail(error: Error): void;
}

const open: Prompt[] = [];

function prompt(kind: Prompt['kind'], options: Prompt['options']): Promise<never> {
  abortOpen('Cancelling existing WebAuthn API call for new one');
  return new Promise((resolve, reject) => {
    const entry: Prompt = {
      kind,
      options,
      answer: (credential) => close(entry, () => resolve(credential as never)),
      fail: (error) => close(entry, () => reject(error)),
    };
    open.push(entry);
  });
}

function close(entry: Prompt, settle: () => void): void {
  const index = open.indexOf(entry);
  if (index >= 0) open.splice(index, 1);
  settle();
}

function abortOpen(message: string): void {
  for (const entry of [...open]) entry.fail(browserError('AbortError', message));
}

export const startAuthentication = vi.fn(
  (options: StartAuthenticationOptions): Promise<AuthenticationResponseJSON> =>
    prompt('get', options),
);
export const startRegistration = vi.fn(
  (options: StartRegistrationOptions): Promise<RegistrationResponseJSON> =>
    prompt('create', options),
);
export const browserSupportsWebAuthn = vi.fn(() => true);
export const browserSupportsWebAuthnAutofill = vi.fn(() => Promise.resolve(true));
export const WebAuthnAbortService = {
  cancelCeremony: vi.fn(() => abortOpen('Manually cancelling existing WebAuthn API call')),
  createNewAbortSignal: vi.fn(() => new AbortController().signal),
};

/** A browser that supports passkeys and autofill, with no prompt open and no calls recorded. */
export function resetWebAuthn(): void {
  open.length = 0;
  for (const mock of [
    startAuthentication,
    startRegistration,
    browserSupportsWebAuthn,
    browserSupportsWebAuthnAutofill,
    WebAuthnAbortService.cancelCeremony,
  ]) {
    mock.mockReset(); // Back to the implementation given to vi.fn, with no calls recorded.
  }
}

/** The prompts still open, oldest first. */
export function openPrompts(): readonly Prompt[] {
  return [...open];
}

/** The one open prompt; fails the test when there is none or more than one. */
export function openPrompt(): Prompt {
  if (open.length !== 1) throw new Error(`${open.length} passkey prompts are open, not 1`);
  return open[0];
}

/** An error as the library passes on a browser's: its `name` is the DOMException's. */
export function browserError(name: string, message = `${name} from the browser`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What the browser answers when a passkey signs a challenge. */
export function signedAssertion(id = 'cred_1'): AuthenticationResponseJSON {
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: { authenticatorData: 'YXV0aA', clientDataJSON: 'e30', signature: 'c2ln' },
  };
}

/** What the browser answers when it made a passkey. */
export function newCredential(id = 'cred_new'): RegistrationResponseJSON {
  return {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: 'e30', attestationObject: 'o2Nm' },
  };
}

/** Options as the server sends them for signing in with any passkey. */
export function requestOptions(challenge = 'challenge-1'): PublicKeyCredentialRequestOptionsJSON {
  return { challenge, allowCredentials: [], userVerification: 'required', timeout: 300000 };
}

/** Options as the server sends them for making a passkey. */
export function creationOptions(challenge = 'create-1'): PublicKeyCredentialCreationOptionsJSON {
  return {
    challenge,
    rp: { id: 'localhost', name: 'Tenantry' },
    user: { id: 'dXNy', name: 'ada@example.com', displayName: 'Ada Lovelace' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  };
}
