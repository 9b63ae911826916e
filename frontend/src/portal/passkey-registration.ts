/**
 * Making a new passkey: the server's options, the browser's prompt, then the server stores it
 * under the name the person chose.
 */
import { startRegistration, type RegistrationResponseJSON } from '@simplewebauthn/browser';
import { isCancellation, passkeyFailure } from '../shared/passkey-browser.js';
import type { Passkey, PasskeysApi } from './passkeys-api.js';

/** Platforms as people call them, tested in order: iPhones also say "Mac OS X", Android "Linux". */
const PLATFORMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Macintosh|Mac OS X/, 'Mac'],
  [/Windows/, 'Windows'],
  [/Linux/, 'Linux'],
];

/** A name to start from, such as "Passkey on Mac", which the person may change. */
export function defaultPasskeyName(userAgent: string = navigator.userAgent): string {
  const platform = PLATFORMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return platform ? `Passkey on ${platform}` : 'Passkey';
}

/**
 * Makes a passkey named `name`; answers it, or null when the person dismissed the browser's
 * prompt. Throws `ProblemError` (such as `ReauthenticationRequired`) or `ApiError` otherwise.
 */
export async function registerPasskey(api: PasskeysApi, name: string): Promise<Passkey | null> {
  const { flowId, options } = await api.beginPasskeyRegistration(name);
  let credential: RegistrationResponseJSON;
  try {
    credential = await startRegistration({ optionsJSON: options });
  } catch (error) {
    if (isCancellation(error)) return null;
    throw passkeyFailure(error);
  }
  return api.finishPasskeyRegistration({ flowId, credential, name });
}
