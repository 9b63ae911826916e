import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
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
import { STATUS_LABELS, type TnMemberTable } from './tn-member-table.js';
import './tn-invitation-list.js';
import './tn-invite-members.js';
import './tn-member-table.js';
import { membersStyles } from './tn-members.styles.js';

/** How long typing in the search box waits before asking the server. */
export const SEARCH_DELAY_MS = 300;

/**
 * @summary The active organization's members: search, filters and paging over the member
 * table, then the invite form and the pending invitations for those allowed.
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
      return html`<p class="status" role="status" aria-busy="true" data-testid="members-loading">
        Loading members…
      </p>`;
    }
    const canInvite = this.can('sk_org_users_invite');
    if (!this.can('sk_org_users_read')) return this.renderInviteOnly();
    return html`
      <section class="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Member list</h2>
        ${this.renderFilters()}
        ${errorAlert(
          this.request.error ??
            (this.overview.status === TaskStatus.ERROR ? toProblem(this.overview.error) : null),
        )}
        ${this.renderTable()}
      </section>
      ${canInvite
        ? html`<tn-invite-members
            .api=${this.api}
            .organizationId=${this.organizationId}
            .roles=${this.grantableRoles}
            @tn-invitations-sent=${() => this.reloads++}
          ></tn-invite-members>`
        : nothing}
      <tn-invitation-list
        .api=${this.api}
        .invitations=${this.invitations}
        .roles=${this.roles}
        .canManage=${canInvite}
        .permissions=${this.permissions}
        @tn-invitation-changed=${this.invitationChanged}
      ></tn-invitation-list>
    `;
  }

  /** Inviting needs only `sk_org_users_invite`: the form shows without the member list. */
  private renderInviteOnly() {
    return html`
      <p class="hint" data-testid="members-invite-only">
        You can invite people to this organization. Ask an admin if you also need to see its members.
      </p>
      <tn-invite-members
        .api=${this.api}
        .organizationId=${this.organizationId}
        .roles=${this.grantableRoles}
      ></tn-invite-members>
    `;
  }

  private renderFilters() {
    return html`<div class="filters" role="search" aria-label="Members">
      <div class="field">
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
          ${Object.entries(STATUS_LABELS).map(
            ([status, label]) =>
              html`<option value=${status} ?selected=${this.filters.status === status}>${label}</option>`,
          )}
        </select>
      </div>
    </div>`;
  }

  private renderTable() {
    const reloading = this.overview.status === TaskStatus.PENDING;
    const count = this.members.length;
    const total = Math.max(this.totalCount, count);
    const noun = total === 1 ? 'member' : 'members';
    const summary =
      count === 0
        ? 'No members match these filters.'
        : count < total
          ? `Showing ${count} of ${total} ${noun}.`
          : `Showing ${count} ${noun}.`;
    return html`
      <p class="hint" role="status" data-testid="members-summary">${summary}</p>
      ${count === 0
        ? nothing
        : html`<tn-member-table
            aria-busy=${reloading ? 'true' : 'false'}
            .api=${this.api}
            .members=${this.members}
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
