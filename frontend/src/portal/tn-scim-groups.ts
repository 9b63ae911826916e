import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { formatDateTime } from './dates.js';
import { portalStyles } from './portal-styles.js';
import { ScimApi, SEARCH_MAX, type DirectoryGroup } from './scim-api.js';
import { scimListStyles } from './scim-list-styles.js';
import { PagedList } from './scim-paged-list.js';
import { relativeTime } from './scim-time.js';

declare global {
  interface HTMLElementTagNameMap {
    'tn-scim-groups': TnScimGroups;
  }
}

/**
 * @summary The groups a directory pushed, with how many members each has and the last change;
 * searchable, paged with "Load more".
 *
 * @cssproperty --tn-muted - Column headers and borders.
 */
@customElement('tn-scim-groups')
export class TnScimGroups extends LitElement {
  static override styles = [baseStyles, portalStyles, scimListStyles];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directoryId = '';

  @state() private search = '';

  private readonly list = new PagedList<DirectoryGroup>(this, (after, signal) =>
    this.api.groups(this.directoryId, this.search.trim(), after, { signal }),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list.reload();
  }

  protected override render() {
    const { items, loading, error, hasNextPage } = this.list;
    return html`<div class="filters" role="search" aria-label="Pushed groups">
        <div class="field">
          <label for="groups-search">Search groups</label>
          <input
            id="groups-search"
            type="search"
            maxlength=${SEARCH_MAX}
            autocomplete="off"
            spellcheck="false"
            data-testid="scim-groups-search"
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
            ? html`<p class="status" role="status" aria-busy="true">Loading the groups…</p>`
            : nothing
          : items.length === 0
            ? html`<p class="hint" role="status" data-testid="scim-groups-empty">
                ${this.search.trim() ? 'No groups match.' : 'No groups pushed yet.'}
              </p>`
            : html`<div class="table-wrap">
                  <table data-testid="scim-groups-table">
                    <caption class="visually-hidden">Pushed groups</caption>
                    <thead>
                      <tr>
                        <th scope="col">Group</th>
                        <th scope="col">Members</th>
                        <th scope="col">Last change</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${items.map(
                        (group, index) => html`<tr data-testid="scim-group-row">
                          <th scope="row" id="group-row-${index}" tabindex="-1">${group.displayName}</th>
                          <td><span class="cell-label" aria-hidden="true">Members</span>${group.memberCount}</td>
                          <td>
                            <span class="cell-label" aria-hidden="true">Last change</span>
                            <time datetime=${group.updatedAt} title=${formatDateTime(group.updatedAt)}>${relativeTime(group.updatedAt)}</time>
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
                        data-testid="scim-groups-more"
                        aria-busy=${loading === 'more' ? 'true' : 'false'}
                        ?disabled=${loading !== null}
                        @click=${this.more}
                      >
                        ${loading === 'more' ? 'Loading…' : 'Load more groups'}
                      </button>`
                    : nothing
                }`
      }`;
  }

  private readonly more = async (): Promise<void> => {
    const before = this.list.items?.length ?? 0;
    if (!(await this.list.more())) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#group-row-${before}`)?.focus();
  };
}
