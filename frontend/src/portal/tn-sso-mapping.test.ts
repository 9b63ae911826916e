import { describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  settle,
  typeInto,
} from '../testing/fixture.js';
import { roles, ssoConnection } from '../testing/portal-data.js';
import type { ConnectionSettings } from './sso-api.js';
import './tn-sso-mapping.js';

async function mountMapping(connection = ssoConnection(), readOnly = false) {
  const element = await mount('tn-sso-mapping', { connection, roles, readOnly });
  const saved = vi.fn<(settings: ConnectionSettings) => void>();
  element.addEventListener('tn-sso-mapping-save', (event) => saved(event.detail));
  return { element, saved };
}

describe('<tn-sso-mapping>', () => {
  it('shows the current mapping and role, and sends only what changed', async () => {
    const { element, saved } = await mountMapping();
    expect(byTestId<HTMLInputElement>(element, 'sso-map-email').value).toBe('email');
    expect(byTestId<HTMLSelectElement>(element, 'sso-default-role').value).toBe('member');

    typeInto(byTestId(element, 'sso-map-groups'), ' memberOf ');
    const select = byTestId<HTMLSelectElement>(element, 'sso-default-role');
    select.value = 'admin';
    select.dispatchEvent(new Event('change'));
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(saved).toHaveBeenCalledWith({
      attributeMapping: { groups: 'memberOf' },
      defaultRole: 'admin',
    });
  });

  it('sends nothing to change when nothing changed', async () => {
    const { element, saved } = await mountMapping();
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(saved).toHaveBeenCalledWith({});
  });

  it('refuses an empty attribute name at its field', async () => {
    const { element, saved } = await mountMapping();
    typeInto(byTestId(element, 'sso-map-email'), '  ');
    byTestId(element, 'sso-mapping-save').click();
    await settle(element);
    expect(byTestId(element, 'sso-mapping-error').textContent).toContain(
      'Enter the email attribute.',
    );
    expect(focusedIn(element)).toBe(byTestId(element, 'sso-map-email'));
    expect(byTestId(element, 'sso-map-email').getAttribute('aria-invalid')).toBe('true');
    expect(saved).not.toHaveBeenCalled();
    await expectAccessible(element);
  });

  describe('roles by group', () => {
    const mapped = ssoConnection({ groupRoles: [{ group: 'Admins', role: 'admin' }] });
    const rows = (element: HTMLElement) =>
      [...element.shadowRoot!.querySelectorAll('[data-testid="sso-group-role"]')] as HTMLElement[];

    it('adds a group with a role, focusing its name, and sends the whole list', async () => {
      const { element, saved } = await mountMapping(mapped);
      expect(byTestId<HTMLInputElement>(element, 'sso-group-name').value).toBe('Admins');
      byTestId(element, 'sso-group-add').click();
      await settle(element);
      const added = rows(element)[1];
      expect(focusedIn(element)).toBe(added.querySelector('input'));
      typeInto(added.querySelector('input')!, ' Baristas ');
      const select = added.querySelector('select')!;
      select.value = 'member';
      select.dispatchEvent(new Event('change'));
      byTestId(element, 'sso-mapping-save').click();
      await settle(element);
      expect(saved).toHaveBeenCalledWith({
        groupRoles: [
          { group: 'Admins', role: 'admin' },
          { group: 'Baristas', role: 'member' },
        ],
      });
      await expectAccessible(element);
    });

    it('removes a group, and sends an empty list when none is left', async () => {
      const { element, saved } = await mountMapping(mapped);
      byTestId(element, 'sso-group-remove').click();
      await settle(element);
      expect(rows(element)).toHaveLength(0);
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-group-add'));
      byTestId(element, 'sso-mapping-save').click();
      await settle(element);
      expect(saved).toHaveBeenCalledWith({ groupRoles: [] });
    });

    it('refuses an empty group name at its row', async () => {
      const { element, saved } = await mountMapping();
      byTestId(element, 'sso-group-add').click();
      await settle(element);
      byTestId(element, 'sso-mapping-save').click();
      await settle(element);
      expect(byTestId(element, 'sso-group-error').textContent).toContain('Enter the group name.');
      expect(focusedIn(element)).toBe(byTestId(element, 'sso-group-name'));
      expect(saved).not.toHaveBeenCalled();
    });

    it('shows the server refusing the list above the rows', async () => {
      const { element } = await mountMapping(mapped);
      element.refusal = { field: 'groupRoles', message: 'Map at most 20 groups to roles.' };
      await settle(element);
      expect(byTestId(element, 'sso-group-roles-error').textContent).toContain('at most 20');
      expect(queryTestId(element, 'sso-mapping-error')).toBeNull();
    });

    it('lists them read-only', async () => {
      const { element } = await mountMapping(mapped, true);
      expect(queryTestId(element, 'sso-group-add')).toBeNull();
      expect(byTestId(element, 'sso-mapping-read-only').textContent.replace(/\s+/g, ' ')).toContain(
        'Role for the group Admins Admin',
      );
    });
  });
});
