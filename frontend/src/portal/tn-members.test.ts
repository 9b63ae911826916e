import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  byTestId,
  expectAccessible,
  focusedIn,
  mount,
  queryTestId,
  setCsrfMeta,
  settle,
  typeInto,
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
  connection,
  grace,
  invitation,
  linus,
  member,
  membersData,
  moreMembersData,
  roles,
} from '../testing/portal-data.js';
import { installDesignSystem } from '../shared/design-system.js';
import { instantAnimations } from '../testing/shoelace.js';
import { ORGANIZATION_CHANGED_MESSAGE } from './members-api.js';
import type { TnMemberTable } from './tn-member-table.js';
import { SEARCH_DELAY_MS, type TnMembers } from './tn-members.js';
import './tn-members.js';

beforeEach(() => {
  setCsrfMeta();
  instantAnimations();
  installDesignSystem(document);
});
afterEach(() => vi.useRealTimers());

async function mountMembers(
  answers: Record<string, Answer | Answer[]> = {},
  permissions: readonly string[] = ALL_PERMISSIONS,
) {
  const fetch = stubGraphQL({ Members: membersData(), ...answers });
  const members = await mount('tn-members', {
    organizationId: 'org_1',
    viewerId: 'usr_ada',
    permissions,
  });
  await settle(members);
  return { members, fetch };
}

function table(members: TnMembers): TnMemberTable {
  return members.shadowRoot!.querySelector('tn-member-table')!;
}

