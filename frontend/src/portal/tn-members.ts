import '@shoelace-style/shoelace/dist/components/icon/icon.js';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import {
  MembersApi,
  type Invitation,
  type Member,
  type MemberFilters,
  type MemberStatus,
  type Role,
} from './members-api.js';
import { holdsRole } from './permissions.js';
import { portalStyles } from './portal-styles.js';
import { openInvitations } from './tn-invitation-list.js';
import type { TnInviteMembers } from './tn-invite-members.js';
import { STATUS_LABELS, type TnMemberTable } from './tn-member-table.js';
import './tn-invitation-list.js';
import './tn-invite-members.js';
import './tn-member-table.js';
import { membersStyles } from './tn-members.styles.js';

/** How long typing in the search box waits before asking the server. */
export const SEARCH_DELAY_MS = 300;

/** Statuses a member can be filtered by: invitees are listed once, under Pending invitations. */
export const MEMBER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const satisfies readonly MemberStatus[];

/**
 * @summary The active organization's members: an Invite button at the top (a dialog), search,
 * filters and paging over the member table, then the pending invitations, each person once.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons and focus ring.
 * @cssproperty --tn-danger - Errors.
 * @cssproperty --tn-surface - Panel background.
 */
@customElement('tn-members')
export class TnMembers extends LitElement {
  static override styles = [baseStyles, portalStyles, membersStyles];

  @property({ attribute: false }) api = new MembersApi();

  /** The active organization, whose members are shown. */
  @property({ attribute: false }) organizationId = '';

  /** The signed-in person's user id: their own row has no role or Remove control. */
  @property({ attribute: false }) viewerId = '';

