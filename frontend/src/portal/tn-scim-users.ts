import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { formatDateTime } from './dates.js';
import { portalStyles } from './portal-styles.js';
import { ScimApi, SEARCH_MAX, type DirectoryUser } from './scim-api.js';
import { scimListStyles } from './scim-list-styles.js';
import { PagedList } from './scim-paged-list.js';
import { relativeTime } from './scim-time.js';

declare global {
  interface HTMLElementTagNameMap {
    'tn-scim-users': TnScimUsers;
  }
}

/**
 * @summary The people a directory provisioned: userName, email, name, active or suspended, last
 * change; searchable, paged with "Load more".
 *
 * @cssproperty --tn-muted - Column headers and borders.
 */
@customElement('tn-scim-users')
export class TnScimUsers extends LitElement {
  static override styles = [baseStyles, portalStyles, scimListStyles];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directoryId = '';

  @state() private search = '';

  private readonly list = new PagedList<DirectoryUser>(this, (after, signal) =>
    this.api.users(this.directoryId, this.search.trim(), after, { signal }),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list.reload();
  }

  protected override render() {
    const { items, loading, error, hasNextPage } = this.list;
    return html`<div class="filters" role="search" aria-label="Provisioned users">
        <div class="field">
          <label for="users-search">Search users</label>
          <input
            id="users-search"
            type="search"
            maxlength=${SEARCH_MAX}
            autocomplete="off"
            spellcheck="false"
            data-testid="scim-users-search"
            .value=${live(this.search)}
            @input=${(event: InputEvent) => {
              this.search = (event.target as HTMLInputElement).value;
              this.list.reloadSoon();
            }}
          />
        </div>
      </div>
      ${errorAlert(error)}
      ${
        items === null
          ? loading
            ? html`<p class="status" role="status" aria-busy="true">Loading the users…</p>`
            : nothing
          : items.length === 0
            ? html`<p class="hint" role="status" data-testid="scim-users-empty">
                ${this.search.trim() ? 'No users match.' : 'No users provisioned yet.'}
              </p>`
            : html`<div class="table-wrap">
                  <table data-testid="scim-users-table">
                    <caption class="visually-hidden">Provisioned users</caption>
                    <thead>
                      <tr>
                        <th scope="col">User name</th>
                        <th scope="col">Name</th>
                        <th scope="col">Email</th>
                        <th scope="col">State</th>
                        <th scope="col">Last change</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${items.map(
                        (user, index) => html`<tr data-testid="scim-user-row">
                          <th scope="row" id="user-row-${index}" tabindex="-1">${user.userName}</th>
                          <td><span class="cell-label" aria-hidden="true">Name</span>${user.displayName || '—'}</td>
                          <td><span class="cell-label" aria-hidden="true">Email</span>${user.email}</td>
                          <td>
                            <span class="cell-label" aria-hidden="true">State</span>
                            <span class="badge ${user.active ? 'good' : 'warn'}">${user.active ? 'Active' : 'Suspended'}</span>
                          </td>
                          <td>
                            <span class="cell-label" aria-hidden="true">Last change</span>
                            <time datetime=${user.updatedAt} title=${formatDateTime(user.updatedAt)}>${relativeTime(user.updatedAt)}</time>
                          </td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                ${
                  hasNextPage
                    ? html`<button
                        class="secondary more"
                        type="button"
                        data-testid="scim-users-more"
                        aria-busy=${loading === 'more' ? 'true' : 'false'}
                        ?disabled=${loading !== null}
                        @click=${this.more}
                      >
                        ${loading === 'more' ? 'Loading…' : 'Load more users'}
                      </button>`
                    : nothing
                }`
      }`;
  }

  private readonly more = async (): Promise<void> => {
    const before = this.list.items?.length ?? 0;
    if (!(await this.list.more())) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#user-row-${before}`)?.focus();
  };
}
