/**
 * The signed-in person's passkeys, as typed GraphQL operations. Mutations return their success
 * type or throw `ProblemError`; adding or deleting one may answer `ReauthenticationRequired`,
 * which `reauthenticationRequired` picks out of the error.
 */
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type * as Schema from '../generated/graphql.js';
import {
  GraphQLClient,
  MAX_PAGE_SIZE,
  PAGE_INFO,
  PROBLEM_FIELDS,
  ProblemError,
  allNodes,
  operation,
  unwrap,
  type Connection,
} from './graphql.js';
import type { InvalidInput } from './portal-api.js';

/** One of the person's passkeys (`Passkey` in the SDL). */
export type Passkey = Pick<Schema.Passkey, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'synced'>;

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
export type PasskeyRegistration = Pick<Schema.PasskeyRegistrationOptions, 'flowId'> & {
  options: PublicKeyCredentialCreationOptionsJSON;
};

/** The session signed in too long ago for this change; a fresh sign-in is needed first. */
export type ReauthenticationRequired = Schema.ReauthenticationRequired;

export type PasskeyRejected = Schema.PasskeyRejected;

type Typed<T, N extends string> = T & { __typename: N };

const PASSKEY_FIELDS = 'id name createdAt lastUsedAt synced';
const REAUTHENTICATION = '... on ReauthenticationRequired { maxAgeSeconds }';

const PASSKEYS = operation<
  { viewer: { user: Pick<Schema.User, 'id' | 'email'>; passkeys: Connection<Passkey> } },
  Pick<Schema.ViewerPasskeysArgs, 'after'>
>(`query Passkeys($after: String) { viewer { user { id email }
  passkeys(first: ${MAX_PAGE_SIZE}, after: $after) { nodes { ${PASSKEY_FIELDS} } ${PAGE_INFO} }
} }`);

const BEGIN_REGISTRATION = operation<
  {
    beginPasskeyRegistration:
      | Typed<PasskeyRegistration, 'PasskeyRegistrationOptions'>
      | ReauthenticationRequired
      | InvalidInput;
  },
  Schema.MutationBeginPasskeyRegistrationArgs
>(`mutation BeginPasskeyRegistration($name: String) {
  beginPasskeyRegistration(name: $name) {
    ${PROBLEM_FIELDS} ${REAUTHENTICATION} ... on PasskeyRegistrationOptions { flowId options }
  }
}`);

const FINISH_REGISTRATION = operation<
  {
    finishPasskeyRegistration:
      | Typed<Passkey, 'Passkey'>
      | ReauthenticationRequired
      | PasskeyRejected
      | InvalidInput;
  },
  Schema.MutationFinishPasskeyRegistrationArgs & { credential: RegistrationResponseJSON }
>(`mutation FinishPasskeyRegistration($flowId: ID!, $credential: JSON!, $name: String!) {
  finishPasskeyRegistration(flowId: $flowId, credential: $credential, name: $name) {
    ${PROBLEM_FIELDS} ${REAUTHENTICATION} ... on InvalidInput { field }
    ... on Passkey { ${PASSKEY_FIELDS} }
  }
}`);

const RENAME = operation<
  { renamePasskey: Typed<Passkey, 'Passkey'> | InvalidInput },
  Schema.MutationRenamePasskeyArgs
>(`mutation RenamePasskey($passkeyId: ID!, $name: String!) {
  renamePasskey(passkeyId: $passkeyId, name: $name) {
    ${PROBLEM_FIELDS} ... on InvalidInput { field } ... on Passkey { ${PASSKEY_FIELDS} }
  }
}`);

const DELETE = operation<
  {
    deletePasskey: Schema.PasskeyDeleted | ReauthenticationRequired;
  },
  Schema.MutationDeletePasskeyArgs
>(`mutation DeletePasskey($passkeyId: ID!) {
  deletePasskey(passkeyId: $passkeyId) {
    ${PROBLEM_FIELDS} ${REAUTHENTICATION} ... on PasskeyDeleted { passkeyId }
  }
}`);

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
    const { viewer } = await this.client.request(PASSKEYS, { after: null }, options);
    const passkeys = await allNodes(
      viewer.passkeys,
      async (after) => (await this.client.request(PASSKEYS, { after }, options)).viewer.passkeys,
    );
    return { email: viewer.user.email, passkeys };
  }

  /** Starts a registration; `name` is checked now, before the browser makes a passkey. */
  async beginPasskeyRegistration(name?: string): Promise<PasskeyRegistration> {
    const { beginPasskeyRegistration } = await this.client.request(
      BEGIN_REGISTRATION,
      name === undefined ? {} : { name },
    );
    const { flowId, options } = unwrap(beginPasskeyRegistration, 'PasskeyRegistrationOptions');
    return { flowId, options };
  }

  /** Stores the passkey the browser made for `flowId` under `name`. */
  async finishPasskeyRegistration(input: {
    flowId: string;
    credential: RegistrationResponseJSON;
    name: string;
  }): Promise<Passkey> {
    const { finishPasskeyRegistration } = await this.client.request(FINISH_REGISTRATION, input);
    const { __typename: _, ...passkey } = unwrap(finishPasskeyRegistration, 'Passkey');
    return passkey;
  }

  async renamePasskey(passkeyId: string, name: string): Promise<Passkey> {
    const { renamePasskey } = await this.client.request(RENAME, { passkeyId, name });
    const { __typename: _, ...passkey } = unwrap(renamePasskey, 'Passkey');
    return passkey;
  }

  /** Answers the deleted passkey's id. */
  async deletePasskey(passkeyId: string): Promise<string> {
    const { deletePasskey } = await this.client.request(DELETE, { passkeyId });
    return unwrap(deletePasskey, 'PasskeyDeleted').passkeyId;
  }
}
