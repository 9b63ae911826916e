import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, setCsrfMeta, settle, typeInto } from '../testing/fixture.js';
import { graphqlError, sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { problem } from '../testing/portal-data.js';
import { SCIM_MANAGE, SCIM_READ, directory, listData, scimRoles } from '../testing/scim-data.js';
import type { Directory } from './scim-api.js';
import type { TnScimDialog } from './tn-scim-dialog.js';
import type { TnScimDirectory } from './tn-scim-directory.js';
import './tn-scim-directory.js';

const TOKEN = 'scim_secret_token_shown_once_x7Qa';

beforeEach(() => setCsrfMeta());

const lists = {
  DirectoryGroups: listData('groups', []),
  DirectoryUsers: listData('users', []),
  ProvisioningLog: listData('provisioningLog', []),
};

async function mountDirectory(
  answers: Record<string, Answer | Answer[]> = {},
  properties: Partial<TnScimDirectory> = {},
) {
  const fetch = stubGraphQL({ ...lists, ...answers });
  const element = await mount('tn-scim-directory', {
    directory: directory(),
    roles: scimRoles,
    permissions: [...SCIM_MANAGE, 'sk_org_settings_manage'],
    email: 'ada@example.com',
    ...properties,
  });
  await settle(element);
  return { element, fetch };
}

const text = (host: Element, id: string) => byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

function dialogOf(element: TnScimDirectory): TnScimDialog {
  return element.shadowRoot!.querySelector('tn-scim-dialog')!;
}

/** The element focused inside the dialog's own shadow root, such as its Cancel button. */
function focusedInDialog(element: TnScimDirectory): Element | null {
  return dialogOf(element).shadowRoot!.activeElement;
}

function dialogButton(element: TnScimDirectory, id: 'scim-dialog-confirm' | 'scim-dialog-cancel') {
  return byTestId<HTMLButtonElement>(dialogOf(element), id);
}

describe('<tn-scim-directory>', () => {
  it('shows the base URL and the token state, never a token it was not just given', async () => {
    const { element } = await mountDirectory();
    expect(text(element, 'scim-base-url')).toBe('https://auth.example.com/scim/v2/dir_okta');
    expect(text(element, 'scim-token-state')).toMatch(/^The token ending in …x7Qa is in use, made /);
    expect(text(element, 'scim-token-badge')).toBe('Waiting for the first request');
    expect(text(element, 'scim-last-request')).toBe('No request from the identity provider yet.');
    expect(queryTestId(element, 'scim-token-once')).toBeNull();
    expect(element.shadowRoot!.textContent).not.toContain(TOKEN);
    await expectAccessible(element);
  });

  it('shows a token it was given once, saying to copy it now, and in the guide', async () => {
    const { element } = await mountDirectory({}, { token: TOKEN });
    expect(text(element, 'scim-token-value')).toBe(TOKEN);
    expect(text(element, 'scim-token-once')).toContain("Copy it now: it won't be shown again.");
    const guide = element.shadowRoot!.querySelector('tn-scim-guide')!;
    expect(text(guide, 'scim-guide-value-token')).toBe(TOKEN);
    expect(text(guide, 'scim-guide-value-baseUrl')).toBe(directory().scimBaseUrl);
    await expectAccessible(element);

    byTestId(element, 'scim-token-hide').click();
    await settle(element);
    expect(queryTestId(element, 'scim-token-once')).toBeNull();
    expect(queryTestId(guide, 'scim-guide-value-token')).toBeNull();
    expect(text(guide, 'scim-guide-token-hidden')).toContain('Rotate the token above');
    expect(focusedIn(element)).toBe(byTestId(element, 'scim-status'));
  });

  describe('copying', () => {
    const writeText = vi.fn<(text: string) => Promise<void>>();
    beforeEach(() => {
      writeText.mockReset().mockResolvedValue(undefined);
      Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    });
    afterEach(() => Reflect.deleteProperty(navigator, 'clipboard'));

    it('copies the base URL and the token, and says so', async () => {
      const { element } = await mountDirectory({}, { token: TOKEN });
      byTestId(element, 'scim-copy-base-url').click();
      await settle(element);
      expect(writeText).toHaveBeenLastCalledWith(directory().scimBaseUrl);
      expect(text(element, 'scim-status')).toBe('Copied the base URL.');

      byTestId(element, 'scim-copy-token').click();
      await settle(element);
      expect(writeText).toHaveBeenLastCalledWith(TOKEN);
      expect(text(element, 'scim-status')).toBe('Copied the token.');

      const guide = element.shadowRoot!.querySelector('tn-scim-guide')!;
      byTestId(guide, 'scim-guide-copy-baseUrl').click();
      await settle(element);
      expect(writeText).toHaveBeenCalledTimes(3);
    });

    it('says to select the text when the browser refuses', async () => {
      writeText.mockRejectedValue(new Error('denied'));
      const { element } = await mountDirectory();
      byTestId(element, 'scim-copy-base-url').click();
      await settle(element);
      expect(text(element, 'error-message')).toContain('Select the text and copy it instead.');
    });
  });

  describe('rotating', () => {
    const rotated = (overrides: Partial<Directory> = {}) => ({
      rotateDirectoryToken: {
        __typename: 'DirectoryWithToken',
        token: 'scim_new_token_N3w1',
        directory: directory({ tokenHint: 'N3w1', previousTokenExpiresAt: '2026-12-04T13:00:00+00:00', ...overrides }),
      },
    });

    it('asks in a dialog how long the current token keeps working, focused on that field', async () => {
      const { element, fetch } = await mountDirectory({ RotateDirectoryToken: rotated() });
      const opener = byTestId(element, 'scim-rotate');
      opener.click();
      await settle(element);
      expect(dialogOf(element).open).toBe(true);
      const minutes = byTestId<HTMLInputElement>(element, 'scim-overlap');
      expect(minutes.value).toBe('60');
      expect(focusedIn(element)).toBe(minutes);
      await expectAccessible(element);

      typeInto(minutes, 'soon');
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(text(element, 'scim-overlap-error')).toBe('Enter a whole number of minutes, such as 60.');
      expect(minutes.getAttribute('aria-invalid')).toBe('true');
      expect(sentNamed(fetch, 'RotateDirectoryToken')).toHaveLength(0);

      typeInto(minutes, '90');
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(sentNamed(fetch, 'RotateDirectoryToken')[0].variables).toEqual({ directoryId: 'dir_okta', overlapMinutes: 90 });
      expect(dialogOf(element).open).toBe(false);
      expect(text(element, 'scim-token-value')).toBe('scim_new_token_N3w1');
      expect(text(element, 'scim-token-state')).toContain('The previous token keeps working until');
      expect(focusedIn(element)).toBe(byTestId(element, 'scim-copy-token'));
    });

    it('refuses more than seven days before asking the server', async () => {
      const { element, fetch } = await mountDirectory({ RotateDirectoryToken: rotated() });
      byTestId(element, 'scim-rotate').click();
      await settle(element);
      typeInto(byTestId<HTMLInputElement>(element, 'scim-overlap'), '10081');
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(text(element, 'scim-overlap-error')).toContain('at most 10080 minutes');
      expect(sentNamed(fetch, 'RotateDirectoryToken')).toHaveLength(0);
    });

    it('makes a first token without asking for an overlap when there is none', async () => {
      const { element, fetch } = await mountDirectory(
        { RotateDirectoryToken: rotated({ previousTokenExpiresAt: null }) },
        { directory: directory({ hasToken: false, tokenHint: null, tokenCreatedAt: null }) },
      );
      expect(text(element, 'scim-token-badge')).toBe('No token');
      expect(text(element, 'scim-rotate')).toBe('Make a token');
      expect(queryTestId(element, 'scim-revoke')).toBeNull();
      byTestId(element, 'scim-rotate').click();
      await settle(element);
      expect(queryTestId(element, 'scim-overlap')).toBeNull();
      expect(focusedInDialog(element)).toBe(dialogButton(element, 'scim-dialog-cancel'));
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(sentNamed(fetch, 'RotateDirectoryToken')[0].variables.overlapMinutes).toBe(0);
      expect(text(element, 'scim-token-value')).toBe('scim_new_token_N3w1');
    });

    it('shows "Confirm it\'s you" when the sign-in is too old, and the dialog gives way', async () => {
      const { element, fetch } = await mountDirectory({
        RotateDirectoryToken: [
          { rotateDirectoryToken: problem('ReauthenticationRequired', 'Sign in again.', { maxAgeSeconds: 300 }) },
          rotated(),
        ],
      });
      byTestId(element, 'scim-rotate').click();
      await settle(element);
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(dialogOf(element).open).toBe(false);
      const confirm = byTestId(element, 'reauthenticate');
      confirm.dispatchEvent(new Event('tn-reauthenticated', { bubbles: true, composed: true }));
      await settle(element);
      expect(sentNamed(fetch, 'RotateDirectoryToken')).toHaveLength(2);
      expect(text(element, 'scim-token-value')).toBe('scim_new_token_N3w1');
    });
  });

  describe('revoking', () => {
    it('confirms in a dialog that opens on Cancel; Escape closes it and gives focus back', async () => {
      const { element, fetch } = await mountDirectory();
      const opener = byTestId(element, 'scim-revoke');
      opener.click();
      await settle(element);
      expect(dialogOf(element).shadowRoot!.querySelector('h2')!.textContent).toBe('Revoke the token?');
      expect(focusedInDialog(element)).toBe(dialogButton(element, 'scim-dialog-cancel'));
      const dialog = dialogOf(element).shadowRoot!.querySelector('dialog')!;
      dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
      await settle(element);
      expect(dialogOf(element).open).toBe(false);
      expect(focusedIn(element)).toBe(opener);
      expect(sentNamed(fetch, 'RevokeDirectoryToken')).toHaveLength(0);
    });

    it('revokes once confirmed, and says the provider cannot provision now', async () => {
      const { element, fetch } = await mountDirectory({
        RevokeDirectoryToken: {
          revokeDirectoryToken: { __typename: 'Directory', ...directory({ hasToken: false, tokenHint: null, tokenCreatedAt: null }) },
        },
      });
      const changed = vi.fn();
      element.addEventListener('tn-scim-directory-changed', changed);
      byTestId(element, 'scim-revoke').click();
      await settle(element);
      dialogButton(element, 'scim-dialog-confirm').click();
      await settle(element);
      expect(sentNamed(fetch, 'RevokeDirectoryToken')[0].variables).toEqual({ directoryId: 'dir_okta' });
      expect(text(element, 'scim-status')).toContain('The token was revoked');
      expect(text(element, 'scim-token-badge')).toBe('No token');
      expect(changed).toHaveBeenCalledTimes(1);
      expect(focusedIn(element)).toBe(byTestId(element, 'scim-status'));
    });
  });

  it('deletes once confirmed and tells the list', async () => {
    const { element, fetch } = await mountDirectory({
      DeleteDirectory: { deleteDirectory: { __typename: 'DirectoryDeleted', directory: { id: 'dir_okta', name: 'Okta' } } },
    });
    const deleted = vi.fn<(detail: { id: string; name: string }) => void>();
    element.addEventListener('tn-scim-directory-deleted', (event) => deleted(event.detail));
    byTestId(element, 'scim-delete').click();
    await settle(element);
    expect(dialogOf(element).shadowRoot!.textContent).toContain('Delete Okta?');
    expect(dialogOf(element).textContent).toContain('keep their accounts and memberships');
    dialogButton(element, 'scim-dialog-confirm').click();
    await settle(element);
    expect(sentNamed(fetch, 'DeleteDirectory')).toHaveLength(1);
    expect(deleted).toHaveBeenCalledWith({ id: 'dir_okta', name: 'Okta' });
  });

  it('closes the dialog and shows the server’s refusal in the page', async () => {
    const { element } = await mountDirectory({ RevokeDirectoryToken: graphqlError('FORBIDDEN') });
    byTestId(element, 'scim-revoke').click();
    await settle(element);
    dialogButton(element, 'scim-dialog-confirm').click();
    await settle(element);
    expect(dialogOf(element).open).toBe(false);
    expect(text(element, 'error-message')).toContain("You don't have permission");
    expect(focusedIn(element)).toBe(byTestId(element, 'error-message'));
  });

  it('saves the settings it is handed and says so; "Nothing changed" sends nothing', async () => {
    const saved = directory({ requireVerifiedDomain: false });
    const { element, fetch } = await mountDirectory({
      UpdateDirectory: { updateDirectory: { __typename: 'Directory', ...saved } },
    });
    const settings = element.shadowRoot!.querySelector('tn-scim-settings')!;
    byTestId(settings, 'scim-settings-save').click();
    await settle(element);
    expect(text(element, 'scim-status')).toBe('Nothing changed.');
    expect(sentNamed(fetch, 'UpdateDirectory')).toHaveLength(0);

    byTestId<HTMLInputElement>(settings, 'scim-require-verified').click();
    await settle(settings);
    byTestId(settings, 'scim-settings-save').click();
    await settle(element);
    expect(sentNamed(fetch, 'UpdateDirectory')[0].variables).toEqual({
      directoryId: 'dir_okta',
      input: {
        name: null,
        requireVerifiedDomain: false,
        deprovisionWhenUnmapped: null,
        defaultRole: null,
        groupRoles: null,
      },
    });
    expect(text(element, 'scim-status')).toBe('The settings were saved.');
  });

  it('shows the settings refusal at the form', async () => {
    const { element } = await mountDirectory({
      UpdateDirectory: {
        updateDirectory: problem('RoleNotGrantable', 'You cannot give the Admin role.', { missingPermissions: ['x'] }),
      },
    });
    const settings = element.shadowRoot!.querySelector('tn-scim-settings')!;
    byTestId<HTMLInputElement>(settings, 'scim-deprovision').click();
    await settle(settings);
    byTestId(settings, 'scim-settings-save').click();
    await settle(element);
    await settle(settings);
    expect(text(settings, 'scim-settings-error')).toBe('You cannot give the Admin role.');
  });

  it('is read-only without sk_org_scim_manage', async () => {
    const { element } = await mountDirectory({}, { permissions: SCIM_READ });
    expect(queryTestId(element, 'scim-rotate')).toBeNull();
    expect(queryTestId(element, 'scim-revoke')).toBeNull();
    expect(queryTestId(element, 'scim-delete')).toBeNull();
    expect(queryTestId(element, 'scim-read-only')).not.toBeNull();
    const settings = element.shadowRoot!.querySelector('tn-scim-settings')!;
    expect(queryTestId(settings, 'scim-settings-read-only')).not.toBeNull();
    await expectAccessible(element);
  });
});
