import { beforeEach, describe, expect, it } from 'vitest';
import { installDesignSystem } from '../shared/design-system.js';
import { byTestId, expectAccessible, mount, queryTestId, setCsrfMeta, settle } from '../testing/fixture.js';
import { graphqlError, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { invitation, roles } from '../testing/portal-data.js';
import { instantAnimations, recordFocus } from '../testing/shoelace.js';
import type { Invitation } from './members-api.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import type { TnInvitationList } from './tn-invitation-list.js';
import './tn-invitation-list.js';

const pending = invitation('linus@example.com', { role: 'admin' });
const lapsed = invitation('marie@example.com', {
  status: 'EXPIRED',
  expiresAt: '2020-01-01T00:00:00+00:00',
});
const accepted = invitation('rosalind@example.com', { status: 'ACCEPTED' });
const revoked = invitation('alan@example.com', { status: 'REVOKED' });

beforeEach(() => {
  setCsrfMeta();
  instantAnimations();
  installDesignSystem(document);
});

function mountList(
  canManage = true,
  invitations: Invitation[] = [pending, lapsed, accepted, revoked],
  extra: Record<string, unknown> = {},
) {
  return mount('tn-invitation-list', { invitations, roles, canManage, ...extra });
}

function rows(list: TnInvitationList): string[] {
  return [...list.shadowRoot!.querySelectorAll('[data-testid^="invitation-row-"]')].map((row) =>
    row.getAttribute('data-testid')!.replace('invitation-row-', ''),
  );
}

const revokeDialog = (list: TnInvitationList) => list.shadowRoot!.querySelector<TnConfirmDialog>('tn-confirm-dialog')!;
const lastToast = () => [...document.querySelectorAll('[data-testid="toast"]')].at(-1)?.textContent;

/** Picks an item of a row's ⋯ menu, as Shoelace's menu reports it. */
async function pick(list: TnInvitationList, testId: string): Promise<void> {
  const item = byTestId(list, testId);
  item.closest('sl-menu')!.dispatchEvent(
    new CustomEvent('sl-select', { detail: { item }, bubbles: true, composed: true }),
  );
  await settle(list);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await settle(list);
}

/** Revoke… in the menu, then the dialog's confirm. */
async function revoke(list: TnInvitationList, email: string): Promise<void> {
  await pick(list, `invitation-revoke-${email}`);
  byTestId(revokeDialog(list), 'invitation-revoke-confirm').click();
  await settle(list);
}

describe('<tn-invitation-list>', () => {
  describe('listing', () => {
    it('lists the invitations still open, pending and expired, and counts them', async () => {
      const list = await mountList();
      expect(rows(list)).toEqual(['linus@example.com', 'marie@example.com']);
      expect(list.shadowRoot!.querySelector('h2')?.textContent.replace(/\s+/g, ' ').trim()).toBe(
        'Pending invitations 2',
      );
    });

    it("shows each invitation's role by name and when it expires, the exact time on hover", async () => {
      const list = await mountList();
      const row = byTestId(list, 'invitation-row-linus@example.com');
      expect(row.textContent).toContain('Admin');
      const time = row.querySelector('sl-relative-time')!;
      expect((time as unknown as { date: Date }).date.toISOString()).toBe('2099-12-01T12:00:00.000Z');
      expect(time.getAttribute('title')).toMatch(/2099/);
      expect(byTestId(list, 'invitation-row-marie@example.com').textContent).toContain('Expired');
      expect(row.querySelector('.email')?.getAttribute('title')).toBe('linus@example.com');
    });

    it('offers no menu on an invitation whose role holds permissions the viewer lacks', async () => {
      const scoped = [
        { key: 'admin', name: 'Admin', permissions: ['sk_org_users_invite', 'sk_org_settings_manage'] },
        { key: 'member', name: 'Member', permissions: ['sk_org_users_read'] },
      ];
      const list = await mountList(true, [pending, lapsed], {
        roles: scoped,
        permissions: ['sk_org_users_read', 'sk_org_users_invite'],
      });
      expect(queryTestId(list, 'invitation-actions-linus@example.com')).toBeNull();
      expect(queryTestId(list, 'invitation-revoke-marie@example.com')).not.toBeNull();
      expect(queryTestId(list, 'invitation-resend-marie@example.com')).not.toBeNull();
    });

    it('shows nothing when there is no open invitation', async () => {
      const list = await mountList(true, [accepted]);
      expect(list.shadowRoot!.querySelector('section')).toBeNull();
    });

    it('offers the ⋯ menu, named after the address, only to those who may invite', async () => {
      const viewerOnly = await mountList(false);
      expect(queryTestId(viewerOnly, 'invitation-actions-linus@example.com')).toBeNull();
      viewerOnly.remove();

      const inviter = await mountList(true);
      expect(byTestId(inviter, 'invitation-actions-linus@example.com').getAttribute('label')).toBe(
        'Actions for linus@example.com',
      );
      expect(byTestId(inviter, 'invitation-resend-linus@example.com').textContent).toContain('Resend invitation');
      expect(byTestId(inviter, 'invitation-revoke-linus@example.com').textContent).toContain('Revoke invitation…');
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountList());
    });
  });

  describe('acting on an invitation', () => {
    it('resends at once, tells the member list, and says so in a toast', async () => {
      const renewed = { ...pending, expiresAt: '2099-12-08T12:00:00+00:00' };
      const fetch = stubGraphQL({
        ResendInvitation: { resendInvitation: { __typename: 'Invitation', ...renewed } },
      });
      const list = await mountList();
      let detail: unknown;
      list.addEventListener('tn-invitation-changed', (event) => (detail = event.detail));
      await pick(list, 'invitation-resend-linus@example.com');

      expect(sentNamed(fetch, 'ResendInvitation')[0].variables).toEqual({ invitationId: pending.id });
      expect(detail).toEqual(renewed);
      expect(lastToast()).toContain('Sent a new invitation to linus@example.com.');
    });

    it('asks before revoking, naming the address, with Cancel focused', async () => {
      const fetch = stubGraphQL({});
      const list = await mountList();
      const focus = recordFocus();
      await pick(list, 'invitation-revoke-linus@example.com');
      const dialog = revokeDialog(list);
      expect(dialog.open).toBe(true);
      expect(dialog.heading).toBe('Revoke the invitation to linus@example.com?');
      expect(dialog.variant).toBe('danger');
      expect(focus.all).toContain(byTestId(dialog, 'invitation-revoke-cancel'));
      expect(fetch).not.toHaveBeenCalled();
      await expectAccessible(list);
    });

    it('revokes once confirmed and tells the member list', async () => {
      const fetch = stubGraphQL({
        RevokeInvitation: {
          revokeInvitation: { __typename: 'Invitation', ...pending, status: 'REVOKED' },
        },
      });
      const list = await mountList();
      let detail: Invitation | undefined;
      list.addEventListener('tn-invitation-changed', (event) => (detail = event.detail));
      await revoke(list, 'linus@example.com');

      expect(sentNamed(fetch, 'RevokeInvitation')[0].variables).toEqual({ invitationId: pending.id });
      expect(detail?.status).toBe('REVOKED');
      expect(revokeDialog(list).open).toBe(false);
      expect(lastToast()).toBe('Revoked the invitation to linus@example.com.');
    });

    it('says in the dialog why an invitation that was already accepted cannot be revoked', async () => {
      const message =
        'linus@example.com already accepted this invitation and is a member: remove the member instead.';
      stubGraphQL({
        RevokeInvitation: {
          revokeInvitation: {
            __typename: 'InvitationNotPending',
            code: 'INVITATION_NOT_PENDING',
            message,
            status: 'ACCEPTED',
          },
        },
      });
      const list = await mountList();
      let changed = false;
      list.addEventListener('tn-invitation-changed', () => (changed = true));
      await revoke(list, 'linus@example.com');

      expect(byTestId(revokeDialog(list), 'error-message').textContent).toContain(message);
      expect(revokeDialog(list).open).toBe(true);
      expect(changed).toBe(false);
    });

    it('says when an invitation was resent as often as a day allows, in a focused alert', async () => {
      const message =
        'The invitation to linus@example.com was already sent again 5 times today: the last link still works; try again tomorrow.';
      stubGraphQL({
        ResendInvitation: {
          resendInvitation: { __typename: 'ResendLimitReached', code: 'RESEND_LIMIT_REACHED', message, limit: 5 },
        },
      });
      const list = await mountList();
      const focus = recordFocus();
      let changed = false;
      list.addEventListener('tn-invitation-changed', () => (changed = true));
      await pick(list, 'invitation-resend-linus@example.com');

      const alert = byTestId(list, 'error-message');
      expect(alert.textContent).toContain(message);
      expect(focus.last()).toBe(alert);
      expect(changed).toBe(false);
    });

    it('shows a failed resend in a focused alert', async () => {
      stubGraphQL({ ResendInvitation: graphqlError('NOT_FOUND', 'No such invitation.') });
      const list = await mountList();
      await pick(list, 'invitation-resend-linus@example.com');
      expect(byTestId(list, 'error-message').textContent).toContain('No such invitation.');
    });
  });
});
