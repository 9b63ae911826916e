import { beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, setCsrfMeta, settle } from '../testing/fixture.js';
import { stubGraphQL } from '../testing/graphql-stub.js';
import { directory, directoryGroup, listData, scimRoles } from '../testing/scim-data.js';
import type { Directory, DirectorySettings } from './scim-api.js';
import { changedSettings, type TnScimSettings } from './tn-scim-settings.js';
import './tn-scim-settings.js';

beforeEach(() => setCsrfMeta());

const engineering = directoryGroup('Engineering');
const admins = directoryGroup('Admins');
const ADMIN_PERMISSIONS = ['sk_org_scim_manage', 'sk_org_settings_manage'];

async function mountSettings(groups = [engineering, admins], shown: Directory = directory(), permissions = ADMIN_PERMISSIONS) {
  const fetch = stubGraphQL({ DirectoryGroups: listData('groups', groups) });
  const element = await mount('tn-scim-settings', { directory: shown, roles: scimRoles, permissions });
  await settle(element);
  const saved = vi.fn<(settings: DirectorySettings) => void>();
  element.addEventListener('tn-scim-settings-save', (event) => saved(event.detail));
  return { element, fetch, saved };
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

const selects = (element: TnScimSettings, id: string) =>
  [...element.shadowRoot!.querySelectorAll<HTMLSelectElement>(`[data-testid="${id}"]`)];

describe('<tn-scim-settings>', () => {
  it('requires a verified domain by default and explains it, with the default role', async () => {
    const { element } = await mountSettings();
    const required = byTestId<HTMLInputElement>(element, 'scim-require-verified');
    expect(required.checked).toBe(true);
    expect(element.shadowRoot!.getElementById(required.getAttribute('aria-describedby')!)!.textContent).toContain(
      "verified domains; anyone else is refused",
    );
    expect(byTestId<HTMLInputElement>(element, 'scim-deprovision').checked).toBe(false);
    expect(byTestId<HTMLSelectElement>(element, 'scim-default-role').value).toBe('member');
    await expectAccessible(element);
  });

  it('sends only what changed', async () => {
    const { element, saved } = await mountSettings();
    byTestId<HTMLInputElement>(element, 'scim-deprovision').click();
    choose(byTestId<HTMLSelectElement>(element, 'scim-default-role'), 'admin');
    await settle(element);
    byTestId(element, 'scim-settings-save').click();
    expect(saved).toHaveBeenCalledWith({ deprovisionWhenUnmapped: true, defaultRole: 'admin' });
  });

  it('maps pushed groups to roles in order, first match wins, and sends the whole list', async () => {
    const { element, saved } = await mountSettings();
    byTestId(element, 'scim-mapping-add').click();
    await settle(element);
    expect(focusedIn(element)?.id).toBe('mapping-group-0');
    byTestId(element, 'scim-mapping-add').click();
    await settle(element);
    // Each group once: the second row offers only the group the first does not use.
    expect([...selects(element, 'scim-mapping-group')[1].options].map((o) => o.textContent.trim())).toEqual(['Admins']);
    expect(byTestId<HTMLButtonElement>(element, 'scim-mapping-add').disabled).toBe(true);
    choose(selects(element, 'scim-mapping-role')[1], 'admin');
    await settle(element);
    selects(element, 'scim-mapping-up')[1].click();
    await settle(element);
    expect(focusedIn(element)?.id).toBe('mapping-group-0');
    byTestId(element, 'scim-settings-save').click();
    expect(saved).toHaveBeenLastCalledWith({
      groupRoles: [
        { groupId: admins.id, role: 'admin' },
        { groupId: engineering.id, role: 'member' },
      ],
    });
    expect(element.shadowRoot!.querySelector('caption')!.textContent).toContain('first match wins');
    await expectAccessible(element);

    selects(element, 'scim-mapping-remove')[0].click();
    await settle(element);
    byTestId(element, 'scim-settings-save').click();
    expect(saved).toHaveBeenLastCalledWith({ groupRoles: [{ groupId: engineering.id, role: 'member' }] });
  });

  it('shows the saved mapping, and says when no group was pushed yet', async () => {
    const mapped = directory({ groupRoles: [{ group: { id: admins.id, displayName: 'Admins' }, role: 'admin' }] });
    const { element } = await mountSettings([admins], mapped);
    expect(selects(element, 'scim-mapping-group')[0].value).toBe(admins.id);
    expect(selects(element, 'scim-mapping-role')[0].value).toBe('admin');
    element.remove();

    const empty = await mountSettings([]);
    expect(queryTestId(empty.element, 'scim-no-groups')?.textContent).toContain('No groups pushed yet.');
    expect(queryTestId(empty.element, 'scim-mapping-add')).toBeNull();
  });

  it('offers only roles the viewer holds', async () => {
    const { element } = await mountSettings([admins], directory(), ['sk_org_scim_manage', 'sk_org_settings_read']);
    const options = [...byTestId<HTMLSelectElement>(element, 'scim-default-role').options].map((o) => o.value);
    expect(options).toEqual(['member']);
  });

  it('lists the settings read-only', async () => {
    stubGraphQL({ DirectoryGroups: listData('groups', []) });
    const element = await mount('tn-scim-settings', {
      directory: directory({ groupRoles: [{ group: { id: admins.id, displayName: 'Admins' }, role: 'admin' }] }),
      roles: scimRoles,
      readOnly: true,
    });
    const list = byTestId(element, 'scim-settings-read-only');
    expect(list.textContent).toContain('1. Group Admins');
    expect(list.textContent).toContain('Admin');
    expect(element.shadowRoot!.querySelector('form')).toBeNull();
  });

  it('compares with what the directory holds', () => {
    const held = directory({ groupRoles: [{ group: { id: 'g1', displayName: 'G' }, role: 'admin' }] });
    expect(changedSettings(held, { requireVerifiedDomain: true, defaultRole: 'member' }, null)).toEqual({});
    expect(changedSettings(held, {}, [{ groupId: 'g1', role: 'admin' }])).toEqual({});
    expect(changedSettings(held, {}, [])).toEqual({ groupRoles: [] });
  });
});
