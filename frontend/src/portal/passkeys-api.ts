/**
 * The signed-in person's passkeys, through the operations of operations/passkeys.graphql (typed
 * by `npm run codegen`). Mutations return their success type or throw `ProblemError`; adding or deleting one may answer `ReauthenticationRequired`,
 * which `reauthenticationRequired` picks out of the error.
 */
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import {
  BeginPasskeyRegistrationDocument,
  DeletePasskeyDocument,
  FinishPasskeyRegistrationDocument,
  PasskeysDocument,
  RenamePasskeyDocument,
  type BeginPasskeyRegistrationMutation,
  type PasskeyFieldsFragment,
} from '../generated/graphql.js';
import { GraphQLClient, ProblemError, allNodes, unwrap } from './graphql.js';

/** One of the person's passkeys (`PasskeyFields` in operations/passkeys.graphql). */
export type Passkey = PasskeyFieldsFragment;

export interface PasskeysOverview {
  /** The signed-in person's email, for the sign-in page's `login_hint`. */
  email: string;
  /** Newest first. */
  passkeys: Passkey[];
}

/**
 * The registration options for the browser and the flow that finishes them; the SDL's `options`
 * is JSON, which the server fills with WebAuthn's creation options.
 */
export interface PasskeyRegistration {
  flowId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
}

type BeginResult = BeginPasskeyRegistrationMutation['beginPasskeyRegistration'];

/** The session signed in too long ago for this change; a fresh sign-in is needed first. */
export type ReauthenticationRequired = Extract<
  BeginResult,
  { __typename: 'ReauthenticationRequired' }
>;

/** The `ReauthenticationRequired` a mutation answered with, or null for any other error. */
export function reauthenticationRequired(error: unknown): ReauthenticationRequired | null {
  if (!(error instanceof ProblemError)) return null;
  const { problem } = error;
  if (problem.__typename !== 'ReauthenticationRequired') return null;
  const maxAgeSeconds = typeof problem.maxAgeSeconds === 'number' ? problem.maxAgeSeconds : 300;
  return { ...problem, __typename: 'ReauthenticationRequired', maxAgeSeconds };
}

type Options = { signal?: AbortSignal };

export class PasskeysApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  async overview(options: Options = {}): Promise<PasskeysOverview> {
    const { viewer } = await this.client.request(PasskeysDocument, { after: null }, options);
    const passkeys = await allNodes(
      viewer.passkeys,
      async (after) => (await this.client.request(PasskeysDocument, { after }, options)).viewer.passkeys,
    );
    return { email: viewer.user.email, passkeys };
  }

  /** Starts a registration; `name` is checked now, before the browser makes a passkey. */
  async beginPasskeyRegistration(name?: string): Promise<PasskeyRegistration> {
    const { beginPasskeyRegistration } = await this.client.request(
      BeginPasskeyRegistrationDocument,
      name === undefined ? {} : { name },
    );
    const { flowId, options } = unwrap(beginPasskeyRegistration, 'PasskeyRegistrationOptions');
    // The SDL's JSON scalar, which the server fills with WebAuthn's creation options.
    return { flowId, options: options as PublicKeyCredentialCreationOptionsJSON };
  }

  /**
   * Stores the passkey the browser made for `flowId` under `name`; without one, the server names
   * it after its password manager or authenticator ("iCloud Keychain"), else the browser.
   */
  async finishPasskeyRegistration(input: {
    flowId: string;
    credential: RegistrationResponseJSON;
    name?: string;
  }): Promise<Passkey> {
    const { finishPasskeyRegistration } = await this.client.request(FinishPasskeyRegistrationDocument, input);
    const { __typename: _, ...passkey } = unwrap(finishPasskeyRegistration, 'Passkey');
    return passkey;
  }

  async renamePasskey(passkeyId: string, name: string): Promise<Passkey> {
    const { renamePasskey } = await this.client.request(RenamePasskeyDocument, { passkeyId, name });
    const { __typename: _, ...passkey } = unwrap(renamePasskey, 'Passkey');
    return passkey;
  }

  /** Answers the deleted passkey's id. */
  async deletePasskey(passkeyId: string): Promise<string> {
    const { deletePasskey } = await this.client.request(DeletePasskeyDocument, { passkeyId });
    return unwrap(deletePasskey, 'PasskeyDeleted').passkeyId;
  }
}
