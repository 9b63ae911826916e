import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { MembersApi, type InvitationsSent, type Role } from './members-api.js';
import { portalStyles } from './portal-styles.js';

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

/** The role an invitation starts with: Member when the environment has it. */
function defaultRole(roles: readonly Role[]): string {
  return roles.find((role) => role.key === 'member')?.key ?? roles[0]?.key ?? '';
}

/**
 * @summary Invites one or several people to the active organization with one role.
 *
 * @event tn-invitations-sent - At least one invitation was sent. `detail` is `{invitations, problems}`.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Send button and focus ring.
 * @cssproperty --tn-danger - Errors and refused addresses.
 */
@customElement('tn-invite-members')
export class TnInviteMembers extends LitElement {
  static override styles = [baseStyles, portalStyles];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) organizationId = '';
  /** The roles an invitation can carry. */
  @property({ attribute: false }) roles: readonly Role[] = [];

  @state() private emails = '';
  @state() private inviteRole = '';
  @state() private emailsError: string | undefined;
  @state() private result: InvitationsSent | null = null;

  private readonly request: RequestController = new RequestController(this);

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('roles') && !this.roles.some((role) => role.key === this.inviteRole)) {
      this.inviteRole = defaultRole(this.roles);
    }
  }

  protected override render() {
    const busy = this.request.running('invite');
    return html`
      <section class="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite people</h2>
        ${errorAlert(this.request.error)}
        <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
          <div class="field">
            <label for="invite-emails">Email addresses</label>
            <p class="hint" id="invite-emails-hint">
              One or several, separated by commas, spaces or new lines.
            </p>
            <textarea
              id="invite-emails"
              name="emails"
              rows="3"
              autocomplete="off"
              spellcheck="false"
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
          <div class="buttons">
            <button
              class="primary"
              type="submit"
              data-testid="invite-submit"
              aria-busy=${busy ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('invite')}
            >
              Send invitations
            </button>
          </div>
          ${this.renderResult()}
        </form>
      </section>
    `;
  }

  private renderResult() {
    if (!this.result) return nothing;
    const { invitations, problems } = this.result;
    const sent = invitations.map((invitation) => invitation.email).join(', ');
    const sentText =
      invitations.length === 1
        ? `Invitation sent to ${sent}.`
        : `${invitations.length} invitations sent: ${sent}.`;
    return html`
      ${problems.length
        ? html`<div class="alert" role="alert" tabindex="-1" data-testid="invite-problems">
            <p>
              ${problems.length === 1 ? 'This address was' : 'These addresses were'} not invited. Correct
              ${problems.length === 1 ? 'it' : 'them'} above and send again.
            </p>
            <ul>
              ${problems.map(
                (problem) =>
                  html`<li data-testid="invite-problem-${problem.email}">
                    ${problem.message.includes(problem.email)
                      ? problem.message
                      : `${problem.email}: ${problem.message}`}
                  </li>`,
              )}
            </ul>
          </div>`
        : nothing}
      ${invitations.length
        ? html`<p class="success" role="status" tabindex="-1" data-testid="invite-result">${sentText}</p>`
        : nothing}
    `;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const emails = parseEmails(this.emails);
    this.result = null;
    this.emailsError =
      emails.length === 0
        ? INVITE_MESSAGES.missing
        : emails.length > MAX_INVITES
          ? INVITE_MESSAGES.tooMany
          : undefined;
    if (this.emailsError) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#invite-emails')?.focus();
      return;
    }
    const { organizationId, inviteRole: role } = this;
    const sent = await this.request.run('invite', async () => {
      this.result = await this.api.inviteMembers({ organizationId, emails, role });
    });
    if (sent && this.result) await this.show(this.result);
  }

  private async show(result: InvitationsSent): Promise<void> {
    // Keep only the refused addresses, so they can be corrected and sent again.
    this.emails = result.problems.map((problem) => problem.email).join('\n');
    if (result.invitations.length) {
      this.dispatchEvent(
        new CustomEvent<InvitationsSent>('tn-invitations-sent', {
          detail: result,
          bubbles: true,
          composed: true,
        }),
      );
    }
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>('[data-testid="invite-problems"], [data-testid="invite-result"]')
      ?.focus();
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