  /** The viewer's permissions in the organization; they decide which controls show. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  @state() private searchText = '';
  @state() private filters: MemberFilters = { search: '', role: '', status: '' };
  @state() private members: Member[] = [];
  @state() private endCursor: string | null = null;
  @state() private hasNextPage = false;
  @state() private totalCount = 0;
  @state() private invitations: Invitation[] = [];
  @state() private roles: Role[] = [];
  @state() private loaded = false;
  @state() private reloads = 0;

  @query('tn-invite-members') private invite!: TnInviteMembers;

  private readonly request: RequestController = new RequestController(this);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly overview = new Task(this, {
    args: () => [this.api, this.organizationId, this.filters, this.reloads] as const,
    task: ([api, organizationId, filters], { signal }) =>
      this.can('sk_org_users_read')
        ? api.overview(organizationId, filters, { signal })
        : api.inviteOnly({ signal }),
    onComplete: (overview) => {
      ({
        members: this.members,
        endCursor: this.endCursor,
        hasNextPage: this.hasNextPage,
        totalCount: this.totalCount,
      } = overview);
      this.invitations = overview.invitations;
      this.roles = overview.roles;
      this.loaded = true;
    },
  });

  private can(permission: string): boolean {
    return this.permissions.includes(permission);
  }

  /** The roles the viewer may give: those whose every permission they hold (the server checks again). */
  private get grantableRoles(): Role[] {
    return this.roles.filter((role) => holdsRole(this.permissions, role));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override render() {
    if (!this.loaded) {
      if (this.overview.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.overview.error))}
          <button class="secondary" type="button" @click=${() => this.overview.run()}>Try again</button>`;
      }
      return this.renderSkeleton();
    }
    if (!this.can('sk_org_users_read')) return this.renderInviteOnly();
    const open = openInvitations(this.invitations);
    return html`
      <div class="toolbar">
        ${this.renderFilters()} ${this.renderInviteButton()}
      </div>
      ${errorAlert(
        this.request.error ??
          (this.overview.status === TaskStatus.ERROR ? toProblem(this.overview.error) : null),
      )}
      <section class="panel list" aria-labelledby="members-heading">
        <h2 id="members-heading" class="visually-hidden">Member list</h2>
        ${this.renderTable()}
      </section>
      <tn-invitation-list
        .api=${this.api}
        .invitations=${this.invitations}
        .roles=${this.roles}
        .canManage=${this.can('sk_org_users_invite')}
        .permissions=${this.permissions}
        @tn-invitation-changed=${this.invitationChanged}
      ></tn-invitation-list>
      ${this.renderInviteDialog(open.map((invitation) => invitation.email))}
    `;
  }

  /** Rows shaped like the table's, while the first page loads. */
  private renderSkeleton() {
    return html`<div class="skeleton" role="status" aria-busy="true" data-testid="members-loading">
      <span class="visually-hidden">Loading members…</span>
      ${[1, 2, 3, 4].map(
        () => html`<div class="skeleton-row" aria-hidden="true">
          <sl-skeleton class="circle" effect="pulse"></sl-skeleton>
          <span class="skeleton-lines">
            <sl-skeleton effect="pulse"></sl-skeleton>
            <sl-skeleton class="short" effect="pulse"></sl-skeleton>
          </span>
        </div>`,
      )}
    </div>`;
  }

  private renderInviteButton() {
    if (!this.can('sk_org_users_invite')) return nothing;
    return html`<button
      class="primary invite"
      type="button"
      data-testid="invite-open"
      @click=${(event: Event) => void this.invite.show(event.currentTarget as HTMLElement)}
    >
      <sl-icon name="person-plus" aria-hidden="true"></sl-icon>
      Invite
    </button>`;
  }

  private renderInviteDialog(pendingEmails: string[] = []) {
    if (!this.can('sk_org_users_invite')) return nothing;
    return html`<tn-invite-members
      .api=${this.api}
      .organizationId=${this.organizationId}
      .roles=${this.grantableRoles}
      .pendingEmails=${pendingEmails}
      @tn-invitations-sent=${() => this.reloads++}
    ></tn-invite-members>`;
  }

  /** Inviting needs only `sk_org_users_invite`: the Invite button shows without the member list. */
  private renderInviteOnly() {
    return html`
      <div class="empty" data-testid="members-invite-only">
        <sl-icon name="person-plus" aria-hidden="true"></sl-icon>
        <p>You can invite people to this organization. Ask an admin if you also need to see its members.</p>
        ${this.renderInviteButton()}
      </div>
      ${this.renderInviteDialog()}
    `;
  }

  private renderFilters() {
    return html`<div class="filters" role="search" aria-label="Members">
      <div class="field search">
        <label for="member-search">Search members</label>
        <input
          id="member-search"
          type="search"
          autocomplete="off"
          data-testid="member-search"
          .value=${live(this.searchText)}
          @input=${(event: InputEvent) => this.typeSearch((event.target as HTMLInputElement).value)}
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && this.commitSearch()}
        />
      </div>
      <div class="field">
        <label for="role-filter">Role</label>
        <select
          id="role-filter"
          data-testid="member-role-filter"
          @change=${(event: Event) => this.filter({ role: (event.target as HTMLSelectElement).value })}
        >
          <option value="" ?selected=${this.filters.role === ''}>All roles</option>
          ${this.roles.map(
            (role) => html`<option value=${role.key} ?selected=${this.filters.role === role.key}>${role.name}</option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label for="status-filter">Status</label>
        <select
          id="status-filter"
          data-testid="member-status-filter"
          @change=${(event: Event) =>
            this.filter({ status: (event.target as HTMLSelectElement).value as MemberStatus | '' })}
        >
          <option value="" ?selected=${this.filters.status === ''}>All statuses</option>
          ${MEMBER_STATUSES.map(
            (status) =>
              html`<option value=${status} ?selected=${this.filters.status === status}>
                ${STATUS_LABELS[status]}
              </option>`,
          )}
        </select>
      </div>
    </div>`;
  }

  private renderTable() {
    const reloading = this.overview.status === TaskStatus.PENDING;
    // Invitees are listed under Pending invitations, not here.
    const shown = this.members.filter((member) => member.status !== 'INVITED');
    const count = shown.length;
    const noun = count === 1 ? 'member' : 'members';
    const filtered = Boolean(this.filters.search || this.filters.role || this.filters.status);
    // With a status filter the server's count is exact; without one it also counts invitees.
    const total = this.filters.status ? Math.max(this.totalCount, count) : null;
    const summary =
      count === 0
        ? ''
        : total !== null && count < total
          ? `Showing ${count} of ${total} ${noun}.`
          : this.hasNextPage
            ? `Showing the first ${count} ${noun}.`
            : filtered
              ? `${count} ${noun} match.`
              : `${count} ${noun}.`;
    return html`
      <p class="summary hint" role="status" data-testid="members-summary">${summary}</p>
      ${count === 0
        ? this.renderEmpty(filtered)
        : html`<tn-member-table
            aria-busy=${reloading ? 'true' : 'false'}
            .api=${this.api}
            .members=${shown}
            .roles=${this.roles}
            .viewerId=${this.viewerId}
            .permissions=${this.permissions}
            @tn-member-updated=${this.memberUpdated}
            @tn-member-removed=${this.memberRemoved}
          ></tn-member-table>`}
      ${this.hasNextPage
        ? html`<button
            class="secondary more"
            type="button"
            data-testid="members-more"
            aria-busy=${this.request.running('more') ? 'true' : 'false'}
            ?disabled=${!this.request.canRun('more') || reloading}
            @click=${this.loadMore}
          >
            Load more members
          </button>`
        : nothing}
    `;
  }

  /** No rows: what to do next, which depends on why. */
  private renderEmpty(filtered: boolean) {
    if (filtered) {
      return html`<div class="empty" data-testid="members-empty">
        <sl-icon name="people" aria-hidden="true"></sl-icon>
        <p>No members match ${this.filters.search ? html`“${this.filters.search}”` : 'these filters'}.</p>
        <button class="secondary" type="button" data-testid="members-clear-filters" @click=${this.clearFilters}>
          Clear search and filters
        </button>
      </div>`;
    }
    return html`<div class="empty" data-testid="members-empty">
      <sl-icon name="people" aria-hidden="true"></sl-icon>
      <p>
        ${this.can('sk_org_users_invite')
          ? 'No one else is here yet. Invite the people you work with.'
          : 'No one else is here yet.'}
      </p>
    </div>`;
  }

  private async clearFilters(): Promise<void> {
    this.searchText = '';
    this.filters = { search: '', role: '', status: '' };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#member-search')?.focus();
  }

  private typeSearch(value: string): void {
    this.searchText = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.commitSearch(), SEARCH_DELAY_MS);
  }

