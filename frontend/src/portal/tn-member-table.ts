import '@shoelace-style/shoelace/dist/components/avatar/avatar.js';
import '@shoelace-style/shoelace/dist/components/relative-time/relative-time.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { toast } from '../shared/toast.js';
import { formatDateTime, parseDateTime } from './dates.js';
import { MembersApi, type Member, type MemberStatus, type Role } from './members-api.js';
import { holdsRole } from './permissions.js';
import { portalStyles } from './portal-styles.js';
import { rowActions, rowActionsStyles, type RowAction } from './row-actions.js';
import './tn-confirm-dialog.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import { membersTableStyles } from './tn-member-table.styles.js';

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

/** Up to two letters for an avatar: the first and last names' initials, else the email's first. */
export function initials(member: Member): string {
  const words = member.user.name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)!] : words.length ? [words[0]] : [member.user.email];
  return letters
    .map((word) => [...word][0] ?? '')
    .join('')
    .toUpperCase();
}

/** A timestamp as "3 days ago", with the exact moment on hover. */
export function relativeTime(value: string | null | undefined, never = 'Never') {
  const date = value ? parseDateTime(value) : null;
  if (!value || !date) return never;
  return html`<sl-relative-time
    title=${formatDateTime(value)}
    .date=${date}
    format="long"
    sync
  ></sl-relative-time>`;
}

/**
 * @summary The members as a table on a wide screen and a compact list on a narrow one: avatar,
 * name and email, role, status and last sign-in, and a "⋯" menu per row with "Change role…" and
 * "Remove…", each confirmed in a dialog naming the person. Never on the viewer's own row, nor on
 * a role a directory manages, nor beyond the viewer's permissions.
 *
 * @event tn-member-updated - A member's role changed. `detail` is the updated `Member`.
 * @event tn-member-removed - A member was removed. `detail` is the removed `Member`.
 *
 * @cssproperty --tn-danger - Remove in the menu and its confirming button.
 * @cssproperty --tn-surface - Table background.
 * @cssproperty --tn-muted - Column headers, emails and borders.
 */
@customElement('tn-member-table')
export class TnMemberTable extends LitElement {
  static override styles = [baseStyles, portalStyles, rowActionsStyles, membersTableStyles];

  @property({ attribute: false }) api = new MembersApi();
  @property({ attribute: false }) members: readonly Member[] = [];
  @property({ attribute: false }) roles: readonly Role[] = [];
  /** The signed-in person's user id: their own row has no actions. */
  @property({ attribute: false }) viewerId = '';
  /** The viewer's permissions: role change and removal each need their own. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  /** The member a dialog is about. */
  @state() private target: Member | null = null;
  /** The role chosen in the change-role dialog. */
  @state() private chosenRole = '';

  @query('#role-dialog') private roleDialog!: TnConfirmDialog;
  @query('#remove-dialog') private removeDialog!: TnConfirmDialog;

  /** Moves focus to a member's row, such as the first of a page just loaded. */
  async focusMember(memberId: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#member-${CSS.escape(memberId)}`)?.focus();
  }

  protected override render() {
    const withActions = this.canChangeRoles || this.canRemove;
    return html`
      <table>
        <caption class="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col" class="who">Member</th>
            <th scope="col" class="role">Role</th>
            <th scope="col" class="status">Status</th>
            <th scope="col" class="seen">Last sign-in</th>
            ${withActions
              ? html`<th scope="col" class="menu-cell"><span class="visually-hidden">Actions</span></th>`
              : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.members.map((member) => this.renderRow(member, withActions))}
        </tbody>
      </table>
      ${this.renderRoleDialog()} ${this.renderRemoveDialog()}
    `;
  }

  private get canChangeRoles(): boolean {
    return this.permissions.includes('sk_org_users_role_change');
  }

  private get canRemove(): boolean {
    return this.permissions.includes('sk_org_users_delete');
  }

  private renderRow(member: Member, withActions: boolean) {
    const self = member.user.id === this.viewerId;
    const { email } = member.user;
    const name = displayName(member);
    const tone = member.status === 'ACTIVE' ? 'good' : member.status === 'SUSPENDED' ? 'warn' : '';
    const status = html`<span class="badge ${tone}">${STATUS_LABELS[member.status] ?? member.status}</span>`;
    return html`<tr data-testid="member-row-${email}">
      <th scope="row" class="who" id="member-${member.id}" tabindex="-1">
        <span class="person">
          <span class="avatar" aria-hidden="true"><sl-avatar initials=${initials(member)}></sl-avatar></span>
          <span class="lines">
            <span class="name" title=${name}
              >${name}${self ? html` <span class="you">(you)</span>` : nothing}</span
            >
            <span class="sub">
              <span class="inline-role"
                >${roleName(this.roles, member.role)}${member.roleManagedBy
                  ? ` (from ${member.roleManagedBy.directoryName})`
                  : ''}</span
              >
              ${member.user.name ? html`<span class="email" title=${email}>${email}</span>` : nothing}
            </span>
          </span>
          ${member.status === 'ACTIVE' ? nothing : html`<span class="inline-status">${status}</span>`}
        </span>
      </th>
      <td class="role">${this.renderRole(member)}</td>
      <td class="status">${status}</td>
      <td class="seen">${relativeTime(member.lastSignInAt)}</td>
      ${withActions
        ? html`<td class="menu-cell">
            ${self ? nothing : rowActions(name, `member-actions-${email}`, this.actionsFor(member))}
          </td>`
        : nothing}
    </tr>`;
  }