function rowEmails(members: TnMembers): string[] {
  return table(members).members.map((member) => member.user.email);
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('<tn-members>', () => {
  describe('loading the members', () => {
    it('asks for the first page without filters', async () => {
      const { fetch } = await mountMembers();

      expect(sentNamed(fetch, 'Members')[0].variables).toEqual({
        after: null,
        search: null,
        role: null,
        status: null,
      });
    });

    it('says it is loading until the members arrive', async () => {
      stubGraphQL({ Members: deferred().answer });
      const members = await mount('tn-members', { organizationId: 'org_1' });

      expect(byTestId(members, 'members-loading').getAttribute('role')).toBe('status');
    });

    it('shows a skeleton of rows while loading, announced as loading', async () => {
      stubGraphQL({ Members: deferred().answer });
      const members = await mount('tn-members', { organizationId: 'org_1' });
      const loading = byTestId(members, 'members-loading');
      expect(loading.getAttribute('aria-busy')).toBe('true');
      expect(loading.textContent).toContain('Loading members…');
      expect(loading.querySelectorAll('sl-skeleton').length).toBeGreaterThan(3);
    });

    it('says how many members show', async () => {
      const { members } = await mountMembers();
      expect(byTestId(members, 'members-summary').textContent).toBe('2 members.');
    });

    it('says what to do next when no one else is here', async () => {
      const { members } = await mountMembers({ Members: membersData({ members: [] }) });
      expect(byTestId(members, 'members-empty').textContent).toContain(
        'No one else is here yet. Invite the people you work with.',
      );
      expect(members.shadowRoot!.querySelector('tn-member-table')).toBeNull();
    });

    it('says when nothing matches the search, and clears it', async () => {
      const { members, fetch } = await mountMembers({
        Members: [membersData(), membersData({ members: [] }), membersData()],
      });
      const search = byTestId<HTMLInputElement>(members, 'member-search');
      typeInto(search, 'zed');
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await settle(members);
      expect(byTestId(members, 'members-empty').textContent).toContain('No members match “zed”.');

      byTestId(members, 'members-clear-filters').click();
      await settle(members);
      expect(search.value).toBe('');
      expect(sentNamed(fetch, 'Members').at(-1)?.variables).toMatchObject({ search: null });
      expect(rowEmails(members)).toEqual(['ada@example.com', 'grace@example.com']);
    });

    it('lists an invitee once, under Pending invitations, not in the table', async () => {
      const { members } = await mountMembers({
        Members: membersData({ members: [adaMember, grace, linus] }),
      });
      expect(rowEmails(members)).toEqual(['ada@example.com', 'grace@example.com']);
      const list = members.shadowRoot!.querySelector('tn-invitation-list')!;
      expect(list.invitations.map((invited) => invited.email)).toEqual(['linus@example.com']);
      const statuses = [...byTestId<HTMLSelectElement>(members, 'member-status-filter').options].map(
        (option) => option.value,
      );
      expect(statuses).toEqual(['', 'ACTIVE', 'SUSPENDED']);
    });

    it('shows a failed load and can try again', async () => {
      const { members } = await mountMembers({
        Members: [graphqlError('BAD_REQUEST', 'Try later.'), membersData()],
      });
      expect(byTestId(members, 'error-message').textContent).toContain('Try later.');

      members.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
      await settle(members);
      expect(rowEmails(members)).toEqual(['ada@example.com', 'grace@example.com']);
    });

    it('refuses to show another organization than the one the portal shows', async () => {
      const { members } = await mountMembers({ Members: membersData({}, 'org_2') });

      expect(byTestId(members, 'error-message').textContent).toContain(
        ORGANIZATION_CHANGED_MESSAGE,
      );
    });

    it('passes the accessibility checks', async () => {
      const { members } = await mountMembers({
        Members: membersData({ members: [adaMember, grace, linus] }),
      });
      await expectAccessible(members);
    });
  });

  describe('what the viewer may do', () => {
    it('hands the table the members, roles, viewer and permissions', async () => {
      const { members } = await mountMembers();

      expect(table(members)).toMatchObject({
        viewerId: 'usr_ada',
        permissions: ALL_PERMISSIONS,
        roles,
      });
      expect(rowEmails(members)).toEqual(['ada@example.com', 'grace@example.com']);
    });

    it('opens the Invite dialog from the Invite button at the top', async () => {
      const { members } = await mountMembers();
      const button = byTestId(members, 'invite-open');
      expect(button.className).toContain('primary');
      expect(button.textContent.trim()).toBe('Invite');
      const invite = members.shadowRoot!.querySelector('tn-invite-members')!;
      const shown = vi.spyOn(invite, 'show').mockResolvedValue();
      button.click();
      expect(shown).toHaveBeenCalledWith(button);
    });

    it('shows no Invite button to someone who may only read', async () => {
      const { members } = await mountMembers({}, ['sk_org_users_read']);

      expect(queryTestId(members, 'invite-open')).toBeNull();
      expect(members.shadowRoot!.querySelector('tn-invite-members')).toBeNull();
      expect(members.shadowRoot!.querySelector('tn-invitation-list')!.canManage).toBe(false);
    });

    it('shows only the invite form to someone who may invite but not read the members', async () => {
      const { members, fetch } = await mountMembers(
        { Roles: { roles } },
        ['sk_org_users_invite'],
      );

      expect(sentNamed(fetch, 'Members')).toHaveLength(0);
      expect(sentNamed(fetch, 'Roles')).toHaveLength(1);
      expect(members.shadowRoot!.querySelector('tn-invite-members')?.roles).toEqual(roles);
      expect(byTestId(members, 'members-invite-only').textContent).toContain('You can invite people');
      expect(members.shadowRoot!.querySelector('tn-member-table')).toBeNull();
      expect(members.shadowRoot!.querySelector('tn-invitation-list')).toBeNull();
      await expectAccessible(members);
    });

    it('shows the invite form and the invitations to someone who may invite', async () => {
      const { members } = await mountMembers();
      const list = members.shadowRoot!.querySelector('tn-invitation-list')!;

      expect(members.shadowRoot!.querySelector('tn-invite-members')!.roles).toEqual(roles);
      expect(list.canManage).toBe(true);
      expect(list.invitations).toEqual([invitation('linus@example.com')]);
    });
    it('offers in the invite form only the roles whose every permission the viewer holds', async () => {
      const scoped = [
        { key: 'admin', name: 'Admin', permissions: ['sk_org_users_invite', 'sk_org_settings_manage'] },
        { key: 'member', name: 'Member', permissions: ['sk_org_users_read'] },
      ];
      const { members } = await mountMembers({ Members: membersData({ roles: scoped }) }, [
        'sk_org_users_read',
        'sk_org_users_invite',
      ]);
      const list = members.shadowRoot!.querySelector('tn-invitation-list')!;

      expect(members.shadowRoot!.querySelector('tn-invite-members')!.roles.map((r) => r.key)).toEqual([
        'member',
      ]);
      expect(list.roles).toEqual(scoped);
      expect(list.permissions).toEqual(['sk_org_users_read', 'sk_org_users_invite']);
    });
  });

  describe('keeping the list current', () => {
    it("applies the table's role changes and removals", async () => {
      const { members } = await mountMembers();
      table(members).dispatchEvent(
        new CustomEvent('tn-member-updated', {
          detail: { ...grace, role: 'admin' },
          bubbles: true,
          composed: true,
        }),
      );
      await settle(members);
      expect(table(members).members[1].role).toBe('admin');

      table(members).dispatchEvent(
        new CustomEvent('tn-member-removed', { detail: grace, bubbles: true, composed: true }),
      );
      await settle(members);
      expect(rowEmails(members)).toEqual(['ada@example.com']);
    });
  });

  describe('searching and filtering', () => {
    it('searches once typing pauses, not on every key', async () => {
      const { members, fetch } = await mountMembers();
      const search = byTestId<HTMLInputElement>(members, 'member-search');
      expect(members.shadowRoot!.querySelector(`label[for="${search.id}"]`)?.textContent).toBe(
        'Search members',
      );

      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      typeInto(search, 'g');
      typeInto(search, 'gr');
      typeInto(search, ' gra ');
      vi.advanceTimersByTime(SEARCH_DELAY_MS - 1);
      expect(sentNamed(fetch, 'Members')).toHaveLength(1);
      vi.advanceTimersByTime(1);
      vi.useRealTimers();
      await settle(members);

      const searches = sentNamed(fetch, 'Members');
      expect(searches).toHaveLength(2);
      expect(searches[1].variables).toMatchObject({ search: 'gra', after: null });
    });

    it('searches at once on Enter', async () => {
      const { members, fetch } = await mountMembers();
      const search = byTestId<HTMLInputElement>(members, 'member-search');
      typeInto(search, 'grace');
      search.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
      );
      await settle(members);

      expect(sentNamed(fetch, 'Members')[1].variables).toMatchObject({ search: 'grace' });
    });

    it('filters by role and status', async () => {
      const { members, fetch } = await mountMembers();
      choose(byTestId(members, 'member-role-filter'), 'admin');
      await settle(members);
      choose(byTestId(members, 'member-status-filter'), 'SUSPENDED');
      await settle(members);

      expect(sentNamed(fetch, 'Members').map((sent) => sent.variables)).toEqual([
        { after: null, search: null, role: null, status: null },
        { after: null, search: null, role: 'admin', status: null },
        { after: null, search: null, role: 'admin', status: 'SUSPENDED' },
      ]);
    });
  });

  describe('loading more', () => {
    it('loads the next page with the same filters, and moves focus to the first new member', async () => {
      const hedy = member('Hedy Lamarr');
      const { members, fetch } = await mountMembers({
        Members: membersData({ members: [adaMember, grace], hasNextPage: true, totalCount: 3 }),
        MoreMembers: moreMembersData([hedy], false, 'org_1', 3),
      });
      choose(byTestId(members, 'member-status-filter'), 'ACTIVE');
      await settle(members);
      expect(byTestId(members, 'members-summary').textContent).toBe('Showing 2 of 3 members.');
      byTestId(members, 'members-more').click();
      await settle(members);
      expect(byTestId(members, 'members-summary').textContent).toBe('3 members match.');

      expect(sentNamed(fetch, 'MoreMembers')[0].variables).toEqual({
        after: grace.id,
        search: null,
        role: null,
        status: 'ACTIVE',
      });
      expect(rowEmails(members)).toEqual([
        'ada@example.com',
        'grace@example.com',
        'hedy@example.com',
      ]);
      expect(focusedIn(table(members))).toBe(
        byTestId(table(members), 'member-row-hedy@example.com').querySelector('th'),
      );
      expect(queryTestId(members, 'members-more')).toBeNull();
    });

    it('offers no Load more on the last page', async () => {
      const { members } = await mountMembers();

      expect(queryTestId(members, 'members-more')).toBeNull();
    });
  });

  describe('invitations', () => {
    it('reads the members again after invitations are sent', async () => {
      const { members, fetch } = await mountMembers();
      members
        .shadowRoot!.querySelector('tn-invite-members')!
        .dispatchEvent(
          new CustomEvent('tn-invitations-sent', {
            detail: { invitations: [], problems: [] },
            bubbles: true,
          }),
        );
      await settle(members);

      expect(sentNamed(fetch, 'Members')).toHaveLength(2);
    });

    it('reads the members again after an invitation is revoked, which removes the invited member', async () => {
      const { members, fetch } = await mountMembers({
        Members: [
          membersData({ members: [adaMember, linus] }),
          membersData({ members: [adaMember], invitations: [] }),
        ],
      });
      const list = members.shadowRoot!.querySelector('tn-invitation-list')!;
      list.dispatchEvent(
        new CustomEvent('tn-invitation-changed', {
          detail: invitation('linus@example.com', { status: 'REVOKED' }),
          bubbles: true,
        }),
      );
      await settle(members);

      expect(sentNamed(fetch, 'Members')).toHaveLength(2);
      expect(rowEmails(members)).toEqual(['ada@example.com']);
      expect(list.invitations).toEqual([]);
    });

    it('lists every open invitation, following the pages past the first', async () => {
      const first = invitation('a@example.com');
      const second = invitation('b@example.com');
      const third = invitation('c@example.com');
      const data = membersData();
      data.viewer.organization.invitations = connection([first], first.id);
      const more = (after: string | null) =>
        after === first.id
          ? connection([second], second.id)
          : after === second.id
            ? connection([third])
            : connection([]);
      const { members, fetch } = await mountMembers({
        Members: data,
        MoreInvitations: (variables) => ({
          viewer: {
            organization: { id: 'org_1', invitations: more(variables.after as string | null) },
          },
        }),
      });
      const list = members.shadowRoot!.querySelector('tn-invitation-list')!;

      expect(list.invitations.map((shown) => shown.email)).toEqual([
        'a@example.com',
        'b@example.com',
        'c@example.com',
      ]);
      expect(sentNamed(fetch, 'MoreInvitations').map((sent) => sent.variables.after)).toEqual([
        first.id,
        second.id,
      ]);
    });
  });
});
