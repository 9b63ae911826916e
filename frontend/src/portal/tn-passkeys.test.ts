import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CSRF_TOKEN,
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { jsonResponse, type FetchMock } from '../testing/fetch-stub.js';
import {
  deferred,
  graphqlError,
  sentNamed,
  stubGraphQL,
  type Answer,
} from '../testing/graphql-stub.js';
import { ada, connection, passkey, problem } from '../testing/portal-data.js';
import {
  browserError,
  browserSupportsWebAuthn,
  creationOptions,
  newCredential,
  openPrompt,
  requestOptions,
  resetWebAuthn,
  signedAssertion,
} from '../testing/webauthn-stub.js';
import { formatDateTime } from './dates.js';
import { relativeTime } from './scim-time.js';
import type { Passkey } from './passkeys-api.js';
import { PASSKEY_NAME_MESSAGE, type TnPasskeys } from './tn-passkeys.js';
import type { TnReauthenticate } from './tn-reauthenticate.js';
import './tn-passkeys.js';

vi.mock('@simplewebauthn/browser', () => import('../testing/webauthn-stub.js'));

const laptop = passkey('pk_laptop', { name: 'Work laptop', synced: true });
const key = passkey('pk_key', { name: 'Blue security key', lastUsedAt: null });
const phone = passkey('pk_phone', { name: 'Phone', createdAt: '2026-11-28T09:00:00+00:00' });

const listed = (...passkeys: Passkey[]) => ({
  viewer: { user: { id: ada.id, email: ada.email }, passkeys: connection(passkeys) },
});
const typed = (value: Passkey) => ({ __typename: 'Passkey', ...value });
const registration = {
  beginPasskeyRegistration: {
    __typename: 'PasskeyRegistrationOptions',
    flowId: 'reg_1',
    options: creationOptions(),
  },
};
const reauthenticate = problem('ReauthenticationRequired', 'Confirm it’s you first.', {
  maxAgeSeconds: 300,
});
const passkeyOptions = jsonResponse(200, { flow: 'auth_1', options: requestOptions() });
const refreshed = jsonResponse(200, { location: '/ui/' });

let server: FetchMock;

beforeEach(() => {
  setCsrfMeta();
  resetWebAuthn();
});

async function mountPasskeys(answers: Record<string, Answer | Answer[]>): Promise<TnPasskeys> {
  server = stubGraphQL(answers);
  const element = await mount('tn-passkeys');
  await settle(element);
  return element;
}

/** The listed passkeys' ids, in order. */
function rowIds(element: TnPasskeys): string[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="passkey-row"]')].map(
    (row) => row.dataset.passkeyId!,
  );
}

/** An element's text as it reads, spaces collapsed. */
function words(node: Element): string {
  return node.textContent.replace(/\s+/g, ' ').trim();
}

function row(element: TnPasskeys, id: string): HTMLElement {
  const found = element.shadowRoot!.querySelector<HTMLElement>(`[data-passkey-id="${id}"]`);
  if (!found) throw new Error(`No row for ${id}`);
  return found;
}

function inRow<T extends HTMLElement = HTMLButtonElement>(
  element: TnPasskeys,
  id: string,
  testid: string,
): T {
  const found = row(element, id).querySelector<T>(`[data-testid="${testid}"]`);
  if (!found) throw new Error(`No ${testid} in the row for ${id}`);
  return found;
}

function labelOf(element: TnPasskeys, input: HTMLInputElement): string {
  return words(element.shadowRoot!.querySelector(`label[for="${input.id}"]`)!);
}

function status(element: TnPasskeys): string {
  return byTestId(element, 'passkeys-status').textContent.trim();
}

function statusMessage(element: TnPasskeys): Element | null {
  return byTestId(element, 'passkeys-status').querySelector('.success');
}

function panel(element: TnPasskeys): TnReauthenticate {
  return byTestId<TnReauthenticate>(element, 'reauthenticate');
}

async function submitNewPasskey(element: TnPasskeys, name?: string): Promise<void> {
  byTestId(element, 'add-passkey').click();
  await settle(element);
  if (name !== undefined) typeInto(byTestId(element, 'passkey-name'), name);
  byTestId(element, 'create-passkey').click();
  await settle(element);
}

