import { beforeEach, describe, expect, it } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
} from '../testing/fixture.js';
import {
  deferred,
  graphqlError,
  sentNamed,
  stubGraphQL,
  type Answer,
} from '../testing/graphql-stub.js';
import {
  ALL_PERMISSIONS,
  adaMember,
  grace,
  linus,
  member,
  problem,
  roles,
} from '../testing/portal-data.js';
import type { Member } from './members-api.js';
import type { TnMemberTable } from './tn-member-table.js';
import './tn-member-table.js';

beforeEach(() => setCsrfMeta());

/**
 * Mounts the table as <tn-members> uses it: the parent keeps the members and applies the
 * table's tn-member-updated and tn-member-removed events to them.
 */
async function mountTable(
  answers: Record<string, Answer> = {},
  permissions: readonly string[] = ALL_PERMISSIONS,
  members: Member[] = [adaMember, grace],
) {
  const fetch = stubGraphQL(answers);
  const table = await mount('tn-member-table', {
    members,
    roles,
    viewerId: 'usr_ada',
    permissions,
  });
  table.addEventListener('tn-member-updated', (event) => {
    table.members = table.members.map((kept) =>
      kept.id === event.detail.id ? event.detail : kept,
    );
  });
  table.addEventListener('tn-member-removed', (event) => {
    table.members = table.members.filter((kept) => kept.id !== event.detail.id);
  });
  return { table, fetch };
}

function rowEmails(table: TnMemberTable): string[] {
  return [...table.shadowRoot!.querySelectorAll('[data-testid^="member-row-"]')].map((row) =>
    row.getAttribute('data-testid')!.replace('member-row-', ''),
  );
}

