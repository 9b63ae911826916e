import { beforeEach, describe, expect, it, vi } from 'vitest';
import { installDesignSystem } from '../shared/design-system.js';
import { byTestId, expectAccessible, mount, setCsrfMeta, settle } from '../testing/fixture.js';
import { deferred, sentNamed, stubGraphQL } from '../testing/graphql-stub.js';
import { invitation, problem, roles } from '../testing/portal-data.js';
import { instantAnimations, recordFocus } from '../testing/shoelace.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import {
  INVITE_MESSAGES,
  MAX_INVITES,
  checkEmails,
  looksLikeEmail,
  parseEmails,
  problemText,
  type TnInviteMembers,
} from './tn-invite-members.js';
import './tn-invite-members.js';

beforeEach(() => {
  setCsrfMeta();
  instantAnimations();
  installDesignSystem(document);
});

const dialogOf = (form: TnInviteMembers) => form.shadowRoot!.querySelector<TnConfirmDialog>('tn-confirm-dialog')!;
const lastToast = () => [...document.querySelectorAll('[data-testid="toast"]')].at(-1)?.textContent;

async function openForm(pendingEmails: string[] = []): Promise<TnInviteMembers> {
  const opener = document.createElement('button');
  document.body.append(opener);
  const form = await mount('tn-invite-members', { organizationId: 'org_1', roles, pendingEmails });
  await form.show(opener);
  await settle(form);
  return form;
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
  byTestId(dialogOf(form), 'invite-submit').click();
  await settle(form);
}

function sent(emails: string[], problems: { email: string; code: string; message: string }[] = []) {
  return {
    inviteMembers: {
      __typename: 'InvitationsSent',
      invitations: emails.map((email) => invitation(email)),
      problems,
    },
  };
}

describe('<tn-invite-members>', () => {
  describe('the dialog', () => {
    it('opens with labelled addresses and role, Member chosen, focus in the addresses', async () => {
      const focus = recordFocus();
      const form = await openForm();
      const root = form.shadowRoot!;
      expect(dialogOf(form).open).toBe(true);
      expect(dialogOf(form).heading).toBe('Invite people');
      expect(root.querySelector('label[for="invite-emails"]')?.textContent).toBe('Email addresses');
      expect(root.querySelector('label[for="invite-role"]')?.textContent).toBe('Role');
      expect(byTestId<HTMLSelectElement>(form, 'invite-role').value).toBe('member');
      expect(focus.all).toContain(byTestId(form, 'invite-emails'));
    });

    it('passes the accessibility checks', async () => {
      const form = await openForm();
      await expectAccessible(form);
    });
  });

  describe('checking the addresses', () => {
    it('splits on commas, semicolons, spaces and new lines, once each', () => {
      expect(parseEmails('a@x.com, b@y.com;c@z.com\nd@w.com  A@x.com')).toEqual([
        'a@x.com',
        'b@y.com',
        'c@z.com',
        'd@w.com',
      ]);
    });

    it('names what is not an address, and refuses none or too many', () => {
      expect(looksLikeEmail('ada@example.com')).toBe(true);
      expect(looksLikeEmail('ada@example')).toBe(false);
      expect(checkEmails([])).toBe(INVITE_MESSAGES.missing);
      expect(checkEmails(Array.from({ length: MAX_INVITES + 1 }, (_, i) => `p${i}@x.com`))).toBe(
        INVITE_MESSAGES.tooMany,
      );
      expect(checkEmails(['ada@example.com', 'bob'])).toBe('bob is not an email address. Correct or remove it.');
      expect(checkEmails(['x', 'y@'])).toBe('These are not email addresses: x, y@. Correct or remove them.');
      expect(checkEmails(['ada@example.com'])).toBeUndefined();
    });

    it('shows the problem on the field and sends nothing', async () => {
      const fetch = stubGraphQL({});
      const form = await openForm();
      await invite(form, 'ada@example.com, not-an-address');
      expect(byTestId(form, 'invite-emails-error').textContent).toContain('not-an-address is not an email address');
      expect(byTestId(form, 'invite-emails').getAttribute('aria-invalid')).toBe('true');
      expect(dialogOf(form).open).toBe(true);
      expect(fetch).not.toHaveBeenCalled();
    });
  });

  describe('sending', () => {
    it('invites every address with the role, closes, and says so in a toast', async () => {
      const fetch = stubGraphQL({ InviteMembers: sent(['ada@example.com', 'bob@example.com']) });
      const form = await openForm();
      const told = vi.fn();
      form.addEventListener('tn-invitations-sent', told);
      await invite(form, 'ada@example.com\nbob@example.com', 'admin');

      expect(sentNamed(fetch, 'InviteMembers')[0].variables).toEqual({
        organizationId: 'org_1',
        emails: ['ada@example.com', 'bob@example.com'],
        role: 'admin',
      });
      expect(told).toHaveBeenCalledOnce();
      expect(dialogOf(form).open).toBe(false);
      expect(lastToast()).toBe('Invited 2 people: ada@example.com, bob@example.com.');
    });

    it('stays open with each address’s result in plain words, keeping only the refused ones', async () => {
      stubGraphQL({
        InviteMembers: sent(
          ['ada@example.com'],
          [
            { email: 'bob@example.com', code: 'ALREADY_MEMBER', message: 'bob@example.com is already a member or invited.' },
            { email: 'cy@example.com', code: 'ALREADY_MEMBER', message: 'cy@example.com is already a member or invited.' },
          ],
        ),
      });
      const form = await openForm(['cy@example.com']);
      await invite(form, 'ada@example.com bob@example.com cy@example.com');

      expect(dialogOf(form).open).toBe(true);
      expect(byTestId(form, 'invite-sent-ada@example.com').textContent).toContain('Invited ada@example.com');
      expect(byTestId(form, 'invite-problem-bob@example.com').textContent).toContain('bob@example.com is already a member');
      expect(byTestId(form, 'invite-problem-cy@example.com').textContent).toContain('cy@example.com is already invited');
      expect(byTestId<HTMLTextAreaElement>(form, 'invite-emails').value).toBe('bob@example.com\ncy@example.com');
      expect(byTestId(dialogOf(form), 'invite-cancel').textContent.trim()).toBe('Done');
    });

    it('words each kind of refusal plainly', () => {
      expect(problemText({ email: 'a@x.com', code: 'ALREADY_MEMBER', message: '' })).toBe('a@x.com is already a member');
      expect(problemText({ email: 'a@x', code: 'INVALID_EMAIL', message: 'Enter a valid email.' })).toBe(
        'a@x is not an email address we can send to',
      );
      expect(
        problemText({ email: 'a@x.com', code: 'INVITATION_LIMIT_REACHED', message: 'Too many open invitations.' }),
      ).toBe('a@x.com: Too many open invitations.');
    });

    it('shows a refusal of the whole request inside the dialog', async () => {
      stubGraphQL({
        InviteMembers: {
          inviteMembers: problem('RoleNotGrantable', 'You cannot grant a role you do not hold.', { missingPermissions: [] }),
        },
      });
      const form = await openForm();
      await invite(form, 'ada@example.com');
      expect(byTestId(dialogOf(form), 'error-message').textContent).toContain('You cannot grant a role you do not hold.');
      expect(dialogOf(form).open).toBe(true);
    });

    it('marks the Send button busy while sending', async () => {
      const wait = deferred();
      stubGraphQL({ InviteMembers: wait.answer });
      const form = await openForm();
      await invite(form, 'ada@example.com');
      expect(byTestId(dialogOf(form), 'invite-submit').getAttribute('aria-busy')).toBe('true');
    });
  });
});
