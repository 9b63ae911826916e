import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../shared/api.js';
import { PASSKEY_MESSAGES } from '../shared/passkey-browser.js';
import { setCsrfMeta } from '../testing/fixture.js';
import { sentNamed, sentOperations, stubGraphQL } from '../testing/graphql-stub.js';
import { problem } from '../testing/portal-data.js';
import {
  browserError,
  creationOptions,
  newCredential,
  openPrompt,
  resetWebAuthn,
  startRegistration,
} from '../testing/webauthn-stub.js';
import { GraphQLClient, ProblemError } from './graphql.js';
import { registerPasskey } from './passkey-registration.js';
import { PasskeysApi } from './passkeys-api.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const created = {
  __typename: 'Passkey',
  id: 'pk_new',
  name: 'Work laptop',
  createdAt: '2026-11-28T09:00:00+00:00',
  lastUsedAt: null,
  synced: true,
};
const options = {
  beginPasskeyRegistration: {
    __typename: 'PasskeyRegistrationOptions',
    flowId: 'reg_1',
    options: creationOptions(),
  },
};

function api(): PasskeysApi {
  return new PasskeysApi(new GraphQLClient(new ApiClient('tok'), () => false));
}

async function settled(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((done) => setTimeout(done, 0));
}

beforeEach(() => {
  setCsrfMeta();
  resetWebAuthn();
});

describe('registerPasskey', () => {
  it("hands the server's options to the browser, then stores its credential under the name", async () => {
    const server = stubGraphQL({
      BeginPasskeyRegistration: options,
      FinishPasskeyRegistration: { finishPasskeyRegistration: created },
    });
    const registering = registerPasskey(api(), 'Work laptop');
    await settled();
    expect(startRegistration).toHaveBeenCalledWith({ optionsJSON: creationOptions() });
    openPrompt().answer(newCredential());

    const { __typename: _, ...passkey } = created;
    expect(await registering).toEqual(passkey);
    expect(sentOperations(server).map(({ name }) => name)).toEqual([
      'BeginPasskeyRegistration',
      'FinishPasskeyRegistration',
    ]);
    expect(sentNamed(server, 'BeginPasskeyRegistration')[0].variables).toEqual({
      name: 'Work laptop',
    });
    expect(sentNamed(server, 'FinishPasskeyRegistration')[0].variables).toEqual({
      flowId: 'reg_1',
      credential: newCredential(),
      name: 'Work laptop',
    });
    expect(sentNamed(server, 'FinishPasskeyRegistration')[0].headers['x-csrf-token']).toBe('tok');
  });

  it('sends no name when the person gave none, so the server names it after the authenticator', async () => {
    const server = stubGraphQL({
      BeginPasskeyRegistration: options,
      FinishPasskeyRegistration: {
        finishPasskeyRegistration: { ...created, name: 'iCloud Keychain' },
      },
    });
    const registering = registerPasskey(api());
    await settled();
    openPrompt().answer(newCredential());

    expect((await registering)?.name).toBe('iCloud Keychain');
    expect(sentNamed(server, 'BeginPasskeyRegistration')[0].variables).toEqual({});
    expect(sentNamed(server, 'FinishPasskeyRegistration')[0].variables).toEqual({
      flowId: 'reg_1',
      credential: newCredential(),
    });
  });

  it('answers null and stores nothing when the person dismisses the prompt', async () => {
    const server = stubGraphQL({ BeginPasskeyRegistration: options });
    const registering = registerPasskey(api(), 'Work laptop');
    await settled();
    openPrompt().fail(browserError('NotAllowedError'));

    expect(await registering).toBeNull();
    expect(sentNamed(server, 'FinishPasskeyRegistration')).toHaveLength(0);
  });

  it('explains a device that already has a passkey for the account', async () => {
    stubGraphQL({ BeginPasskeyRegistration: options });
    const registering = registerPasskey(api(), 'Work laptop');
    await settled();
    openPrompt().fail(browserError('InvalidStateError'));

    await expect(registering).rejects.toMatchObject({ message: PASSKEY_MESSAGES.exists });
  });

  it('opens no prompt when the server wants a recent sign-in first', async () => {
    stubGraphQL({
      BeginPasskeyRegistration: {
        beginPasskeyRegistration: problem('ReauthenticationRequired', 'Confirm it’s you.', {
          maxAgeSeconds: 300,
        }),
      },
    });
    const error = await registerPasskey(api(), 'Work laptop').catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem).toMatchObject({
      __typename: 'ReauthenticationRequired',
      maxAgeSeconds: 300,
    });
    expect(startRegistration).not.toHaveBeenCalled();
  });

  it('passes on a refused credential', async () => {
    stubGraphQL({
      BeginPasskeyRegistration: options,
      FinishPasskeyRegistration: {
        finishPasskeyRegistration: problem('PasskeyRejected', 'That passkey could not be checked.'),
      },
    });
    const registering = registerPasskey(api(), 'Work laptop');
    await settled();
    openPrompt().answer(newCredential());

    await expect(registering).rejects.toMatchObject({
      code: 'PASSKEYREJECTED',
      message: 'That passkey could not be checked.',
    });
  });
});
