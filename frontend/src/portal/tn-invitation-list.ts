import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { formatDateTime, isPast } from './dates.js';
import { MembersApi, type Invitation, type Role } from './members-api.js';
import { cardListStyles } from './card-list-styles.js';
import { portalStyles } from './portal-styles.js';
import { holdsRole } from './permissions.js';
import { invitationListStyles } from './tn-invitation-list.styles.js';

/** Invitations still waiting for an answer; an expired one can be sent again. */
export function openInvitations(invitations: readonly Invitation[]): Invitation[] {
  return invitations.filter(({ status }) => status === 'PENDING' || status === 'EXPIRED');
}

function expired(invitation: Invitation): boolean {
  return invitation.status === 'EXPIRED' || isPast(invitation.expiresAt);
}

/**
 * @summary The organization's pending invitations, with Resend and Revoke for those who may
 * invite and hold every permission of the role the invitation offers (the server checks again).
 *
 * @event tn-invitation-changed - An invitation was resent or revoked. `detail` is the updated `Invitation`.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons and focus ring.
 * @cssproperty --tn-danger - Errors and the Revoke button.
 */
@customElement('tn-invitation-list')
export class TnInvitationList extends LitElement {
  static override styles = [baseStyles, portalStyles, cardListStyles, invitationListStyles];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) invitations: readonly Invitation[] = [];
  /** The environment's roles, to show each invitation's role by name. */
  @property({ attribute: false }) roles: readonly Role[] = [];
  /** Whether the viewer may resend and revoke (`sk_org_users_invite`). */
  @property({ attribute: false }) canManage = false;
  /** The viewer's permissions: an invitation offering a role they do not hold is theirs to see only. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  @state() private notice = '';

  private readonly request: RequestController = new RequestController(this);

  protected override render() {
    const open = openInvitations(this.invitations);
    return html`
      <section class="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Pending invitations</h2>
        ${errorAlert(this.request.error)}
        <div role="status">
          ${this.notice
            ? html`<p class="success" tabindex="-1" data-testid="invitations-status">${this.notice}</p>`
            : nothing}
        </div>
        ${open.length === 0
          ? html`<p class="hint" data-testid="invitations-empty">No pending invitations.</p>`
          : html`<ul aria-labelledby="invitations-heading">
              ${open.map((invitation) => this.renderInvitation(invitation))}
            </ul>`}
      </section>
    `;
  }

  private renderInvitation(invitation: Invitation) {
    const { email } = invitation;
    const offered = this.roles.find(({ key }) => key === invitation.role);
    const role = offered?.name ?? invitation.role;
    const expiry = formatDateTime(invitation.expiresAt);
    return html`<li data-testid="invitation-row-${email}">
      <div class="who">
        <strong>${email}</strong>
        <span class="details">
          ${role} ·
          ${expired(invitation)
            ? html`<span class="badge warn">Expired</span>`
            : html`expires <time datetime=${invitation.expiresAt}>${expiry}</time>`}
        </span>
      </div>
      ${this.canManage && holdsRole(this.permissions, offered)
        ? html`<div class="buttons">
            <button
              class="secondary"
              type="button"
              data-testid="invitation-resend-${email}"
              aria-busy=${this.request.running(`resend-${invitation.id}`) ? 'true' : 'false'}
              ?disabled=${this.request.busy}
              @click=${() => this.resend(invitation)}
            >
              Resend<span class="visually-hidden"> the invitation to ${email}</span>
            </button>
            <button
              class="danger"
              type="button"
              data-testid="invitation-revoke-${email}"
              aria-busy=${this.request.running(`revoke-${invitation.id}`) ? 'true' : 'false'}
              ?disabled=${this.request.busy}
              @click=${() => this.revoke(invitation)}
            >
              Revoke<span class="visually-hidden"> the invitation to ${email}</span>
            </button>
          </div>`
        : nothing}
    </li>`;
  }

  private resend(invitation: Invitation): Promise<void> {
    return this.act(`resend-${invitation.id}`, async () => {
      const sent = await this.api.resendInvitation(invitation.id);
      return [sent, `Sent a new invitation to ${sent.email}. It expires ${formatDateTime(sent.expiresAt)}.`];
    });
  }

  private revoke(invitation: Invitation): Promise<void> {
    return this.act(`revoke-${invitation.id}`, async () => {
      const revoked = await this.api.revokeInvitation(invitation.id);
      return [revoked, `Revoked the invitation to ${revoked.email}.`];
    });
  }

  /** Runs a change, tells the parent, then moves focus to the message saying what happened. */
  private async act(action: string, change: () => Promise<[Invitation, string]>): Promise<void> {
    this.notice = '';
    const done = await this.request.run(action, async () => {
      const [invitation, notice] = await change();
      this.notice = notice;
      this.dispatchEvent(
        new CustomEvent<Invitation>('tn-invitation-changed', {
          detail: invitation,
          bubbles: true,
          composed: true,
        }),
      );
    });
    if (!done) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="invitations-status"]')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-invitation-list': TnInvitationList;
  }
  interface HTMLElementEventMap {
    'tn-invitation-changed': CustomEvent<Invitation>;
  }
}
