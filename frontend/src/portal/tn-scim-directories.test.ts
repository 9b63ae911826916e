import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, setCsrfMeta, settle } from '../testing/fixture.js';
import { sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { problem } from '../testing/portal-data.js';
import { SCIM_MANAGE, SCIM_READ, directoriesData, directory, listData } from '../testing/scim-data.js';
import type { TnScimDirectories } from './tn-scim-directories.js';
import './tn-scim-directories.js';

const TOKEN = 'scim_first_token_F1rs';

beforeEach(() => setCsrfMeta());

const lists = {
  DirectoryGroups: listData('groups', []),
  DirectoryUsers: listData('users', []),
  ProvisioningLog: listData('provisioningLog', []),
};

async function mountPage(answers: Record<string, Answer | Answer[]>, permissions: string[] = SCIM_MANAGE): Promise<TnScimDirectories> {
  stubGraphQL({ ...lists, ...answers });
  const element = await mount('tn-scim-directories', { organizationId: 'org_1', permissions, email: 'ada@example.com' });
  await settle(element);
  return element;
}

const text = (host: Element, id: string) => byTestId(host, id).textContent.replace(/\s+/g, ' ').trim();

const entra = directory({
  id: 'dir_entra',
  name: 'Microsoft Entra ID',
  provider: 'ENTRA_ID',
  lastRequestAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  userCount: 12,
  groupCount: 1,
});

describe('<tn-scim-directories>', () => {
  it('lists each directory with its provider, token state, counts and last request', async () => {
    const element = await mountPage({ Directories: directoriesData([directory(), entra]) });
    const okta = text(element, 'scim-directory-dir_okta');
    expect(okta).toContain('Okta · 0 users · 0 groups');
    expect(okta).toContain('No request from the identity provider yet.');
    expect(okta).toContain('Waiting for the first request');
    expect(text(element, 'scim-directory-dir_entra')).toContain('Microsoft Entra ID · 12 users · 1 group');
    expect(text(element, 'scim-directory-dir_entra')).toContain('Last request 5 minutes ago.');
    expect(byTestId(element, 'scim-directory-dir_entra').querySelector('[data-testid="scim-directory-badge"]')!.textContent).toBe('Connected');
    await expectAccessible(element);
  });

  it('says when there are none, and offers Add directory only with sk_org_scim_manage', async () => {
    const manager = await mountPage({ Directories: directoriesData([]) });
    expect(text(manager, 'scim-empty')).toBe('No directories yet.');
    expect(queryTestId(manager, 'scim-add')).not.toBeNull();
    manager.remove();

    const reader = await mountPage({ Directories: directoriesData([directory()]) }, SCIM_READ);
    expect(queryTestId(reader, 'scim-add')).toBeNull();
    expect(queryTestId(reader, 'scim-list-read-only')).not.toBeNull();
    expect(text(reader, 'scim-open-dir_okta')).toBe('View Okta');
  });

  it('picks a provider, creates the directory and opens it with its token shown once', async () => {
    const created = directory({ id: 'dir_new', name: 'JumpCloud', provider: 'JUMPCLOUD' });
    const element = await mountPage({
      Directories: directoriesData([]),
      CreateDirectory: { createDirectory: { __typename: 'DirectoryWithToken', token: TOKEN, directory: created } },
    });
    byTestId(element, 'scim-add').click();
    await settle(element);
    const picker = element.shadowRoot!.querySelector('tn-scim-provider-picker')!;
    expect(focusedIn(picker)?.id).toBe('scim-picker-heading');
    expect([...picker.shadowRoot!.querySelectorAll('.provider')].map((b) => b.textContent.trim())).toEqual([
      'Okta',
      'Microsoft Entra ID',
      'OneLogin',
      'JumpCloud',
      'Google Workspace',
      'Other (SCIM 2.0)',
    ]);
    await expectAccessible(picker);

    byTestId(picker, 'scim-provider-JUMPCLOUD').click();
    await settle(element);
    const page = element.shadowRoot!.querySelector('tn-scim-directory')!;
    await settle(page);
    expect(text(page, 'scim-token-value')).toBe(TOKEN);
    expect(text(page, 'scim-status')).toBe('JumpCloud was added. Copy the token below now, then follow the steps.');
    expect(focusedIn(page)?.id).toBe('scim-directory-heading');
    const guide = page.shadowRoot!.querySelector('tn-scim-guide')!;
    expect(guide.shadowRoot!.textContent).toContain('Identity Management tab');

    byTestId(element, 'scim-back').click();
    await settle(element);
    expect(focusedIn(element)?.id).toBe('open-dir_new');
    byTestId(element, 'scim-open-dir_new').click();
    await settle(element);
    const again = element.shadowRoot!.querySelector('tn-scim-directory')!;
    await settle(again);
    expect(queryTestId(again, 'scim-token-once')).toBeNull(); // shown once: not after leaving
  });

  it('sends the organization and provider, and waits for "Confirm it\'s you" when asked', async () => {
    const stub = stubGraphQL({
      ...lists,
      Directories: directoriesData([]),
      CreateDirectory: [
        { createDirectory: problem('ReauthenticationRequired', 'Sign in again.', { maxAgeSeconds: 300 }) },
        { createDirectory: { __typename: 'DirectoryWithToken', token: TOKEN, directory: directory() } },
      ],
    });
    const element = await mount('tn-scim-directories', { organizationId: 'org_1', permissions: SCIM_MANAGE });
    await settle(element);
    byTestId(element, 'scim-add').click();
    await settle(element);
    const picker = element.shadowRoot!.querySelector('tn-scim-provider-picker')!;
    byTestId(picker, 'scim-provider-OKTA').click();
    await settle(picker);
    expect(sentNamed(stub, 'CreateDirectory')[0].variables).toEqual({
      organizationId: 'org_1',
      input: { provider: 'OKTA', name: null },
    });
    const confirm = byTestId(picker, 'reauthenticate');
    expect(byTestId<HTMLButtonElement>(picker, 'scim-provider-OKTA').disabled).toBe(true);
    confirm.dispatchEvent(new Event('tn-reauthenticated', { bubbles: true, composed: true }));
    await settle(element);
    expect(element.shadowRoot!.querySelector('tn-scim-directory')).not.toBeNull();
  });

  it('returns to the list saying what was deleted', async () => {
    const element = await mountPage({
      Directories: directoriesData([directory()]),
      DeleteDirectory: { deleteDirectory: { __typename: 'DirectoryDeleted', directory: { id: 'dir_okta', name: 'Okta' } } },
    });
    byTestId(element, 'scim-open-dir_okta').click();
    await settle(element);
    const page = element.shadowRoot!.querySelector('tn-scim-directory')!;
    page.dispatchEvent(
      new CustomEvent('tn-scim-directory-deleted', { detail: { id: 'dir_okta', name: 'Okta' }, bubbles: true, composed: true }),
    );
    await settle(element);
    expect(text(element, 'scim-list-status')).toBe('Okta was deleted.');
    expect(text(element, 'scim-empty')).toBe('No directories yet.');
    expect(focusedIn(element)).toBe(byTestId(element, 'scim-list-status'));
  });
});
