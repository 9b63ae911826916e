import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { toast } from '../shared/toast.js';
import { MembersApi, type InvitationsSent, type InviteProblem, type Role } from './members-api.js';
import { portalStyles } from './portal-styles.js';
import './tn-confirm-dialog.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';

/** The server's limit per request. */
export const MAX_INVITES = 50;

export const INVITE_MESSAGES = {
  missing: 'Enter at least one email address.',
  tooMany: `Invite at most ${MAX_INVITES} addresses at a time.`,
} as const;

/** The addresses in what was typed or pasted: split on commas, semicolons, spaces and new lines. */
export function parseEmails(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .filter((email) => {
      const key = email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Something that looks like an address: a name, one @, and a domain with a dot. The server checks again. */
export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(text);
}

/** What went wrong with the addresses before anything is sent, or undefined. */
export function checkEmails(emails: readonly string[]): string | undefined {
  if (emails.length === 0) return INVITE_MESSAGES.missing;
  if (emails.length > MAX_INVITES) return INVITE_MESSAGES.tooMany;
  const wrong = emails.filter((email) => !looksLikeEmail(email));
  if (wrong.length === 1) return `${wrong[0]} is not an email address. Correct or remove it.`;
  if (wrong.length > 1) return `These are not email addresses: ${wrong.join(', ')}. Correct or remove them.`;
  return undefined;
}

/** One line per refused address, in plain words. */
export function problemText(problem: InviteProblem, pendingEmails: ReadonlySet<string> = new Set()): string {
  const { email } = problem;
  switch (problem.code) {
    case 'ALREADY_MEMBER':
      return pendingEmails.has(email.toLowerCase())
        ? `${email} is already invited`
        : `${email} is already a member`;
    case 'INVALID_EMAIL':
      return `${email} is not an email address we can send to`;
    default:
      return problem.message.includes(email) ? problem.message : `${email}: ${problem.message}`;
  }
}

/** The role an invitation starts with: Member when the environment has it. */
function defaultRole(roles: readonly Role[]): string {
  return roles.find((role) => role.key === 'member')?.key ?? roles[0]?.key ?? '';
}

/**
 * @summary The Invite dialog: several addresses (commas, spaces or new lines), one role, and what
 * happened to each address in plain words. When every address is invited the dialog closes with a
 * toast; otherwise it stays, listing each result and keeping only the refused addresses to correct.
 *
 * @event tn-invitations-sent - At least one invitation was sent. `detail` is `{invitations, problems}`.
 *
 * @cssproperty --tn-primary - The Send button and focus ring.
 * @cssproperty --tn-danger - Refused addresses.
 */
@customElement('tn-invite-members')
export class TnInviteMembers extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: contents;
      }
      .field {
        margin-block-end: 1rem;
      }
      .results {
        display: grid;
        gap: 0.25rem;
        margin: 0;
        padding: 0.75rem;
        list-style: none;
        border: 1px solid color-mix(in srgb, var(--_muted) 30%, var(--_surface));
        border-radius: var(--_radius);
      }
      .results li {
        overflow-wrap: anywhere;
      }
      .results .refused {
        color: var(--_danger);
      }
      .results .mark {
        display: inline-block;
        width: 1.25rem;
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) organizationId = '';
  /** The roles an invitation can carry. */
  @property({ attribute: false }) roles: readonly Role[] = [];
  /** Addresses already invited, to say "already invited" rather than "already a member". */
  @property({ attribute: false }) pendingEmails: readonly string[] = [];

  @state() private emails = '';
  @state() private inviteRole = '';
  @state() private emailsError: string | undefined;
  @state() private result: InvitationsSent | null = null;

  @query('tn-confirm-dialog') private dialog!: TnConfirmDialog;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('roles') && !this.roles.some((role) => role.key === this.inviteRole)) {
      this.inviteRole = defaultRole(this.roles);
    }
  }

  /** Opens the dialog, empty; focus goes back to `opener` when it closes. */
  async show(opener?: HTMLElement | null): Promise<void> {
    this.emails = '';
    this.emailsError = undefined;
    this.result = null;
    this.inviteRole = defaultRole(this.roles);
    await this.updateComplete;
    await this.dialog.show(opener);
  }

  protected override render() {
    return html`<tn-confirm-dialog
      heading="Invite people"
      confirm-label="Send invitations"
      confirm-testid="invite-submit"
      cancel-testid="invite-cancel"
      cancel-label=${this.result ? 'Done' : 'Cancel'}
      .action=${() => this.send()}
    >
      <div class="field">
        <label for="invite-emails">Email addresses</label>
        <p class="hint" id="invite-emails-hint">One or several, separated by commas, spaces or new lines.</p>
        <textarea
          id="invite-emails"
          name="emails"
          rows="3"
          autocomplete="off"
          spellcheck="false"
          autofocus
          data-testid="invite-emails"
          aria-invalid=${this.emailsError ? 'true' : 'false'}
          aria-describedby="invite-emails-hint ${this.emailsError ? 'invite-emails-error' : ''}"
          .value=${live(this.emails)}
          @input=${(event: InputEvent) => {
            this.emails = (event.target as HTMLTextAreaElement).value;
            this.emailsError = undefined;
          }}
        ></textarea>
        ${this.emailsError
          ? html`<p class="field-error" id="invite-emails-error" data-testid="invite-emails-error">
              ${this.emailsError}
            </p>`
          : nothing}
      </div>
      <div class="field">
        <label for="invite-role">Role</label>
        <select
          id="invite-role"
          name="role"
          data-testid="invite-role"
          .value=${live(this.inviteRole)}
          @change=${(event: Event) => (this.inviteRole = (event.target as HTMLSelectElement).value)}
        >
          ${this.roles.map(
            (role) =>
              html`<option value=${role.key} ?selected=${role.key === this.inviteRole}>${role.name}</option>`,
          )}
        </select>
      </div>
      ${this.renderResult()}
    </tn-confirm-dialog>`;
  }

  private renderResult() {
    if (!this.result) return nothing;
    const pending = new Set(this.pendingEmails.map((email) => email.toLowerCase()));
    const { invitations, problems } = this.result;
    return html`<div role="status">
      <p class="visually-hidden">
        ${problems.length === 1 ? 'One address was' : `${problems.length} addresses were`} not invited.
      </p>
      <ul class="results" tabindex="-1" data-testid="invite-results" aria-label="What happened to each address">
        ${invitations.map(
          ({ email }) =>
            html`<li data-testid="invite-sent-${email}"><span class="mark" aria-hidden="true">✓</span>Invited ${email}</li>`,
        )}
        ${problems.map(
          (problem) =>
            html`<li class="refused" data-testid="invite-problem-${problem.email}">
              <span class="mark" aria-hidden="true">✕</span>${problemText(problem, pending)}
            </li>`,
        )}
      </ul>
    </div>`;
  }

  /** The dialog's action: false keeps it open, to correct the addresses or read what happened. */
  private async send(): Promise<boolean> {
    const emails = parseEmails(this.emails);
    this.result = null;
    this.emailsError = checkEmails(emails);
    if (this.emailsError) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#invite-emails')?.focus();
      return false;
    }
    const { organizationId, inviteRole: role } = this;
    const result = await this.api.inviteMembers({ organizationId, emails, role });
    if (result.invitations.length) {
      this.dispatchEvent(
        new CustomEvent<InvitationsSent>('tn-invitations-sent', {
          detail: result,
          bubbles: true,
          composed: true,
        }),
      );
    }
    if (result.problems.length === 0) {
      const sent = result.invitations.map((invitation) => invitation.email);
      toast(sent.length === 1 ? `Invited ${sent[0]}.` : `Invited ${sent.length} people: ${sent.join(', ')}.`);
      return true;
    }
    // Keep only the refused addresses, so they can be corrected and sent again.
    this.result = result;
    this.emails = result.problems.map((problem) => problem.email).join('\n');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="invite-results"]')?.focus();
    return false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-invite-members': TnInviteMembers;
  }
  interface HTMLElementEventMap {
    'tn-invitations-sent': CustomEvent<InvitationsSent>;
  }
}
