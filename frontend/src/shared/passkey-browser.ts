/**
 * What the browser says about passkeys, in the words our elements use: whether it can use them,
 * whether the person dismissed its prompt, and what any other failure means for them.
 */
import {
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
} from '@simplewebauthn/browser';
import { msg } from '@lit/localize';
import { ApiError } from './api.js';

/** Read when shown, so each is in the page's language. */
export const PASSKEY_MESSAGES = {
  get exists(): string {
    return msg(
      'This device already has a passkey for your account. Use that one, or add a passkey on another device.',
      { id: 'passkey.error.exists' },
    );
  },
  get unsupported(): string {
    return msg(
      "This device can't make a passkey that works here. Try another device, or a security key.",
      { id: 'passkey.error.unsupported' },
    );
  },
  get failed(): string {
    return msg("Your browser couldn't finish with the passkey. Try again.", {
      id: 'passkey.error.failed',
    });
  },
};

export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** Whether the browser offers passkeys in the email field's autofill (conditional mediation). */
export async function passkeyAutofillSupported(): Promise<boolean> {
  try {
    return await browserSupportsWebAuthnAutofill();
  } catch {
    return false;
  }
}

/** Closes a passkey prompt this page opened, including one waiting in autofill. */
export function cancelPasskeyPrompt(): void {
  WebAuthnAbortService.cancelCeremony();
}

/**
 * Whether the person dismissed the prompt (or it timed out, or the page aborted it): browsers
 * report all of these as NotAllowedError or AbortError, and none needs a message.
 */
export function isCancellation(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NotAllowedError' || name === 'AbortError';
}

/** A browser failure that is not a cancellation, as an error the alert can show. */
export function passkeyFailure(error: unknown): ApiError {
  const name = errorName(error);
  if (name === 'InvalidStateError') {
    return new ApiError({ status: 0, code: 'passkey_exists', message: PASSKEY_MESSAGES.exists });
  }
  if (name === 'NotSupportedError' || name === 'ConstraintError') {
    return new ApiError({
      status: 0,
      code: 'passkey_unsupported',
      message: PASSKEY_MESSAGES.unsupported,
    });
  }
  console.error(error);
  return new ApiError({ status: 0, code: 'passkey_failed', message: PASSKEY_MESSAGES.failed });
}

function errorName(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : null;
}
