import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { formatDateTime } from './dates.js';
import type { ProvisioningEntry } from './scim-api.js';
import { ScimPagedTable, type PagedTableWords } from './scim-paged-table.js';
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
export class TnScimLog extends ScimPagedTable<ProvisioningEntry> {
  static override styles = [
    ScimPagedTable.styles,
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

  @state() private failedOnly = false;

  protected readonly words: PagedTableWords = {
    key: 'log',
    rowKey: 'log',
    region: 'Provisioning log',
    caption: 'Provisioning log, newest first',
    searchLabel: 'Search by person, group or id',
    columns: ['Time', 'Operation', 'Resource', 'Subject', 'Status', 'Error'],
    loading: 'Loading the log…',
    none: 'No requests yet. Entries appear here as soon as the identity provider sends one.',
    noMatch: 'No requests match.',
    more: 'Load more',
  };

  /** Reads the newest entries again. */
  refresh(): Promise<void> {
    return this.list.reload();
  }

  protected fetchPage(after: string | null, signal: AbortSignal) {
    return this.api.log(this.directoryId, { failedOnly: this.failedOnly, search: this.search.trim() }, after, {
      signal,
    });
  }

  protected override get filtered(): boolean {
    return this.failedOnly || super.filtered;
  }

  protected override render() {
    return html`<p class="hint">
        Every request of the identity provider that changed something or failed, newest first,
        kept for 30 days.
      </p>
      ${super.render()}`;
  }

  protected override renderFilters() {
    return html`<div class="field">
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
      ${this.renderSearch()}
      <button class="secondary" type="button" data-testid="scim-log-refresh" ?disabled=${this.list.loading !== null} @click=${() => this.refresh()}>
        Refresh
      </button>`;
  }

  protected renderRow(entry: ProvisioningEntry, index: number) {
    const failed = entry.outcome === 'FAILED';
    const detail = errorDetail(entry);
    return html`<tr data-testid="scim-log-row" data-outcome=${entry.outcome}>
      <th scope="row" id=${this.rowId(index)} tabindex="-1">
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
}