  private renderRole(member: Member) {
    const name = roleName(this.roles, member.role);
    const managedBy = member.roleManagedBy;
    return html`<span class="role-name" data-testid="member-role-name-${member.user.email}">${name}</span>
      ${managedBy
        ? html`<span
            class="managed"
            title="Role from ${managedBy.directoryName}"
            data-testid="member-role-managed-${member.user.email}"
            >Role from ${managedBy.directoryName}</span
          >`
        : nothing}`;
  }

  /** What the viewer may do to `member`: nothing to a role they do not hold entirely. */
  private actionsFor(member: Member): RowAction[] {
    if (!this.holds(member.role)) return [];
    const { email } = member.user;
    const actions: RowAction[] = [];
    // A directory's group mapping sets this role: the server refuses a change by hand.
    if (this.canChangeRoles && !member.roleManagedBy) {
      actions.push({
        label: 'Change role…',
        icon: 'person-gear',
        testId: `member-change-role-${email}`,
        run: (opener) => void this.askRole(member, opener),
      });
    }
    if (this.canRemove) {
      actions.push({
        label: 'Remove from organization…',
        icon: 'person-dash',
        testId: `member-remove-${email}`,
        danger: true,
        run: (opener) => void this.askToRemove(member, opener),
      });
    }
    return actions;
  }

  /** Whether the viewer holds every permission of the role `key` (the server checks it again). */
  private holds(key: string): boolean {
    return holdsRole(
      this.permissions,
      this.roles.find((role) => role.key === key),
    );
  }

  private renderRoleDialog() {
    const member = this.target;
    const name = member ? displayName(member) : '';
    const grantable = member
      ? this.roles.filter((role) => role.key === member.role || holdsRole(this.permissions, role))
      : [];
    const chosen = roleName(this.roles, this.chosenRole);
    const unchanged = !member || this.chosenRole === member.role;
    return html`<tn-confirm-dialog
      id="role-dialog"
      heading="Change ${name}'s role"
      confirm-label=${unchanged ? 'Change role' : `Make ${name} ${chosen}`}
      confirm-testid="member-role-confirm"
      cancel-testid="member-role-cancel"
      ?confirm-disabled=${unchanged}
      .action=${() => this.changeRole()}
    >
      <fieldset class="role-choice">
        <legend>Role for ${name}</legend>
        ${grantable.map(
          (role) => html`<label class="choice">
            <input
              type="radio"
              name="member-role"
              value=${role.key}
              data-testid="member-role-option-${role.key}"
              .checked=${role.key === this.chosenRole}
              ?autofocus=${role.key === member?.role}
              @change=${() => (this.chosenRole = role.key)}
            />
            <span>${role.name}</span>
            ${role.key === member?.role ? html`<span class="current">Current role</span>` : nothing}
          </label>`,
        )}
      </fieldset>
    </tn-confirm-dialog>`;
  }

  private renderRemoveDialog() {
    const member = this.target;
    const name = member ? displayName(member) : '';
    return html`<tn-confirm-dialog
      id="remove-dialog"
      heading="Remove ${name}?"
      variant="danger"
      confirm-label="Remove ${name}"
      confirm-testid="member-remove-confirm"
      cancel-testid="member-remove-cancel"
      .action=${() => this.removeMember()}
    >
      <p data-testid="member-remove-question">
        ${name}${member?.user.name ? ` (${member.user.email})` : ''} will lose access to this
        organization, and their sessions here end right away. Their account stays: you can invite
        them again later.
      </p>
    </tn-confirm-dialog>`;
  }

  private async askRole(member: Member, opener: HTMLElement): Promise<void> {
    this.target = member;
    this.chosenRole = member.role;
    await this.updateComplete;
    await this.roleDialog.show(opener);
  }

  private async askToRemove(member: Member, opener: HTMLElement): Promise<void> {
    this.target = member;
    await this.updateComplete;
    await this.removeDialog.show(opener);
  }

  private async changeRole(): Promise<void> {
    const member = this.target;
    if (!member) return;
    const updated = await inPlainWords(member, () => this.api.changeMemberRole(member.id, this.chosenRole));
    toast(`${displayName(updated)} is now ${roleName(this.roles, updated.role)}.`);
    this.tell('tn-member-updated', updated);
  }

  private async removeMember(): Promise<void> {
    const member = this.target;
    if (!member) return;
    await inPlainWords(member, () => this.api.removeMember(member.id));
    toast(`Removed ${displayName(member)} from the organization.`);
    // Its row goes, with the ⋯ button focus would return to: the next row (or the last) takes it.
    const index = this.members.findIndex(({ id }) => id === member.id);
    const neighbour = this.members[index + 1] ?? this.members[index - 1];
    if (neighbour) {
      this.removeDialog.returnFocusTo(
        this.renderRoot.querySelector<HTMLElement>(`#member-${CSS.escape(neighbour.id)}`),
      );
    }
    this.tell('tn-member-removed', member);
  }

  private tell(type: 'tn-member-updated' | 'tn-member-removed', member: Member): void {
    this.dispatchEvent(new CustomEvent<Member>(type, { detail: member, bubbles: true, composed: true }));
  }
}

/** The last-admin refusal, said about the person in the dialog. */
async function inPlainWords<T>(member: Member, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'LAST_ADMIN') {
      throw new ApiError({
        status: error.status,
        code: error.code,
        message: `${displayName(member)} is this organization's last admin. Make someone else an admin first, then try again.`,
      });
    }
    throw error;
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
