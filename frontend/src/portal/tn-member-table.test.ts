import { beforeEach, describe, expect, it } from 'vitest';
import { installDesignSystem } from '../shared/design-system.js';
import { byTestId, expectAccessible, mount, queryTestId, setCsrfMeta, settle } from '../testing/fixture.js';
import { deferred, sentNamed, stubGraphQL, type Answer } from '../testing/graphql-stub.js';
import { ALL_PERMISSIONS, adaMember, grace, member, problem, roles } from '../testing/portal-data.js';
import { instantAnimations, recordFocus } from '../testing/shoelace.js';
import type { Member } from './members-api.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import { initials, type TnMemberTable } from './tn-member-table.js';
import './tn-member-table.js';

beforeEach(() => {
  setCsrfMeta();
  instantAnimations();
  installDesignSystem(document);
});

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
  const table = await mount('tn-member-table', { members, roles, viewerId: 'usr_ada', permissions });
  table.addEventListener('tn-member-updated', (event) => {
    table.members = table.members.map((kept) => (kept.id === event.detail.id ? event.detail : kept));
  });
  table.addEventListener('tn-member-removed', (event) => {
    table.members = table.members.filter((kept) => kept.id !== event.detail.id);
  });
  return { table, fetch };
}

/** The latest toast's words (the toast stack outlives each test's body). */
const lastToast = () => [...document.querySelectorAll('[data-testid="toast"]')].at(-1)?.textContent;

const dialog = (table: TnMemberTable, id: 'role-dialog' | 'remove-dialog') =>
  table.shadowRoot!.querySelector<TnConfirmDialog>(`#${id}`)!;

/** Picks an item of a row's ⋯ menu, as Shoelace's menu reports it. */
async function pick(table: TnMemberTable, testId: string): Promise<void> {
  const item = byTestId(table, testId);
  item.closest('sl-menu')!.dispatchEvent(
    new CustomEvent('sl-select', { detail: { item }, bubbles: true, composed: true }),
  );
  await settle(table);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await settle(table);
}

function rowEmails(table: TnMemberTable): string[] {
  return [...table.shadowRoot!.querySelectorAll('[data-testid^="member-row-"]')].map((row) =>
    row.getAttribute('data-testid')!.replace('member-row-', ''),
  );
}

function radio(table: TnMemberTable, role: string): HTMLInputElement {
  return byTestId<HTMLInputElement>(table, `member-role-option-${role}`);
}

