import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  WebAuthnAbortService,
  browserError,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  resetWebAuthn,
} from '../testing/webauthn-stub.js';
import { ApiError } from './api.js';
import {
  PASSKEY_MESSAGES,
  cancelPasskeyPrompt,
  isCancellation,
  passkeyAutofillSupported,
  passkeyFailure,
  passkeysSupported,
} from './passkey-browser.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

beforeEach(() => resetWebAuthn());

describe('passkey support', () => {
  it("follows the browser's answers", async () => {
    expect(passkeysSupported()).toBe(true);
    expect(await passkeyAutofillSupported()).toBe(true);

    browserSupportsWebAuthn.mockReturnValue(false);
    browserSupportsWebAuthnAutofill.mockResolvedValue(false);
    expect(passkeysSupported()).toBe(false);
    expect(await passkeyAutofillSupported()).toBe(false);
  });

  it('takes a failed autofill check for no autofill', async () => {
    browserSupportsWebAuthnAutofill.mockRejectedValue(new Error('broken'));

    expect(await passkeyAutofillSupported()).toBe(false);
  });

  it("closes an open prompt through the library's abort service", () => {
    cancelPasskeyPrompt();

    expect(WebAuthnAbortService.cancelCeremony).toHaveBeenCalledOnce();
  });
});

describe('isCancellation', () => {
  it('treats a dismissed, timed-out or aborted prompt as a cancellation', () => {
    expect(isCancellation(browserError('NotAllowedError'))).toBe(true);
    expect(isCancellation(new DOMException('Aborted', 'AbortError'))).toBe(true);
  });

  it('treats anything else as a failure', () => {
    expect(isCancellation(browserError('InvalidStateError'))).toBe(false);
    expect(isCancellation(new TypeError('x'))).toBe(false);
    expect(isCancellation('NotAllowedError')).toBe(false);
    expect(isCancellation(null)).toBe(false);
  });
});

describe('passkeyFailure', () => {
  it('says a device already has a passkey for the account', () => {
    expect(passkeyFailure(browserError('InvalidStateError'))).toMatchObject({
      code: 'passkey_exists',
      message: PASSKEY_MESSAGES.exists,
    });
  });

  it('says the device cannot make a suitable passkey', () => {
    for (const name of ['NotSupportedError', 'ConstraintError']) {
      expect(passkeyFailure(browserError(name))).toMatchObject({
        code: 'passkey_unsupported',
        message: PASSKEY_MESSAGES.unsupported,
      });
    }
  });

  it('asks to try again after any other failure, logging it for whoever debugs', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const cause = browserError('SecurityError');
    const failure = passkeyFailure(cause);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 0,
      code: 'passkey_failed',
      message: PASSKEY_MESSAGES.failed,
    });
    expect(log).toHaveBeenCalledWith(cause);
  });
});
