import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { formatDateTime } from './dates.js';
import { portalStyles } from './portal-styles.js';
import { ScimApi, SEARCH_MAX, type ProvisioningEntry } from './scim-api.js';
import { scimListStyles } from './scim-list-styles.js';
import { PagedList } from './scim-paged-list.js';
import { relativeTime } from './scim-time.js';

declare global {
  interface HTMLElementTagNameMap {
    'tn-scim-log': TnScimLog;
  }
}

/** "Created", "Replaced" …: the operation as people read it. */
export const OPERATION_LABELS: Readonly<Record<string, string>> = {
  create: 'Create',
  replace: 'Replace',
  patch: 'Update',
  delete: 'Delete',
  read: 'Read',
  search: 'Search',
  discovery: 'Discovery',
};

/** What went wrong, in one line: the SCIM error type and the detail, when there are any. */
export function errorDetail(entry: ProvisioningEntry): string {
  return [entry.scimType, entry.detail].filter(Boolean).join(': ');
}

/**
 * @summary A directory's provisioning log, newest first: when (relative, the exact time in its
 * title), the operation, the resource, who it was about, the HTTP status and what went wrong.
 * Filters to failed requests, searches the subject or resource id, and pages with "Load more".
 *
 * @cssproperty --tn-danger - Failed requests.
 * @cssproperty --tn-muted - Column headers and borders.
 */
@customElement('tn-scim-log')
export class TnScimLog extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    scimListStyles,
    css`
      .filters select {
        width: auto;
      }
      .detail {
        max-width: 22rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directoryId = '';

  @state() private failedOnly = false;
  @state() private search = '';

  private readonly list = new PagedList<ProvisioningEntry>(this, (after, signal) =>
    this.api.log(this.directoryId, { failedOnly: this.failedOnly, search: this.search.trim() }, after, {
      signal,
    }),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list.reload();
  }

  /** Reads the newest entries again. */
  refresh(): Promise<void> {
    return this.list.reload();
  }

  protected override render() {
    const { items, loading, error } = this.list;
    return html`<p class="hint">
        Every request of the identity provider that changed something or failed, newest first,
        kept for 30 days.
      </p>
      <div class="filters" role="search" aria-label="Provisioning log">
        <div class="field">
          <label for="log-outcome">Show</label>
          <select
            id="log-outcome"
            data-testid="scim-log-outcome"
            .value=${live(this.failedOnly ? 'failed' : 'all')}
            @change=${(event: Event) => {
              this.failedOnly = (event.target as HTMLSelectElement).value === 'failed';
              void this.list.reload();
            }}
          >
            <option value="all">All requests</option>
            <option value="failed">Failed requests</option>
          </select>
        </div>
        <div class="field">
          <label for="log-search">Search by person, group or id</label>
          <input
            id="log-search"
            type="search"
            maxlength=${SEARCH_MAX}
            autocomplete="off"
            spellcheck="false"
            data-testid="scim-log-search"
            .value=${live(this.search)}
            @input=${(event: InputEvent) => {
              this.search = (event.target as HTMLInputElement).value;
              this.list.reloadSoon();
            }}
          />
        </div>
        <button class="secondary" type="button" data-testid="scim-log-refresh" ?disabled=${loading !== null} @click=${() => this.refresh()}>
          Refresh
        </button>
      </div>
      ${errorAlert(error)}
      ${
        items === null
          ? loading
            ? html`<p class="status" role="status" aria-busy="true" data-testid="scim-log-loading">Loading the log…</p>`
            : nothing
          : items.length === 0
            ? html`<p class="hint" role="status" data-testid="scim-log-empty">
                ${
                  this.failedOnly || this.search.trim()
                    ? 'No requests match.'
                    : 'No requests yet. Entries appear here as soon as the identity provider sends one.'
                }
              </p>`
            : this.renderTable(items)
      }`;
  }

  private renderTable(entries: readonly ProvisioningEntry[]) {
    const { hasNextPage, loading } = this.list;
    return html`<div class="table-wrap">
        <table data-testid="scim-log-table" aria-busy=${loading ? 'true' : 'false'}>
          <caption class="visually-hidden">Provisioning log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operation</th>
              <th scope="col">Resource</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map((entry, index) => this.renderEntry(entry, index))}
          </tbody>
        </table>
      </div>
      ${
        hasNextPage
          ? html`<button
              class="secondary more"
              type="button"
              data-testid="scim-log-more"
              aria-busy=${loading === 'more' ? 'true' : 'false'}
              ?disabled=${loading !== null}
              @click=${this.more}
            >
              ${loading === 'more' ? 'Loading…' : 'Load more'}
            </button>`
          : nothing
      }`;
  }

  private renderEntry(entry: ProvisioningEntry, index: number) {
    const failed = entry.outcome === 'FAILED';
    const detail = errorDetail(entry);
    return html`<tr data-testid="scim-log-row" data-outcome=${entry.outcome}>
      <th scope="row" id="log-row-${index}" tabindex="-1">
        <span class="cell-label" aria-hidden="true">Time</span>
        <time datetime=${entry.at} title=${formatDateTime(entry.at)}>${relativeTime(entry.at)}</time>
      </th>
      <td>
        <span class="cell-label" aria-hidden="true">Operation</span>
        ${OPERATION_LABELS[entry.operation] ?? entry.operation} <span class="hint">(${entry.method})</span>
      </td>
      <td>
        <span class="cell-label" aria-hidden="true">Resource</span>
        ${entry.resourceType || '—'}${entry.resourceId ? html` <code>${entry.resourceId}</code>` : nothing}
      </td>
      <td><span class="cell-label" aria-hidden="true">Subject</span>${entry.subject || '—'}</td>
      <td>
        <span class="cell-label" aria-hidden="true">Status</span>
        <span class="badge ${failed ? 'warn' : 'good'}" data-testid="scim-log-status"
          >${entry.status}<span class="visually-hidden"> ${failed ? 'failed' : 'succeeded'}</span></span
        >
      </td>
      <td class="detail" data-testid="scim-log-detail">
        <span class="cell-label" aria-hidden="true">Error</span>${detail || (failed ? 'No detail' : '—')}
      </td>
    </tr>`;
  }

  private readonly more = async (): Promise<void> => {
    const before = this.list.items?.length ?? 0;
    const added = await this.list.more();
    if (!added) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#log-row-${before}`)?.focus();
  };
}