function choose(input: HTMLInputElement): void {
  input.checked = true;
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('<tn-member-table>', () => {
  describe('the table', () => {
    it('has a column header for each column and a row header per member', async () => {
      const { table } = await mountTable();
      const headers = [...table.shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      expect(headers).toEqual(['Member', 'Role', 'Status', 'Last sign-in', 'Actions']);
      const rowHeaders = table.shadowRoot!.querySelectorAll('tbody th[scope="row"]');
      expect(rowHeaders).toHaveLength(2);
      expect(rowEmails(table)).toEqual(['ada@example.com', 'grace@example.com']);
    });

    it("shows each member's avatar, name, email, role, status and last sign-in", async () => {
      const { table } = await mountTable();
      const row = byTestId(table, 'member-row-grace@example.com');
      expect(row.querySelector('sl-avatar')?.getAttribute('initials')).toBe('GH');
      expect(row.querySelector('.avatar')?.getAttribute('aria-hidden')).toBe('true');
      expect(row.querySelector('.name')?.textContent.trim()).toBe('Grace Hopper');
      const email = row.querySelector('.email')!;
      expect(email.textContent).toBe('grace@example.com');
      expect(email.getAttribute('title')).toBe('grace@example.com');
      expect(row.querySelector('td.role')?.textContent.trim()).toBe('Member');
      expect(row.querySelector('td.status')?.textContent.trim()).toBe('Active');
      const seen = row.querySelector('sl-relative-time')!;
      expect((seen as unknown as { date: Date }).date.toISOString()).toBe('2026-11-20T09:30:00.000Z');
      expect(seen.getAttribute('title')).toMatch(/2026/);
    });

    it('says Never for someone who never signed in, and marks the viewer', async () => {
      const { table } = await mountTable({}, ALL_PERMISSIONS, [adaMember, member('Alan Turing', { lastSignInAt: null })]);
      expect(byTestId(table, 'member-row-alan@example.com').querySelector('td.seen')?.textContent.trim()).toBe('Never');
      expect(byTestId(table, 'member-row-ada@example.com').querySelector('.you')?.textContent).toBe('(you)');
    });

    it('makes initials from the first and last names, else the email', () => {
      expect(initials(member('Augusta Ada King'))).toBe('AK');
      expect(initials(member('Cher'))).toBe('C');
      expect(initials(member('x', { user: { id: 'u', email: 'zed@example.com', name: '' } }))).toBe('Z');
    });

    it('shows a suspended status inline too, for the compact list', async () => {
      const { table } = await mountTable({}, ALL_PERMISSIONS, [member('Sue Spended', { status: 'SUSPENDED' })]);
      expect(byTestId(table, 'member-row-sue@example.com').querySelector('.inline-status')?.textContent.trim()).toBe(
        'Suspended',
      );
    });

    it('passes the accessibility checks', async () => {
      const { table } = await mountTable();
      await expectAccessible(table);
    });
  });

  describe('what the viewer may do', () => {
    it('shows no ⋯ menu to someone who may only read', async () => {
      const { table } = await mountTable({}, ['sk_org_users_read']);
      expect(queryTestId(table, 'member-actions-grace@example.com')).toBeNull();
      expect(table.shadowRoot!.querySelector('th.menu-cell')).toBeNull();
    });

    it('names the ⋯ button after the person', async () => {
      const { table } = await mountTable();
      expect(byTestId(table, 'member-actions-grace@example.com').getAttribute('label')).toBe(
        'Actions for Grace Hopper',
      );
    });

    it('offers nothing on the viewer’s own row', async () => {
      const { table } = await mountTable();
      expect(queryTestId(table, 'member-actions-ada@example.com')).toBeNull();
    });

    it('shows "Role from <directory>" and offers no role change when a directory set the role', async () => {
      const managed = member('Dora Directory', {
        roleManagedBy: { directoryId: 'dir_1', directoryName: 'Okta' },
      });
      const { table } = await mountTable({}, ALL_PERMISSIONS, [adaMember, managed]);
      expect(byTestId(table, 'member-role-managed-dora@example.com').textContent).toBe('Role from Okta');
      // The compact list says it too, beside the role.
      expect(byTestId(table, 'member-row-dora@example.com').querySelector('.inline-role')?.textContent).toBe(
        'Member (from Okta)',
      );
      expect(queryTestId(table, 'member-change-role-dora@example.com')).toBeNull();
      expect(queryTestId(table, 'member-remove-dora@example.com')).toBeTruthy();
    });

    it('offers a role change without removal, and removal without role change', async () => {
      const { table: changeOnly } = await mountTable({}, ['sk_org_users_read', 'sk_org_users_role_change']);
      expect(queryTestId(changeOnly, 'member-change-role-grace@example.com')).toBeTruthy();
      expect(queryTestId(changeOnly, 'member-remove-grace@example.com')).toBeNull();
      document.body.replaceChildren();
      const { table: removeOnly } = await mountTable({}, ['sk_org_users_read', 'sk_org_users_delete']);
      expect(queryTestId(removeOnly, 'member-change-role-grace@example.com')).toBeNull();
      expect(queryTestId(removeOnly, 'member-remove-grace@example.com')).toBeTruthy();
    });

    it('offers nothing on a member whose role outranks the viewer, and only roles they hold', async () => {
      const manager = ['sk_org_settings_read', 'sk_org_users_read', 'sk_org_users_role_change', 'sk_org_users_delete'];
      const alan = member('Alan Turing', { role: 'admin' });
      const { table } = await mountTable({}, manager, [adaMember, grace, alan]);
      table.viewerId = 'usr_nobody';
      table.roles = [
        { key: 'admin', name: 'Admin', permissions: [...ALL_PERMISSIONS, 'sk_org_sso_manage'] },
        { key: 'member', name: 'Member', permissions: ['sk_org_settings_read', 'sk_org_users_read'] },
      ];
      await settle(table);
      expect(queryTestId(table, 'member-actions-alan@example.com')).toBeNull();
      await pick(table, 'member-change-role-grace@example.com');
      expect(queryTestId(table, 'member-role-option-admin')).toBeNull();
      expect(queryTestId(table, 'member-role-option-member')).toBeTruthy();
    });
  });

  describe('changing a role', () => {
    it('opens a dialog naming the person, with the current role chosen and focused, and sends nothing yet', async () => {
      const { table, fetch } = await mountTable();
      const focus = recordFocus();
      await pick(table, 'member-change-role-grace@example.com');
      const roleDialog = dialog(table, 'role-dialog');
      expect(roleDialog.open).toBe(true);
      expect(roleDialog.heading).toBe("Change Grace Hopper's role");
      expect(radio(table, 'member').checked).toBe(true);
      expect(focus.all).toContain(radio(table, 'member'));
      expect(byTestId<HTMLButtonElement>(roleDialog, 'member-role-confirm').disabled).toBe(true);

      // Choosing (an arrow key in the radio group) changes nothing until the confirm.
      choose(radio(table, 'admin'));
      await settle(table);
      expect(sentNamed(fetch, 'ChangeMemberRole')).toHaveLength(0);
      const confirm = byTestId<HTMLButtonElement>(roleDialog, 'member-role-confirm');
      expect(confirm.disabled).toBe(false);
      expect(confirm.textContent.trim()).toBe('Make Grace Hopper Admin');
    });

    it('changes the role once confirmed, closes, and tells the parent', async () => {
      const { table, fetch } = await mountTable({
        ChangeMemberRole: { changeMemberRole: { __typename: 'Member', ...grace, role: 'admin' } },
      });
      await pick(table, 'member-change-role-grace@example.com');
      choose(radio(table, 'admin'));
      await settle(table);
      byTestId(dialog(table, 'role-dialog'), 'member-role-confirm').click();
      await settle(table);

      expect(sentNamed(fetch, 'ChangeMemberRole')[0].variables).toEqual({ memberId: grace.id, role: 'admin' });
      expect(dialog(table, 'role-dialog').open).toBe(false);
      expect(byTestId(table, 'member-row-grace@example.com').querySelector('td.role')?.textContent.trim()).toBe(
        'Admin',
      );
      expect(lastToast()).toBe('Grace Hopper is now Admin.');
    });

    it('shows the last-admin refusal in the dialog, naming the person', async () => {
      const { table } = await mountTable({
        ChangeMemberRole: {
          changeMemberRole: problem('LastAdmin', 'An organization needs at least one admin.', { code: 'LAST_ADMIN' }),
        },
      });
      await pick(table, 'member-change-role-grace@example.com');
      choose(radio(table, 'admin'));
      await settle(table);
      const roleDialog = dialog(table, 'role-dialog');
      byTestId(roleDialog, 'member-role-confirm').click();
      await settle(table);

      expect(roleDialog.open).toBe(true);
      expect(byTestId(roleDialog, 'error-message').textContent).toContain(
        "Grace Hopper is this organization's last admin. Make someone else an admin first",
      );
      expect(byTestId(table, 'member-row-grace@example.com').querySelector('td.role')?.textContent.trim()).toBe(
        'Member',
      );
    });

    it('passes the accessibility checks with the dialog open', async () => {
      const { table } = await mountTable();
      await pick(table, 'member-change-role-grace@example.com');
      await expectAccessible(table);
    });
  });

  describe('removing a member', () => {
    it('asks first in a dialog that names the person and says what happens, Cancel focused', async () => {
      const { table, fetch } = await mountTable();
      const focus = recordFocus();
      await pick(table, 'member-remove-grace@example.com');
      const removeDialog = dialog(table, 'remove-dialog');
      expect(removeDialog.open).toBe(true);
      expect(removeDialog.heading).toBe('Remove Grace Hopper?');
      expect(removeDialog.variant).toBe('danger');
      const question = byTestId(table, 'member-remove-question').textContent.replace(/\s+/g, ' ');
      expect(question).toContain('Grace Hopper (grace@example.com) will lose access to this organization');
      expect(question).toContain('their sessions here end');
      expect(byTestId(removeDialog, 'member-remove-confirm').textContent.trim()).toBe('Remove Grace Hopper');
      expect(focus.all).toContain(byTestId(removeDialog, 'member-remove-cancel'));
      expect(sentNamed(fetch, 'RemoveMember')).toHaveLength(0);
    });

    it('removes the member once confirmed, with a toast, and focuses the neighbouring row', async () => {
      const { table, fetch } = await mountTable({
        RemoveMember: { removeMember: { __typename: 'MemberRemoved', member: grace } },
      });
      await pick(table, 'member-remove-grace@example.com');
      const focus = recordFocus();
      byTestId(dialog(table, 'remove-dialog'), 'member-remove-confirm').click();
      await settle(table);
      await new Promise((resolve) => setTimeout(resolve, 20));

      expect(sentNamed(fetch, 'RemoveMember')[0].variables).toEqual({ memberId: grace.id });
      // The row and its ⋯ button are gone: focus goes to the neighbouring row.
      expect(focus.last()?.id).toBe('member-mem_ada');
      expect(rowEmails(table)).toEqual(['ada@example.com']);
      expect(lastToast()).toBe(
        'Removed Grace Hopper from the organization.',
      );
    });

    it('keeps the member on Cancel', async () => {
      const { table, fetch } = await mountTable();
      await pick(table, 'member-remove-grace@example.com');
      byTestId(dialog(table, 'remove-dialog'), 'member-remove-cancel').click();
      await settle(table);
      expect(dialog(table, 'remove-dialog').open).toBe(false);
      expect(rowEmails(table)).toEqual(['ada@example.com', 'grace@example.com']);
      expect(sentNamed(fetch, 'RemoveMember')).toHaveLength(0);
    });

    it('marks the confirm button busy while removing', async () => {
      const wait = deferred();
      const { table } = await mountTable({ RemoveMember: wait.answer });
      await pick(table, 'member-remove-grace@example.com');
      const removeDialog = dialog(table, 'remove-dialog');
      byTestId(removeDialog, 'member-remove-confirm').click();
      await settle(table);
      expect(byTestId(removeDialog, 'member-remove-confirm').getAttribute('aria-busy')).toBe('true');
      expect(byTestId<HTMLButtonElement>(removeDialog, 'member-remove-cancel').disabled).toBe(true);
    });

    it('passes the accessibility checks with the dialog open', async () => {
      const { table } = await mountTable();
      await pick(table, 'member-remove-grace@example.com');
      await expectAccessible(table);
    });
  });
});