describe('<tn-passkeys>', () => {
  describe('listing the passkeys', () => {
    it('shows each passkey in the order the server gives, newest first', async () => {
      const element = await mountPasskeys({ Passkeys: listed(phone, laptop, key) });

      expect(rowIds(element)).toEqual(['pk_phone', 'pk_laptop', 'pk_key']);
      expect(element.shadowRoot!.querySelector('h2')?.textContent).toBe('Passkeys');
    });

    it('shows the name, when it was added and last used, and whether it is synced', async () => {
      const element = await mountPasskeys({ Passkeys: listed(laptop, key) });
      const synced = words(row(element, 'pk_laptop'));

      expect(synced).toContain('Work laptop');
      expect(synced).toContain(`Added ${relativeTime(laptop.createdAt)}`);
      expect(synced).toContain(`Last used ${relativeTime(laptop.lastUsedAt!)}`);
      const times = [...row(element, 'pk_laptop').querySelectorAll('time')];
      expect(times.map((time) => time.title)).toEqual([
        formatDateTime(laptop.createdAt),
        formatDateTime(laptop.lastUsedAt!),
      ]);
      expect(inRow(element, 'pk_laptop', 'passkey-synced').textContent).toBe('Synced');
      expect(words(inRow(element, 'pk_key', 'passkey-last-used'))).toBe('Never used');
      expect(row(element, 'pk_key').querySelector('[data-testid="passkey-synced"]')).toBeNull();
    });

    it('labels each Rename and Delete with the passkey it acts on', async () => {
      const element = await mountPasskeys({ Passkeys: listed(laptop) });

      expect(words(inRow(element, 'pk_laptop', 'rename-passkey'))).toBe('Rename Work laptop');
      expect(words(inRow(element, 'pk_laptop', 'delete-passkey'))).toBe('Delete Work laptop');
    });

    it('tells apart two passkeys with the same name in their buttons', async () => {
      const twin = { ...laptop, id: 'pk_twin' };
      const element = await mountPasskeys({ Passkeys: listed(laptop, twin) });

      expect(words(inRow(element, 'pk_laptop', 'rename-passkey'))).toBe(
        'Rename Work laptop (passkey 1 of 2)',
      );
      expect(words(inRow(element, 'pk_twin', 'delete-passkey'))).toBe(
        'Delete Work laptop (passkey 2 of 2)',
      );
    });

    it('says when there are none yet, and offers to add one', async () => {
      const element = await mountPasskeys({ Passkeys: listed() });

      expect(words(byTestId(element, 'passkeys-empty'))).toBe(
        'You have no passkeys yet. Add one to sign in without waiting for an email code.',
      );
      expect(words(byTestId(element, 'add-passkey'))).toBe('Add a passkey');
    });

    it('says it is loading, then shows a failed load that can be tried again', async () => {
      const { answer } = deferred();
      const loading = await mountPasskeys({ Passkeys: answer });
      const skeleton = byTestId(loading, 'passkeys-loading');
      expect(skeleton.getAttribute('aria-busy')).toBe('true');
      expect(skeleton.querySelector('[role="status"]')?.textContent).toContain('Loading your passkeys');
      expect(skeleton.querySelectorAll('sl-skeleton').length).toBeGreaterThan(0);
      loading.remove();

      const element = await mountPasskeys({
        Passkeys: [graphqlError('BAD_REQUEST', 'Try later.'), listed(laptop)],
      });
      expect(byTestId(element, 'error-message').textContent).toContain('Try later.');
      element.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(element);
      expect(rowIds(element)).toHaveLength(1);
    });

    it('explains that this browser cannot add one, but still lists, renames and deletes', async () => {
      browserSupportsWebAuthn.mockReturnValue(false);
      const element = await mountPasskeys({ Passkeys: listed(laptop) });

      expect(queryTestId(element, 'add-passkey')).toBeNull();
      expect(words(byTestId(element, 'passkeys-unsupported'))).toContain(
        "This browser can't make passkeys",
      );
      expect(inRow(element, 'pk_laptop', 'rename-passkey').disabled).toBe(false);
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountPasskeys({ Passkeys: listed(phone, laptop, key) }));
    });
  });

  describe('adding a passkey', () => {
    it('offers an optional name, empty so the server names it, with the field focused', async () => {
      const element = await mountPasskeys({ Passkeys: listed() });
      byTestId(element, 'add-passkey').click();
      await settle(element);
      const name = byTestId<HTMLInputElement>(element, 'passkey-name');

      expect(labelOf(element, name)).toBe('Passkey name');
      expect(name.value).toBe('');
      expect(name.required).toBe(false);
      expect(element.shadowRoot!.querySelector('#passkey-name-hint')?.textContent).toContain(
        'Leave it empty',
      );
      expect(focusedIn(element)).toBe(name);
      expect(words(byTestId(element, 'create-passkey'))).toBe('Create passkey');
      expect(words(byTestId(element, 'cancel-add-passkey'))).toBe('Cancel');
      await expectAccessible(element);
    });

    it('makes the passkey, lists it first and says so in a focused status', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        BeginPasskeyRegistration: registration,
        FinishPasskeyRegistration: { finishPasskeyRegistration: typed(phone) },
      });
      await submitNewPasskey(element, '  Phone ');
      expect(openPrompt().options).toEqual({ optionsJSON: creationOptions() });
      expect(byTestId(element, 'create-passkey').getAttribute('aria-busy')).toBe('true');
      openPrompt().answer(newCredential());
      await settle(element);

      const [finished] = sentNamed(server, 'FinishPasskeyRegistration');
      expect(finished.variables).toEqual({
        flowId: 'reg_1',
        credential: newCredential(),
        name: 'Phone',
      });
      expect(finished.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(rowIds(element)).toEqual(['pk_phone', 'pk_laptop']);
      expect(queryTestId(element, 'passkey-name')).toBeNull();
      expect(status(element)).toBe('Added the passkey “Phone”.');
      expect(focusedIn(element)).toBe(statusMessage(element));
    });

    it('says nothing and keeps the form when the person dismisses the prompt', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(),
        BeginPasskeyRegistration: registration,
      });
      await submitNewPasskey(element);
      openPrompt().fail(browserError('NotAllowedError'));
      await settle(element);

      expect(queryTestId(element, 'error-message')).toBeNull();
      expect(status(element)).toBe('');
      expect(sentNamed(server, 'FinishPasskeyRegistration')).toHaveLength(0);
      expect(byTestId<HTMLButtonElement>(element, 'create-passkey').disabled).toBe(false);
    });

    it('sends no name when the field is left empty, and lists the name the server chose', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(),
        BeginPasskeyRegistration: registration,
        FinishPasskeyRegistration: {
          finishPasskeyRegistration: typed({ ...phone, name: 'iCloud Keychain' }),
        },
      });
      await submitNewPasskey(element, '   ');
      openPrompt().answer(newCredential());
      await settle(element);

      expect(queryTestId(element, 'passkey-name-error')).toBeNull();
      expect(sentNamed(server, 'BeginPasskeyRegistration')[0].variables).toEqual({});
      expect(sentNamed(server, 'FinishPasskeyRegistration')[0].variables).not.toHaveProperty('name');
      expect(status(element)).toBe('Added the passkey “iCloud Keychain”.');
    });

    it("shows the server's refusal of the name and marks the field", async () => {
      const element = await mountPasskeys({
        Passkeys: listed(),
        BeginPasskeyRegistration: registration,
        FinishPasskeyRegistration: {
          finishPasskeyRegistration: problem('InvalidInput', 'Use at most 64 characters.', {
            field: 'name',
          }),
        },
      });
      await submitNewPasskey(element, 'x'.repeat(65));
      openPrompt().answer(newCredential());
      await settle(element);

      const alert = byTestId(element, 'error-message');
      expect(alert.textContent?.trim()).toBe('Use at most 64 characters.');
      expect(focusedIn(element)).toBe(alert);
      expect(byTestId(element, 'passkey-name').getAttribute('aria-invalid')).toBe('true');
      expect(words(byTestId(element, 'passkey-name-error'))).toBe('Use at most 64 characters.');
      expect(rowIds(element)).toEqual([]);
    });

    it('shows a refused passkey', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(),
        BeginPasskeyRegistration: registration,
        FinishPasskeyRegistration: {
          finishPasskeyRegistration: problem('PasskeyRejected', 'We could not check it. Try again.'),
        },
      });
      await submitNewPasskey(element);
      openPrompt().answer(newCredential());
      await settle(element);

      expect(words(byTestId(element, 'error-message'))).toBe('We could not check it. Try again.');
      expect(byTestId(element, 'passkey-name').getAttribute('aria-invalid')).toBe('false');
    });

    it('closes the form with Cancel or Escape, returning focus to Add a passkey', async () => {
      const element = await mountPasskeys({ Passkeys: listed() });
      byTestId(element, 'add-passkey').click();
      await settle(element);
      byTestId(element, 'cancel-add-passkey').click();
      await settle(element);
      expect(queryTestId(element, 'passkey-name')).toBeNull();
      expect(focusedIn(element)).toBe(byTestId(element, 'add-passkey'));

      byTestId(element, 'add-passkey').click();
      await settle(element);
      byTestId(element, 'passkey-name').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
      );
      await settle(element);
      expect(queryTestId(element, 'passkey-name')).toBeNull();
    });
  });

  describe('confirming it is you', () => {
    it('asks before adding when the sign-in is too old, offering a passkey and signing in again', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        BeginPasskeyRegistration: { beginPasskeyRegistration: reauthenticate },
        '/a/auth/api/passkey/options': passkeyOptions,
      });
      await submitNewPasskey(element);
      const confirm = panel(element);

      expect(confirm.purpose).toBe('add a passkey');
      expect(confirm.maxAgeSeconds).toBe(300);
      expect(queryTestId(confirm, 'reauth-passkey')?.textContent?.trim()).toBe('Use a passkey');
      expect(byTestId(confirm, 'reauth-sign-in').getAttribute('href')).toBe(
        '/a/auth/login?login_hint=ada%40example.com&return_to=%2Fui%2Fsecurity',
      );
      expect(focusedIn(element)).toBe(confirm);
      expect(focusedIn(confirm)).toBe(confirm.shadowRoot!.querySelector('h2'));
      expect(queryTestId(element, 'error-message')).toBeNull();
      expect(byTestId<HTMLButtonElement>(element, 'create-passkey').disabled).toBe(true);
      expect(inRow(element, 'pk_laptop', 'delete-passkey').disabled).toBe(true);
    });

    it('offers only signing in again to someone with no passkey yet', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(),
        BeginPasskeyRegistration: { beginPasskeyRegistration: reauthenticate },
      });
      await submitNewPasskey(element);

      expect(queryTestId(panel(element), 'reauth-passkey')).toBeNull();
      expect(queryTestId(panel(element), 'reauth-sign-in')).not.toBeNull();
    });

    it('confirms with a passkey, then adds the passkey without being asked again', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        BeginPasskeyRegistration: [{ beginPasskeyRegistration: reauthenticate }, registration],
        FinishPasskeyRegistration: { finishPasskeyRegistration: typed(phone) },
        '/a/auth/api/passkey/options': passkeyOptions,
        '/a/auth/api/passkey/verify': refreshed,
      });
      await submitNewPasskey(element, 'Phone');
      byTestId(panel(element), 'reauth-passkey').click();
      await settle(element);
      expect(openPrompt().kind).toBe('get');
      openPrompt().answer(signedAssertion());
      await settle(element);

      const [verified] = sentNamed(server, '/a/auth/api/passkey/verify');
      expect(verified.variables).toEqual({
        flow: 'auth_1',
        credential: signedAssertion(),
        reauthenticate: true,
      });
      expect(verified.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(queryTestId(element, 'reauthenticate')).toBeNull();
      expect(openPrompt().kind).toBe('create');
      openPrompt().answer(newCredential());
      await settle(element);

      expect(sentNamed(server, 'BeginPasskeyRegistration')).toHaveLength(2);
      const [finished] = sentNamed(server, 'FinishPasskeyRegistration');
      expect(finished.variables).toMatchObject({ name: 'Phone' });
      expect(rowIds(element)).toEqual(['pk_phone', 'pk_laptop']);
      expect(status(element)).toBe('Added the passkey “Phone”.');
    });

    it('confirms with a passkey, then deletes without being asked again', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop, key),
        DeletePasskey: [
          { deletePasskey: reauthenticate },
          { deletePasskey: { __typename: 'PasskeyDeleted', passkeyId: 'pk_key' } },
        ],
        '/a/auth/api/passkey/options': passkeyOptions,
        '/a/auth/api/passkey/verify': refreshed,
      });
      inRow(element, 'pk_key', 'delete-passkey').click();
      await settle(element);
      inRow(element, 'pk_key', 'confirm-delete-passkey').click();
      await settle(element);
      expect(panel(element).purpose).toBe('delete the passkey “Blue security key”');

      byTestId(panel(element), 'reauth-passkey').click();
      await settle(element);
      openPrompt().answer(signedAssertion());
      await settle(element);

      expect(sentNamed(server, 'DeletePasskey').map(({ variables }) => variables)).toEqual([
        { passkeyId: 'pk_key' },
        { passkeyId: 'pk_key' },
      ]);
      expect(rowIds(element)).toEqual(['pk_laptop']);
      expect(status(element)).toBe('Deleted the passkey “Blue security key”.');
    });

    it('stays open and quiet when the person dismisses the passkey prompt', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        BeginPasskeyRegistration: { beginPasskeyRegistration: reauthenticate },
        '/a/auth/api/passkey/options': passkeyOptions,
      });
      await submitNewPasskey(element);
      byTestId(panel(element), 'reauth-passkey').click();
      await settle(element);
      openPrompt().fail(browserError('NotAllowedError'));
      await settle(element);

      expect(queryTestId(panel(element), 'error-message')).toBeNull();
      expect(sentNamed(server, 'BeginPasskeyRegistration')).toHaveLength(1);
    });

    it('closes on Cancel, returning focus to what the person pressed', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        BeginPasskeyRegistration: { beginPasskeyRegistration: reauthenticate },
        '/a/auth/api/passkey/options': passkeyOptions,
      });
      await submitNewPasskey(element);
      byTestId(panel(element), 'reauth-cancel').click();
      await settle(element);

      expect(queryTestId(element, 'reauthenticate')).toBeNull();
      expect(focusedIn(element)).toBe(byTestId(element, 'create-passkey'));
      expect(byTestId<HTMLButtonElement>(element, 'create-passkey').disabled).toBe(false);
    });
  });

  describe('renaming a passkey', () => {
    it('edits the name in place, saves it and returns focus to Rename', async () => {
      const renamed = { ...laptop, name: 'Old laptop' };
      const element = await mountPasskeys({
        Passkeys: listed(laptop, key),
        RenamePasskey: { renamePasskey: typed(renamed) },
      });
      inRow(element, 'pk_laptop', 'rename-passkey').click();
      await settle(element);
      const input = inRow<HTMLInputElement>(element, 'pk_laptop', 'rename-passkey-name');

      expect(input.value).toBe('Work laptop');
      expect(focusedIn(element)).toBe(input);
      expect(labelOf(element, input)).toBe('Passkey name');
      typeInto(input, ' Old laptop ');
      inRow(element, 'pk_laptop', 'save-passkey-name').click();
      await settle(element);

      expect(sentNamed(server, 'RenamePasskey')[0].variables).toEqual({
        passkeyId: 'pk_laptop',
        name: 'Old laptop',
      });
      expect(row(element, 'pk_laptop').textContent).toContain('Old laptop');
      expect(status(element)).toBe('Renamed the passkey to “Old laptop”.');
      expect(focusedIn(element)).toBe(inRow(element, 'pk_laptop', 'rename-passkey'));
    });

    it('keeps the name on Cancel or Escape, returning focus to Rename', async () => {
      const element = await mountPasskeys({ Passkeys: listed(laptop) });
      inRow(element, 'pk_laptop', 'rename-passkey').click();
      await settle(element);
      typeInto(inRow(element, 'pk_laptop', 'rename-passkey-name'), 'Something');
      inRow(element, 'pk_laptop', 'cancel-rename-passkey').click();
      await settle(element);

      expect(row(element, 'pk_laptop').textContent).toContain('Work laptop');
      expect(focusedIn(element)).toBe(inRow(element, 'pk_laptop', 'rename-passkey'));

      inRow(element, 'pk_laptop', 'rename-passkey').click();
      await settle(element);
      inRow(element, 'pk_laptop', 'rename-passkey-name').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
      );
      await settle(element);
      expect(row(element, 'pk_laptop').querySelector('input')).toBeNull();
      expect(sentNamed(server, 'RenamePasskey')).toHaveLength(0);
    });

    it('asks for a name, and shows and marks a name the server refuses', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop),
        RenamePasskey: {
          renamePasskey: problem('InvalidInput', 'You already have one with that name.', {
            field: 'name',
          }),
        },
      });
      inRow(element, 'pk_laptop', 'rename-passkey').click();
      await settle(element);
      typeInto(inRow(element, 'pk_laptop', 'rename-passkey-name'), ' ');
      inRow(element, 'pk_laptop', 'save-passkey-name').click();
      await settle(element);
      expect(words(byTestId(element, 'rename-passkey-name-error'))).toBe(PASSKEY_NAME_MESSAGE);
      expect(sentNamed(server, 'RenamePasskey')).toHaveLength(0);

      typeInto(inRow(element, 'pk_laptop', 'rename-passkey-name'), 'Phone');
      inRow(element, 'pk_laptop', 'save-passkey-name').click();
      await settle(element);
      expect(words(byTestId(element, 'error-message'))).toBe('You already have one with that name.');
      const input = inRow<HTMLInputElement>(element, 'pk_laptop', 'rename-passkey-name');
      expect(input.getAttribute('aria-invalid')).toBe('true');
    });
  });

  describe('deleting a passkey', () => {
    it('asks first, with focus on Cancel, then deletes and says so in a focused status', async () => {
      const element = await mountPasskeys({
        Passkeys: listed(laptop, key),
        DeletePasskey: { deletePasskey: { __typename: 'PasskeyDeleted', passkeyId: 'pk_laptop' } },
      });
      inRow(element, 'pk_laptop', 'delete-passkey').click();
      await settle(element);

      expect(row(element, 'pk_laptop').textContent).toContain('Delete the passkey “Work laptop”?');
      expect(focusedIn(element)).toBe(inRow(element, 'pk_laptop', 'cancel-delete-passkey'));
      expect(words(inRow(element, 'pk_laptop', 'confirm-delete-passkey'))).toBe('Delete passkey');
      expect(sentNamed(server, 'DeletePasskey')).toHaveLength(0);

      inRow(element, 'pk_laptop', 'confirm-delete-passkey').click();
      await settle(element);
      const [deleted] = sentNamed(server, 'DeletePasskey');
      expect(deleted.variables).toEqual({ passkeyId: 'pk_laptop' });
      expect(deleted.headers['x-csrf-token']).toBe(CSRF_TOKEN);
      expect(rowIds(element)).toEqual(['pk_key']);
      expect(status(element)).toBe('Deleted the passkey “Work laptop”.');
      expect(focusedIn(element)).toBe(statusMessage(element));
    });

    it('keeps the passkey on Cancel, returning focus to Delete', async () => {
      const element = await mountPasskeys({ Passkeys: listed(laptop) });
      inRow(element, 'pk_laptop', 'delete-passkey').click();
      await settle(element);
      inRow(element, 'pk_laptop', 'cancel-delete-passkey').click();
      await settle(element);

      expect(focusedIn(element)).toBe(inRow(element, 'pk_laptop', 'delete-passkey'));
      expect(rowIds(element)).toHaveLength(1);
    });

    it('shows that a passkey is already gone, and reloads the list', async () => {
      const element = await mountPasskeys({
        Passkeys: [listed(laptop, key), listed(key)],
        DeletePasskey: graphqlError('NOT_FOUND', 'That passkey no longer exists.'),
      });
      inRow(element, 'pk_laptop', 'delete-passkey').click();
      await settle(element);
      inRow(element, 'pk_laptop', 'confirm-delete-passkey').click();
      await settle(element);

      expect(words(byTestId(element, 'error-message'))).toBe('That passkey no longer exists.');
      expect(sentNamed(server, 'Passkeys')).toHaveLength(2);
      expect(rowIds(element)).toEqual(['pk_key']);
    });
  });
});
