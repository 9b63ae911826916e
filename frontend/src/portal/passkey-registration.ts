/**
 * Making a new passkey: the server's options, the browser's prompt, then the server stores it
 * under the name the person chose, or one it picks from the authenticator.
 */
import { startRegistration, type RegistrationResponseJSON } from '@simplewebauthn/browser';
import { isCancellation, passkeyFailure } from '../shared/passkey-browser.js';
import type { Passkey, PasskeysApi } from './passkeys-api.js';

/**
 * Makes a passkey named `name`, or, without one, named by the server after its authenticator
 * once the browser says which it is ("iCloud Keychain", else "Chrome on macOS"); answers it, or
 * null when the person dismissed the browser's prompt. Throws `ProblemError` (such as
 * `ReauthenticationRequired`) or `ApiError` otherwise.
 */
export async function registerPasskey(api: PasskeysApi, name?: string): Promise<Passkey | null> {
  const { flowId, options } = await api.beginPasskeyRegistration(name);
  let credential: RegistrationResponseJSON;
  try {
    credential = await startRegistration({ optionsJSON: options });
  } catch (error) {
    if (isCancellation(error)) return null;
    throw passkeyFailure(error);
  }
  return api.finishPasskeyRegistration(name ? { flowId, credential, name } : { flowId, credential });
}
