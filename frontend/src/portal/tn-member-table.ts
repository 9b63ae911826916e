import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { confirmGroup } from './confirm-group.js';
import { formatDateTime } from './dates.js';
import { MembersApi, type Member, type MemberStatus, type Role } from './members-api.js';
import { focusWhenRendered } from './save-form.js';
import { membersTableStyles } from './tn-member-table.styles.js';
import { holdsRole } from './permissions.js';
import { portalStyles } from './portal-styles.js';

export const STATUS_LABELS: Readonly<Record<MemberStatus, string>> = {
  ACTIVE: 'Active',
  INVITED: 'Invited',
  SUSPENDED: 'Suspended',
};

/** The name people know a member by: the email until they have a name. */
export function displayName(member: Member): string {
  return member.user.name || member.user.email;
}

export function roleName(roles: readonly Role[], key: string): string {
  return roles.find((role) => role.key === key)?.name ?? key;
}

/**
 * @summary The members as a table (cards on a narrow screen), with a role select and a
 * confirmed Remove per row for those allowed; never on the viewer's own row.
 *
 * @event tn-member-updated - A member's role changed. `detail` is the updated `Member`.
 * @event tn-member-removed - A member was removed. `detail` is the removed `Member`.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-danger - Errors and the Remove buttons.
 * @cssproperty --tn-surface - Table and card background.
 * @cssproperty --tn-muted - Column headers and borders.
 */
