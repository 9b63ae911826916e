/**
 * The passkey endpoints of the sign-in JSON API, used to sign in and, from the portal, to
 * confirm it's you before a sensitive change. Optional fields are left out when not given.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { ApiClient } from './api.js';

/** A single-use challenge for any of the person's passkeys, valid for five minutes. */
export interface PasskeyChallenge {
  flow: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

export interface PasskeyVerification {
  flow: string;
  credential: AuthenticationResponseJSON;
  /** The pending authorization request, when signing in for an application. */
  req?: string | null;
  /** Where to go after signing in when there is no authorization request. */
  returnTo?: string | null;
  /** Refresh the current session's sign-in time instead of starting a new session. */
  reauthenticate?: boolean;
}

const BASE = '/a/auth/api/passkey';

export class PasskeyApi {
  constructor(private readonly client: ApiClient = ApiClient.fromDocument()) {}

  async options(): Promise<PasskeyChallenge> {
    return this.client.post<PasskeyChallenge>(`${BASE}/options`, {});
  }

  /** Checks the signed challenge; the answer is where the browser goes next. */
  async verify(input: PasskeyVerification): Promise<string> {
    const { location } = await this.client.post<{ location: string }>(`${BASE}/verify`, {
      flow: input.flow,
      credential: input.credential,
      ...(input.req ? { req: input.req } : {}),
      ...(input.returnTo ? { return_to: input.returnTo } : {}),
      ...(input.reauthenticate ? { reauthenticate: true } : {}),
    });
    return location;
  }
}