/** Each cell's text, without the labels that only narrow screens show. */
function cells(table: TnMemberTable, email: string): string[] {
  return [...byTestId(table, `member-row-${email}`).querySelectorAll('th, td')].map((cell) => {
    const copy = cell.cloneNode(true) as Element;
    copy.querySelectorAll('.cell-label').forEach((label) => label.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  });
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** The text an `aria-labelledby` list names, as assistive technology reads it. */
function labelledBy(host: Element, element: Element): string {
  return element
    .getAttribute('aria-labelledby')!
    .split(' ')
    .map((id) => host.shadowRoot!.getElementById(id)!.textContent.replace(/\s+/g, ' ').trim())
    .join(' ');
}

async function askToRemoveGrace(table: TnMemberTable): Promise<void> {
  byTestId(table, 'member-remove-grace@example.com').click();
  await settle(table);
}

describe('<tn-member-table>', () => {
  describe('the table', () => {
    it('has a column header for each column and a row header per member', async () => {
      const { table } = await mountTable({}, ['sk_org_users_read']);
      const headers = [...table.shadowRoot!.querySelectorAll('thead th')];

      expect(headers.map((th) => th.textContent.trim())).toEqual([
        'Name',
        'Email',
        'Role',
        'Status',
        'Last sign-in',
      ]);
      expect(headers.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
      expect(
        byTestId(table, 'member-row-grace@example.com').querySelector('th')?.getAttribute('scope'),
      ).toBe('row');
      expect(table.shadowRoot!.querySelector('caption')?.textContent).toBe('Members');
    });

    it("shows each member's name, email, role, status and last sign-in", async () => {
      const { table } = await mountTable({}, ['sk_org_users_read'], [adaMember, grace, linus]);

      expect(rowEmails(table)).toEqual([
        'ada@example.com',
        'grace@example.com',
        'linus@example.com',
      ]);
      const [name, email, role, status, lastSignIn] = cells(table, 'grace@example.com');
      expect([name, email, role, status]).toEqual([
        'Grace Hopper',
        'grace@example.com',
        'Member',
        'Active',
      ]);
      expect(lastSignIn).toContain('2026');
      expect(cells(table, 'linus@example.com').slice(3)).toEqual(['Invited', 'Never']);
      expect(cells(table, 'ada@example.com')[0]).toBe('Ada Lovelace (you)');
    });

    it('labels each cell for narrow screens, where the table becomes cards', async () => {
      const { table } = await mountTable();
      const labels = [
        ...byTestId(table, 'member-row-grace@example.com').querySelectorAll('.cell-label'),
      ];

      expect(labels.map((label) => label.textContent)).toEqual([
        'Email',
        'Role',
        'Status',
        'Last sign-in',
      ]);
      expect(labels.every((label) => label.getAttribute('aria-hidden') === 'true')).toBe(true);
    });

    it('passes the accessibility checks', async () => {
      const { table } = await mountTable({}, ALL_PERMISSIONS, [adaMember, grace, linus]);
      await expectAccessible(table);
    });
  });

  describe('what the viewer may do', () => {
    it('shows no controls to someone who may only read', async () => {
      const { table } = await mountTable({}, ['sk_org_users_read']);

      expect(queryTestId(table, 'member-role-grace@example.com')).toBeNull();
      expect(queryTestId(table, 'member-remove-grace@example.com')).toBeNull();
      expect(table.shadowRoot!.querySelectorAll('thead th')).toHaveLength(5);
    });

    it('shows "Role from <directory>" instead of the role picker when a directory set the role', async () => {
      const managed = member('Grace Hopper', {
        roleManagedBy: { directoryId: 'dir_okta', directoryName: 'Okta' },
      });
      const { table } = await mountTable({}, ALL_PERMISSIONS, [adaMember, managed, member('Linus Pauling')]);

      expect(queryTestId(table, 'member-role-grace@example.com')).toBeNull();
      expect(byTestId(table, 'member-role-managed-grace@example.com').textContent).toBe('Role from Okta');
      expect(cells(table, 'grace@example.com')[2]).toBe('Member Role from Okta');
      expect(queryTestId(table, 'member-role-linus@example.com')).not.toBeNull();
      await expectAccessible(table);
    });

    it('offers no role change or removal on the viewer’s own row', async () => {
      const { table } = await mountTable();

      expect(queryTestId(table, 'member-role-ada@example.com')).toBeNull();
      expect(queryTestId(table, 'member-remove-ada@example.com')).toBeNull();
      expect(queryTestId(table, 'member-role-grace@example.com')).toBeTruthy();
      expect(queryTestId(table, 'member-remove-grace@example.com')).toBeTruthy();
    });

    it('offers a role change without removal, and removal without role change', async () => {
      const { table: roleOnly } = await mountTable({}, [
        'sk_org_users_read',
        'sk_org_users_role_change',
      ]);
      expect(queryTestId(roleOnly, 'member-role-grace@example.com')).toBeTruthy();
      expect(queryTestId(roleOnly, 'member-remove-grace@example.com')).toBeNull();
      roleOnly.remove();

      const { table: removeOnly } = await mountTable({}, [
        'sk_org_users_read',
        'sk_org_users_delete',
      ]);
      expect(queryTestId(removeOnly, 'member-role-grace@example.com')).toBeNull();
      expect(queryTestId(removeOnly, 'member-remove-grace@example.com')).toBeTruthy();
    });
  });

  describe('roles above the viewer', () => {
    const manager = [
      'sk_org_settings_read',
      'sk_org_users_read',
      'sk_org_users_role_change',
      'sk_org_users_delete',
    ];
    const withPermissions = [
      { key: 'admin', name: 'Admin', permissions: [...ALL_PERMISSIONS, 'sk_org_sso_manage'] },
      { key: 'member', name: 'Member', permissions: ['sk_org_settings_read', 'sk_org_users_read'] },
    ];

    it('offers no role change or removal on a member whose role outranks the viewer', async () => {
      const alan = member('Alan Turing', { role: 'admin' });
      const { table } = await mountTable({}, manager, [adaMember, grace, alan]);
      table.viewerId = 'usr_nobody';
      table.roles = withPermissions;
      await settle(table);

      expect(queryTestId(table, 'member-role-alan@example.com')).toBeNull();
      expect(queryTestId(table, 'member-remove-alan@example.com')).toBeNull();
      const select = byTestId<HTMLSelectElement>(table, 'member-role-grace@example.com');
      expect([...select.options].map((option) => option.value)).toEqual(['member']);
      expect(queryTestId(table, 'member-remove-grace@example.com')).toBeTruthy();
    });

    it('counts a manage permission as its read when comparing roles', async () => {
      const settingsManager = manager.map((permission) =>
        permission === 'sk_org_settings_read' ? 'sk_org_settings_manage' : permission,
      );
      const { table } = await mountTable({}, settingsManager);
      table.roles = withPermissions;
      await settle(table);

      expect(queryTestId(table, 'member-remove-grace@example.com')).toBeTruthy();
    });
  });

  describe('changing a role', () => {
    it('labels the select with the column and the member', async () => {
      const { table } = await mountTable();
      const select = byTestId<HTMLSelectElement>(table, 'member-role-grace@example.com');

      expect(labelledBy(table, select)).toBe('Role Grace Hopper');
      expect(select.value).toBe('member');
    });

    it('changes the role, says so, and keeps focus on the select', async () => {
      const { table, fetch } = await mountTable({
        ChangeMemberRole: { changeMemberRole: { __typename: 'Member', ...grace, role: 'admin' } },
      });
      choose(byTestId(table, 'member-role-grace@example.com'), 'admin');
      await settle(table);

      expect(sentNamed(fetch, 'ChangeMemberRole')[0].variables).toEqual({
        memberId: grace.id,
        role: 'admin',
      });
      expect(byTestId(table, 'members-status').textContent).toBe('Grace Hopper is now Admin.');
      expect(byTestId(table, 'members-status').parentElement?.getAttribute('role')).toBe('status');
      expect(byTestId<HTMLSelectElement>(table, 'member-role-grace@example.com').value).toBe(
        'admin',
      );
      expect(focusedIn(table)).toBe(byTestId(table, 'member-role-grace@example.com'));
    });

    it.each([
      ['LastAdmin', 'An organization needs at least one admin. Make someone else admin first.'],
      ['RoleNotGrantable', 'You cannot grant a role with permissions you do not have yourself.'],
    ])(
      'shows a %s problem in a focused alert and puts the old role back',
      async (typename, message) => {
        const { table } = await mountTable({
          ChangeMemberRole: {
            changeMemberRole: problem(typename, message, { missingPermissions: [] }),
          },
        });
        choose(byTestId(table, 'member-role-grace@example.com'), 'admin');
        await settle(table);

        const alert = byTestId(table, 'error-message');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toContain(message);
        expect(focusedIn(table)).toBe(alert);
        expect(byTestId<HTMLSelectElement>(table, 'member-role-grace@example.com').value).toBe(
          'member',
        );
      },
    );

    it('disables the controls and marks the changing select busy', async () => {
      const wait = deferred();
      const { table } = await mountTable({ ChangeMemberRole: wait.answer }, ALL_PERMISSIONS, [
        adaMember,
        grace,
        member('Linus Pauling'),
      ]);
      choose(byTestId(table, 'member-role-grace@example.com'), 'admin');
      await table.updateComplete;

      expect(byTestId(table, 'member-role-grace@example.com').getAttribute('aria-busy')).toBe(
        'true',
      );
      expect(byTestId<HTMLSelectElement>(table, 'member-role-linus@example.com').disabled).toBe(
        true,
      );
      expect(byTestId<HTMLButtonElement>(table, 'member-remove-linus@example.com').disabled).toBe(
        true,
      );
      wait.resolve(graphqlError('BAD_REQUEST', 'No.'));
      await settle(table);
      expect(byTestId<HTMLSelectElement>(table, 'member-role-linus@example.com').disabled).toBe(
        false,
      );
    });
  });

  describe('removing a member', () => {
    it('asks for confirmation first, with focus on Cancel', async () => {
      const { table, fetch } = await mountTable();
      await askToRemoveGrace(table);

      const confirm = byTestId(table, 'member-remove-confirm');
      expect(confirm.closest('[role="group"]')?.textContent).toContain(
        'Remove Grace Hopper from the organization?',
      );
      expect(focusedIn(table)).toBe(byTestId(table, 'member-remove-cancel'));
      expect(sentNamed(fetch, 'RemoveMember')).toHaveLength(0);
    });

    it('removes the member once confirmed, and says so in a focused status', async () => {
      const { table, fetch } = await mountTable({
        RemoveMember: { removeMember: { __typename: 'MemberRemoved', member: grace } },
      });
      let removed: Member | undefined;
      table.addEventListener('tn-member-removed', (event) => (removed = event.detail));
      await askToRemoveGrace(table);
      byTestId(table, 'member-remove-confirm').click();
      await settle(table);

      expect(sentNamed(fetch, 'RemoveMember')[0].variables).toEqual({ memberId: grace.id });
      expect(removed).toEqual(grace);
      expect(rowEmails(table)).toEqual(['ada@example.com']);
      const status = byTestId(table, 'members-status');
      expect(status.textContent).toBe('Grace Hopper was removed from the organization.');
      expect(focusedIn(table)).toBe(status);
    });

    it.each(['Cancel', 'Escape'])(
      'keeps the member on %s and returns focus to Remove',
      async (how) => {
        const { table, fetch } = await mountTable();
        await askToRemoveGrace(table);
        const cancel = byTestId(table, 'member-remove-cancel');
        if (how === 'Cancel') cancel.click();
        else
          cancel.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
          );
        await settle(table);

        expect(queryTestId(table, 'member-remove-confirm')).toBeNull();
        expect(focusedIn(table)).toBe(byTestId(table, 'member-remove-grace@example.com'));
        expect(sentNamed(fetch, 'RemoveMember')).toHaveLength(0);
      },
    );

    it('shows a LastAdmin problem in a focused alert and keeps the row', async () => {
      const message = 'An organization needs at least one admin. Make someone else admin first.';
      const { table } = await mountTable({
        RemoveMember: { removeMember: problem('LastAdmin', message) },
      });
      await askToRemoveGrace(table);
      byTestId(table, 'member-remove-confirm').click();
      await settle(table);

      expect(byTestId(table, 'error-message').textContent).toContain(message);
      expect(focusedIn(table)).toBe(byTestId(table, 'error-message'));
      expect(rowEmails(table)).toContain('grace@example.com');
    });

    it('marks the confirm button busy while removing', async () => {
      const wait = deferred();
      const { table } = await mountTable({ RemoveMember: wait.answer });
      await askToRemoveGrace(table);
      byTestId(table, 'member-remove-confirm').click();
      await table.updateComplete;

      expect(byTestId(table, 'member-remove-confirm').getAttribute('aria-busy')).toBe('true');
      expect(byTestId<HTMLButtonElement>(table, 'member-remove-confirm').disabled).toBe(true);
      expect(byTestId<HTMLButtonElement>(table, 'member-remove-cancel').disabled).toBe(true);
      wait.resolve(graphqlError('NOT_FOUND', 'No such member.'));
      await settle(table);
    });

    it('passes the accessibility checks while confirming', async () => {
      const { table } = await mountTable();
      await askToRemoveGrace(table);

      await expectAccessible(table);
    });
  });
});