@customElement('tn-member-table')
export class TnMemberTable extends LitElement {
  static override styles = [baseStyles, portalStyles, membersTableStyles];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) members: readonly Member[] = [];
  @property({ attribute: false }) roles: readonly Role[] = [];
  /** The signed-in person's user id: their own row has no role or Remove control. */
  @property({ attribute: false }) viewerId = '';
  /** The viewer's permissions: role change and removal each need their own. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  /** The member whose removal waits for confirmation. */
  @state() private confirming: string | null = null;
  @state() private notice = '';

  private readonly request: RequestController = new RequestController(this);

  /** Moves focus to a member's row, such as the first of a page just loaded. */
  async focusMember(memberId: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#member-${CSS.escape(memberId)}`)?.focus();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('members') && !this.members.some(({ id }) => id === this.confirming)) {
      this.confirming = null;
    }
  }

  protected override render() {
    const canDelete = this.permissions.includes('sk_org_users_delete');
    return html`
      ${errorAlert(this.request.error)}
      <div role="status">
        ${this.notice
          ? html`<p class="success" tabindex="-1" data-testid="members-status">${this.notice}</p>`
          : nothing}
      </div>
      <div class="table-wrap">
        <table role="table">
          <caption class="visually-hidden">Members</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">Name</th>
              <th role="columnheader" scope="col">Email</th>
              <th role="columnheader" scope="col" id="col-role">Role</th>
              <th role="columnheader" scope="col">Status</th>
              <th role="columnheader" scope="col">Last sign-in</th>
              ${canDelete
                ? html`<th role="columnheader" scope="col"><span class="visually-hidden">Actions</span></th>`
                : nothing}
            </tr>
          </thead>
          <tbody role="rowgroup">
            ${this.members.map((member) => this.renderRow(member, canDelete))}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderRow(member: Member, canDelete: boolean) {
    const self = member.user.id === this.viewerId;
    const email = member.user.email;
    const tone = member.status === 'ACTIVE' ? 'good' : member.status === 'SUSPENDED' ? 'warn' : '';
    return html`<tr role="row" data-testid="member-row-${email}">
      <th role="rowheader" scope="row" id="member-${member.id}" tabindex="-1">
        ${displayName(member)}${self ? html` <span class="you">(you)</span>` : nothing}
      </th>
      <td role="cell"><span class="cell-label" aria-hidden="true">Email</span>${email}</td>
      <td role="cell">
        <span class="cell-label" aria-hidden="true">Role</span>${this.renderRole(member, self)}
      </td>
      <td role="cell">
        <span class="cell-label" aria-hidden="true">Status</span>
        <span class="badge ${tone}">${STATUS_LABELS[member.status] ?? member.status}</span>
      </td>
      <td role="cell">
        <span class="cell-label" aria-hidden="true">Last sign-in</span>
        ${member.lastSignInAt
          ? html`<time datetime=${member.lastSignInAt}>${formatDateTime(member.lastSignInAt)}</time>`
          : 'Never'}
      </td>
      ${canDelete
        ? html`<td role="cell">${self || !this.holds(member.role) ? nothing : this.renderRemove(member)}</td>`
        : nothing}
    </tr>`;
  }

  private renderRole(member: Member, self: boolean) {
    const managedBy = member.roleManagedBy;
    if (managedBy) {
      // A directory's group mapping set it: the server refuses a change by hand.
      return html`${roleName(this.roles, member.role)}
        <span class="managed" data-testid="member-role-managed-${member.user.email}"
          >Role from ${managedBy.directoryName}</span
        >`;
    }
    if (self || !this.permissions.includes('sk_org_users_role_change') || !this.holds(member.role)) {
      return roleName(this.roles, member.role);
    }
    const known = this.roles.some((role) => role.key === member.role);
    return html`<select
      id="role-${member.id}"
      data-testid="member-role-${member.user.email}"
      aria-labelledby="col-role member-${member.id}"
      aria-busy=${this.request.running(`role-${member.id}`) ? 'true' : 'false'}
      ?disabled=${this.request.busy}
      .value=${live(member.role)}
      @change=${(event: Event) => this.changeRole(member, (event.target as HTMLSelectElement).value)}
    >
      ${known ? nothing : html`<option value=${member.role}>${member.role}</option>`}
      ${this.roles
        .filter((role) => role.key === member.role || holdsRole(this.permissions, role))
        .map(
          (role) => html`<option value=${role.key} ?selected=${role.key === member.role}>${role.name}</option>`,
        )}
    </select>`;
  }

  /** Whether the viewer holds every permission of the role `key` (the server checks it again). */
  private holds(key: string): boolean {
    return holdsRole(
      this.permissions,
      this.roles.find((role) => role.key === key),
    );
  }

  private renderRemove(member: Member) {
    const name = displayName(member);
    if (this.confirming !== member.id) {
      return html`<button
        class="danger"
        type="button"
        data-testid="member-remove-${member.user.email}"
        ?disabled=${this.request.busy}
        @click=${() => this.askToRemove(member)}
      >
        Remove<span class="visually-hidden"> ${name}</span>
      </button>`;
    }
    return confirmGroup({
      questionId: `confirm-${member.id}`,
      question: `Remove ${name} from the organization? They lose access right away.`,
      confirmLabel: 'Remove',
      confirmTestId: 'member-remove-confirm',
      cancelTestId: 'member-remove-cancel',
      busy: this.request.running('remove'),
      confirmDisabled: this.request.busy,
      onConfirm: () => this.removeMember(member),
      onCancel: () => this.cancelRemoval(member),
    });
  }

  private async changeRole(member: Member, role: string): Promise<void> {
    this.notice = '';
    const changed = await this.request.run(`role-${member.id}`, async () => {
      const updated = await this.api.changeMemberRole(member.id, role);
      this.notice = `${displayName(updated)} is now ${roleName(this.roles, updated.role)}.`;
      this.tell('tn-member-updated', updated);
    });
    if (!changed) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLSelectElement>(`#role-${CSS.escape(member.id)}`)?.focus();
  }

  private async askToRemove(member: Member): Promise<void> {
    this.notice = '';
    this.confirming = member.id;
    await focusWhenRendered(this, '[data-testid="member-remove-cancel"]');
  }

  private async cancelRemoval(member: Member): Promise<void> {
    this.confirming = null;
    await focusWhenRendered(this, `[data-testid="member-remove-${CSS.escape(member.user.email)}"]`);
  }

  private async removeMember(member: Member): Promise<void> {
    const removed = await this.request.run('remove', async () => {
      await this.api.removeMember(member.id);
      this.notice = `${displayName(member)} was removed from the organization.`;
      this.tell('tn-member-removed', member);
    });
    this.confirming = null;
    if (!removed) return;
    await focusWhenRendered(this, '[data-testid="members-status"]');
  }

  private tell(type: 'tn-member-updated' | 'tn-member-removed', member: Member): void {
    this.dispatchEvent(new CustomEvent<Member>(type, { detail: member, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-member-table': TnMemberTable;
  }
  interface HTMLElementEventMap {
    'tn-member-updated': CustomEvent<Member>;
    'tn-member-removed': CustomEvent<Member>;
  }
}
