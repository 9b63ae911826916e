import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { formatDateTime } from './dates.js';
import type { DirectoryUser } from './scim-api.js';
import { ScimPagedTable, type PagedTableWords } from './scim-paged-table.js';
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
export class TnScimUsers extends ScimPagedTable<DirectoryUser> {
  protected readonly words: PagedTableWords = {
    key: 'users',
    rowKey: 'user',
    region: 'Provisioned users',
    caption: 'Provisioned users',
    searchLabel: 'Search users',
    columns: ['User name', 'Name', 'Email', 'State', 'Last change'],
    loading: 'Loading the users…',
    none: 'No users provisioned yet.',
    noMatch: 'No users match.',
    more: 'Load more users',
  };

  protected fetchPage(after: string | null, signal: AbortSignal) {
    return this.api.users(this.directoryId, this.search.trim(), after, { signal });
  }

  protected renderRow(user: DirectoryUser, index: number) {
    return html`<tr data-testid="scim-user-row">
      <th scope="row" id=${this.rowId(index)} tabindex="-1">${user.userName}</th>
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
    </tr>`;
  }
}
