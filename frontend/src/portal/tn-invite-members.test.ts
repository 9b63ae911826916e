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
import { deferred, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { invitation, problem, roles } from '../testing/portal-data.js';
import {
  INVITE_MESSAGES,
  MAX_INVITES,
  parseEmails,
  type TnInviteMembers,
} from './tn-invite-members.js';
import './tn-invite-members.js';

beforeEach(() => setCsrfMeta());

function mountForm(): Promise<TnInviteMembers> {
  return mount('tn-invite-members', { organizationId: 'org_1', roles });
}

async function invite(form: TnInviteMembers, emails: string, role?: string): Promise<void> {
  const textarea = byTestId<HTMLTextAreaElement>(form, 'invite-emails');
  textarea.value = emails;
  textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  if (role) {
    const select = byTestId<HTMLSelectElement>(form, 'invite-role');
    select.value = role;
    select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
  byTestId(form, 'invite-submit').click();
  await settle(form);
}

function sent(emails: string[]) {
  return {
    inviteMembers: {
      __typename: 'InvitationsSent',
      invitations: emails.map((email) => invitation(email)),
      problems: [],
    },
  };
}

describe('<tn-invite-members>', () => {
  describe('the form', () => {
    it('labels the addresses and the role, and starts with the Member role', async () => {
      const form = await mountForm();
      const root = form.shadowRoot!;

      expect(root.querySelector('label[for="invite-emails"]')?.textContent).toBe('Email addresses');
      expect(root.querySelector('label[for="invite-role"]')?.textContent).toBe('Role');
      expect(byTestId<HTMLSelectElement>(form, 'invite-role').value).toBe('member');
      expect(
        [...byTestId<HTMLSelectElement>(form, 'invite-role').options].map((o) => o.text),
      ).toEqual(['Admin', 'Member']);
    });

    it('passes the accessibility checks', async () => {
      await expectAccessible(await mountForm());
    });
  });

  describe('inviting', () => {
    it('sends every address, split on commas, spaces and new lines, with the chosen role', async () => {
      const fetch = stubGraphQL({
        InviteMembers: sent(['a@example.com', 'b@example.com', 'c@example.com']),
      });
      const form = await mountForm();
      await invite(form, 'a@example.com, b@example.com\nc@example.com  A@example.com', 'admin');

      expect(sentNamed(fetch, 'InviteMembers')[0].variables).toEqual({
        organizationId: 'org_1',
        emails: ['a@example.com', 'b@example.com', 'c@example.com'],
        role: 'admin',
      });
    });

    it('says who was invited in a focused status and tells the member list', async () => {
      stubGraphQL({ InviteMembers: sent(['a@example.com', 'b@example.com']) });
      const form = await mountForm();
      let detail: unknown;
      form.addEventListener('tn-invitations-sent', (event) => (detail = event.detail));
      await invite(form, 'a@example.com b@example.com');

      const result = byTestId(form, 'invite-result');
      expect(result.getAttribute('role')).toBe('status');
      expect(result.textContent).toContain('2 invitations sent: a@example.com, b@example.com.');
      expect(focusedIn(form)).toBe(result);
      expect(byTestId<HTMLTextAreaElement>(form, 'invite-emails').value).toBe('');
      expect(detail).toMatchObject({
        invitations: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
      });
    });

    it('lists the addresses the server refused in a focused alert, and keeps them to correct', async () => {
      stubGraphQL({
        InviteMembers: {
          inviteMembers: {
            __typename: 'InvitationsSent',
            invitations: [invitation('a@example.com')],
            problems: [
              {
                email: 'grace@example.com',
                code: 'ALREADY_MEMBER',
                message: 'grace@example.com is already a member or invited.',
              },
              { email: 'nope', code: 'INVALID_EMAIL', message: 'That email address is not valid.' },
            ],
          },
        },
      });
      const form = await mountForm();
      await invite(form, 'a@example.com grace@example.com nope');

      const problems = byTestId(form, 'invite-problems');
      expect(problems.getAttribute('role')).toBe('alert');
      expect(byTestId(form, 'invite-problem-grace@example.com').textContent?.trim()).toBe(
        'grace@example.com is already a member or invited.',
      );
      expect(byTestId(form, 'invite-problem-nope').textContent?.trim()).toBe(
        'nope: That email address is not valid.',
      );
      expect(focusedIn(form)).toBe(problems);
      expect(byTestId(form, 'invite-result').textContent).toContain(
        'Invitation sent to a@example.com.',
      );
      expect(byTestId<HTMLTextAreaElement>(form, 'invite-emails').value).toBe(
        'grace@example.com\nnope',
      );
    });

    it('shows a RoleNotGrantable problem in a focused alert', async () => {
      stubGraphQL({
        InviteMembers: {
          inviteMembers: problem(
            'RoleNotGrantable',
            'You cannot grant a role with permissions you do not have yourself.',
            {
              missingPermissions: ['sk_org_sso_manage'],
            },
          ),
        },
      });
      const form = await mountForm();
      await invite(form, 'a@example.com', 'admin');

      const alert = byTestId(form, 'error-message');
      expect(alert.textContent).toContain('You cannot grant a role');
      expect(focusedIn(form)).toBe(alert);
      expect(queryTestId(form, 'invite-result')).toBeNull();
    });

    it.each([
      ['', INVITE_MESSAGES.missing],
      [
        Array.from({ length: MAX_INVITES + 1 }, (_, i) => `p${i}@example.com`).join(' '),
        INVITE_MESSAGES.tooMany,
      ],
    ])('checks the number of addresses before calling the server', async (emails, message) => {
      const fetch = stubGraphQL({});
      const form = await mountForm();
      await invite(form, emails);

      expect(byTestId(form, 'invite-emails-error').textContent?.trim()).toBe(message);
      expect(byTestId(form, 'invite-emails').getAttribute('aria-invalid')).toBe('true');
      expect(focusedIn(form)).toBe(byTestId(form, 'invite-emails'));
      expect(fetch).not.toHaveBeenCalled();
    });

    it('disables Send and marks it busy while inviting', async () => {
      const pending = deferred();
      stubGraphQL({ InviteMembers: pending.answer });
      const form = await mountForm();
      const textarea = byTestId<HTMLTextAreaElement>(form, 'invite-emails');
      textarea.value = 'a@example.com';
      textarea.dispatchEvent(new Event('input'));
      byTestId(form, 'invite-submit').click();
      await form.updateComplete;

      expect(byTestId<HTMLButtonElement>(form, 'invite-submit').disabled).toBe(true);
      expect(byTestId(form, 'invite-submit').getAttribute('aria-busy')).toBe('true');
      pending.resolve(new Response(JSON.stringify({ data: sent(['a@example.com']) })));
      await settle(form);
      expect(byTestId<HTMLButtonElement>(form, 'invite-submit').disabled).toBe(false);
    });
  });
});

describe('parseEmails', () => {
  it('splits on commas, semicolons and white space, dropping repeats whatever their case', () => {
    expect(parseEmails(' a@x.com,b@x.com;\n\tc@x.com  A@X.com,, ')).toEqual([
      'a@x.com',
      'b@x.com',
      'c@x.com',
    ]);
  });
});
