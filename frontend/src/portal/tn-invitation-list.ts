import '@shoelace-style/shoelace/dist/components/avatar/avatar.js';
import { LitElement, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { toast } from '../shared/toast.js';
import { formatDateTime, isPast } from './dates.js';
import { MembersApi, type Invitation, type Role } from './members-api.js';
import { holdsRole } from './permissions.js';
import { portalStyles } from './portal-styles.js';
import { rowActions, rowActionsStyles, type RowAction } from './row-actions.js';
import './tn-confirm-dialog.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import { invitationListStyles } from './tn-invitation-list.styles.js';
import { relativeTime } from './tn-member-table.js';

/** Invitations still waiting for an answer; an expired one can be sent again. */
export function openInvitations(invitations: readonly Invitation[]): Invitation[] {
  return invitations.filter(({ status }) => status === 'PENDING' || status === 'EXPIRED');
}

function expired(invitation: Invitation): boolean {
  return invitation.status === 'EXPIRED' || isPast(invitation.expiresAt);
}

/**
 * @summary The organization's pending invitations, each once: the address, the role it offers and
 * when it expires, and a "⋯" menu with Resend and a confirmed Revoke for those who may invite and
 * hold every permission of the role it offers (the server checks again). Nothing shows when there
 * are none.
 *
 * @event tn-invitation-changed - An invitation was resent or revoked. `detail` is the updated `Invitation`.
 *
 * @csspart error - The alert showing a failed resend.
 *
 * @cssproperty --tn-danger - Revoke and errors.
 * @cssproperty --tn-muted - Details and borders.
 */
@customElement('tn-invitation-list')
export class TnInvitationList extends LitElement {
  static override styles = [baseStyles, portalStyles, rowActionsStyles, invitationListStyles];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) invitations: readonly Invitation[] = [];
  /** The environment's roles, to show each invitation's role by name. */
  @property({ attribute: false }) roles: readonly Role[] = [];
  /** Whether the viewer may resend and revoke (`sk_org_users_invite`). */
  @property({ attribute: false }) canManage = false;
  /** The viewer's permissions: an invitation offering a role they do not hold is theirs to see only. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  /** The invitation the revoke dialog is about. */
  @state() private target: Invitation | null = null;

  @query('tn-confirm-dialog') private revokeDialog!: TnConfirmDialog;

  private readonly request: RequestController = new RequestController(this);

  protected override render() {
    const open = openInvitations(this.invitations);
    if (open.length === 0) return this.renderRevokeDialog();
    return html`
      <section class="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" tabindex="-1">
          Pending invitations <span class="count">${open.length}</span>
        </h2>
        ${errorAlert(this.request.error)}
        <ul class="invitations" aria-labelledby="invitations-heading">
          ${open.map((invitation) => this.renderInvitation(invitation))}
        </ul>
      </section>
      ${this.renderRevokeDialog()}
    `;
  }

  private renderInvitation(invitation: Invitation) {
    const { email } = invitation;
    const offered = this.roles.find(({ key }) => key === invitation.role);
    const role = offered?.name ?? invitation.role;
    const actions: RowAction[] =
      this.canManage && holdsRole(this.permissions, offered)
        ? [
            {
              label: 'Resend invitation',
              icon: 'arrow-repeat',
              testId: `invitation-resend-${email}`,
              run: (opener) => void this.resend(invitation, opener),
            },
            {
              label: 'Revoke invitation…',
              icon: 'x-circle',
              testId: `invitation-revoke-${email}`,
              danger: true,
              run: (opener) => void this.askToRevoke(invitation, opener),
            },
          ]
        : [];
    return html`<li data-testid="invitation-row-${email}">
      <span class="avatar" aria-hidden="true"
        ><sl-avatar initials=${[...email][0]?.toUpperCase() ?? '?'}></sl-avatar
      ></span>
      <span class="lines">
        <span class="email" title=${email}>${email}</span>
        <span class="details">
          ${role} ·
          ${expired(invitation)
            ? html`<span class="badge warn">Expired</span>`
            : html`expires ${relativeTime(invitation.expiresAt)}`}
        </span>
      </span>
      <span class="menu-cell">${rowActions(email, `invitation-actions-${email}`, actions)}</span>
    </li>`;
  }

  private renderRevokeDialog() {
    const email = this.target?.email ?? '';
    return html`<tn-confirm-dialog
      heading="Revoke the invitation to ${email}?"
      variant="danger"
      confirm-label="Revoke invitation"
      confirm-testid="invitation-revoke-confirm"
      cancel-testid="invitation-revoke-cancel"
      .action=${() => this.revoke()}
    >
      <p>The link in the email to ${email} stops working. You can invite them again later.</p>
    </tn-confirm-dialog>`;
  }

  private async resend(invitation: Invitation, opener: HTMLElement): Promise<void> {
    const sent = await this.request.run(`resend-${invitation.id}`, async () => {
      const resent = await this.api.resendInvitation(invitation.id);
      toast(`Sent a new invitation to ${resent.email}. It expires ${formatDateTime(resent.expiresAt)}.`);
      this.tell(resent);
    });
    if (sent) opener.focus();
  }

  private async askToRevoke(invitation: Invitation, opener: HTMLElement): Promise<void> {
    this.target = invitation;
    this.request.clearError();
    await this.updateComplete;
    await this.revokeDialog.show(opener);
  }

  private async revoke(): Promise<void> {
    const invitation = this.target;
    if (!invitation) return;
    const revoked = await this.api.revokeInvitation(invitation.id);
    toast(`Revoked the invitation to ${revoked.email}.`);
    // Its row goes, with the ⋯ button focus would return to: the list's heading takes it.
    this.revokeDialog.returnFocusTo(this.renderRoot.querySelector<HTMLElement>('#invitations-heading'));
    this.tell(revoked);
  }

  private tell(invitation: Invitation): void {
    this.dispatchEvent(
      new CustomEvent<Invitation>('tn-invitation-changed', {
        detail: invitation,
        bubbles: true,
        composed: true,
      }),
    );
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
