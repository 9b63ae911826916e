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
import { deferred, graphqlError, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { invitation, roles } from '../testing/portal-data.js';
import type { Invitation } from './members-api.js';
import type { TnInvitationList } from './tn-invitation-list.js';
import './tn-invitation-list.js';

const pending = invitation('linus@example.com', { role: 'admin' });
const lapsed = invitation('marie@example.com', {
  status: 'EXPIRED',
  expiresAt: '2020-01-01T00:00:00+00:00',
});
const accepted = invitation('rosalind@example.com', { status: 'ACCEPTED' });
const revoked = invitation('alan@example.com', { status: 'REVOKED' });

beforeEach(() => setCsrfMeta());

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

describe('<tn-invitation-list>', () => {
  describe('listing', () => {
    it('lists the invitations still open: pending and expired', async () => {
      const list = await mountList();

      expect(rows(list)).toEqual(['linus@example.com', 'marie@example.com']);
    });

    it("shows each invitation's role by name and when it expires", async () => {
      const list = await mountList();

      expect(byTestId(list, 'invitation-row-linus@example.com').textContent).toContain('Admin');
      expect(
        byTestId(list, 'invitation-row-linus@example.com')
          .querySelector('time')
          ?.getAttribute('datetime'),
      ).toBe(pending.expiresAt);
      expect(byTestId(list, 'invitation-row-marie@example.com').textContent).toContain('Expired');
    });

    it('offers no Resend or Revoke on an invitation whose role holds permissions the viewer lacks', async () => {
      const scoped = [
        { key: 'admin', name: 'Admin', permissions: ['sk_org_users_invite', 'sk_org_settings_manage'] },
        { key: 'member', name: 'Member', permissions: ['sk_org_users_read'] },
      ];
      const list = await mountList(true, [pending, lapsed], {
        roles: scoped,
        permissions: ['sk_org_users_read', 'sk_org_users_invite'],
      });

      expect(queryTestId(list, 'invitation-revoke-linus@example.com')).toBeNull();
      expect(queryTestId(list, 'invitation-resend-linus@example.com')).toBeNull();
      expect(byTestId(list, 'invitation-row-linus@example.com').textContent).toContain('Admin');
      expect(queryTestId(list, 'invitation-revoke-marie@example.com')).not.toBeNull();
      expect(queryTestId(list, 'invitation-resend-marie@example.com')).not.toBeNull();
    });

    it('says when there is no open invitation', async () => {
      const list = await mountList(true, [accepted]);

      expect(byTestId(list, 'invitations-empty').textContent).toBe('No pending invitations.');
    });

    it('offers Resend and Revoke only to those who may invite', async () => {
      const viewerOnly = await mountList(false);
      expect(queryTestId(viewerOnly, 'invitation-resend-linus@example.com')).toBeNull();
      expect(queryTestId(viewerOnly, 'invitation-revoke-linus@example.com')).toBeNull();
      viewerOnly.remove();

      const inviter = await mountList(true);
      expect(byTestId(inviter, 'invitation-resend-linus@example.com').textContent).toContain(
        'Resend the invitation to linus@example.com',
      );
      expect(byTestId(inviter, 'invitation-revoke-linus@example.com')).toBeTruthy();
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountList());
    });
  });

  describe('acting on an invitation', () => {
    it('resends, tells the member list, and says so in a focused status', async () => {
      const renewed = { ...pending, expiresAt: '2099-12-08T12:00:00+00:00' };
      const fetch = stubGraphQL({
        ResendInvitation: { resendInvitation: { __typename: 'Invitation', ...renewed } },
      });
      const list = await mountList();
      let detail: unknown;
      list.addEventListener('tn-invitation-changed', (event) => (detail = event.detail));
      byTestId(list, 'invitation-resend-linus@example.com').click();
      await settle(list);

      expect(sentNamed(fetch, 'ResendInvitation')[0].variables).toEqual({
        invitationId: pending.id,
      });
      expect(detail).toEqual(renewed);
      const status = byTestId(list, 'invitations-status');
      expect(status.textContent).toContain('Sent a new invitation to linus@example.com.');
      expect(status.parentElement?.getAttribute('role')).toBe('status');
      expect(focusedIn(list)).toBe(status);
    });

    it('revokes and tells the member list', async () => {
      const fetch = stubGraphQL({
        RevokeInvitation: {
          revokeInvitation: { __typename: 'Invitation', ...pending, status: 'REVOKED' },
        },
      });
      const list = await mountList();
      let detail: Invitation | undefined;
      list.addEventListener('tn-invitation-changed', (event) => (detail = event.detail));
      byTestId(list, 'invitation-revoke-linus@example.com').click();
      await settle(list);

      expect(sentNamed(fetch, 'RevokeInvitation')[0].variables).toEqual({
        invitationId: pending.id,
      });
      expect(detail?.status).toBe('REVOKED');
      expect(byTestId(list, 'invitations-status').textContent).toContain(
        'Revoked the invitation to linus@example.com.',
      );
    });

    it('explains a refusal for an invitation whose role outranks the viewer', async () => {
      stubGraphQL({
        RevokeInvitation: {
          revokeInvitation: {
            __typename: 'RoleOutranksYou',
            code: 'ROLE_OUTRANKS_YOU',
            message: 'Their role has permissions you do not have, so you cannot change or remove it.',
            missingPermissions: ['billing:manage'],
          },
        },
      });
      const list = await mountList();
      byTestId(list, 'invitation-revoke-linus@example.com').click();
      await settle(list);

      expect(byTestId(list, 'error-message').textContent).toContain(
        'Their role has permissions you do not have',
      );
    });

    it('says why an invitation that was already accepted cannot be revoked', async () => {
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
      byTestId(list, 'invitation-revoke-linus@example.com').click();
      await settle(list);

      const alert = byTestId(list, 'error-message');
      expect(alert.textContent).toContain(message);
      expect(focusedIn(list)).toBe(alert);
      expect(changed).toBe(false);
    });

    it('says when an invitation was resent as often as a day allows', async () => {
      const message =
        'The invitation to linus@example.com was already sent again 5 times today: the last link still works; try again tomorrow.';
      stubGraphQL({
        ResendInvitation: {
          resendInvitation: {
            __typename: 'ResendLimitReached',
            code: 'RESEND_LIMIT_REACHED',
            message,
            limit: 5,
          },
        },
      });
      const list = await mountList();
      let changed = false;
      list.addEventListener('tn-invitation-changed', () => (changed = true));
      byTestId(list, 'invitation-resend-linus@example.com').click();
      await settle(list);

      const alert = byTestId(list, 'error-message');
      expect(alert.textContent).toContain(message);
      expect(focusedIn(list)).toBe(alert);
      expect(changed).toBe(false);
    });

    it('shows a failure in a focused alert', async () => {
      stubGraphQL({ RevokeInvitation: graphqlError('NOT_FOUND', 'No such invitation.') });
      const list = await mountList();
      byTestId(list, 'invitation-revoke-linus@example.com').click();
      await settle(list);

      const alert = byTestId(list, 'error-message');
      expect(alert.textContent).toContain('No such invitation.');
      expect(focusedIn(list)).toBe(alert);
    });

    it('disables the buttons and marks the one acting busy', async () => {
      const wait = deferred();
      stubGraphQL({ ResendInvitation: wait.answer });
      const list = await mountList();
      byTestId(list, 'invitation-resend-linus@example.com').click();
      await list.updateComplete;

      expect(byTestId(list, 'invitation-resend-linus@example.com').getAttribute('aria-busy')).toBe(
        'true',
      );
      expect(
        byTestId<HTMLButtonElement>(list, 'invitation-revoke-marie@example.com').disabled,
      ).toBe(true);
      wait.resolve(graphqlError('BAD_REQUEST', 'No.'));
      await settle(list);
      expect(
        byTestId<HTMLButtonElement>(list, 'invitation-revoke-marie@example.com').disabled,
      ).toBe(false);
    });
  });
});