  private commitSearch(): void {
    clearTimeout(this.searchTimer);
    const search = this.searchText.trim();
    if (search !== this.filters.search) this.filter({ search });
  }

  private filter(change: Partial<MemberFilters>): void {
    this.filters = { ...this.filters, ...change };
  }

  private async loadMore(): Promise<void> {
    const { organizationId, filters, endCursor } = this;
    if (!endCursor) return;
    const firstNew = this.members.length;
    const loaded = await this.request.run('more', async () => {
      const next = await this.api.more(organizationId, filters, endCursor);
      if (filters !== this.filters) return;
      this.members = [...this.members, ...next.members];
      ({ endCursor: this.endCursor, hasNextPage: this.hasNextPage, totalCount: this.totalCount } =
        next);
    });
    const first = this.members[firstNew];
    if (!loaded || !first) return;
    await this.updateComplete;
    await this.renderRoot.querySelector<TnMemberTable>('tn-member-table')?.focusMember(first.id);
  }

  private memberUpdated(event: HTMLElementEventMap['tn-member-updated']): void {
    const updated = event.detail;
    this.members = this.members.map((kept) => (kept.id === updated.id ? updated : kept));
  }

  private memberRemoved(event: HTMLElementEventMap['tn-member-removed']): void {
    this.members = this.members.filter((kept) => kept.id !== event.detail.id);
    this.totalCount = Math.max(0, this.totalCount - 1);
  }

  private invitationChanged(event: HTMLElementEventMap['tn-invitation-changed']): void {
    const changed = event.detail;
    this.invitations = this.invitations.map((kept) => (kept.id === changed.id ? changed : kept));
    // Revoking also deletes the invited membership: read the members again.
    if (changed.status === 'REVOKED') this.reloads++;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-members': TnMembers;
  }
}
