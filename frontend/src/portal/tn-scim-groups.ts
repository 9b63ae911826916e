import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { formatDateTime } from './dates.js';
import type { DirectoryGroup } from './scim-api.js';
import { ScimPagedTable, type PagedTableWords } from './scim-paged-table.js';
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
export class TnScimGroups extends ScimPagedTable<DirectoryGroup> {
  protected readonly words: PagedTableWords = {
    key: 'groups',
    rowKey: 'group',
    region: 'Pushed groups',
    caption: 'Pushed groups',
    searchLabel: 'Search groups',
    columns: ['Group', 'Members', 'Last change'],
    loading: 'Loading the groups…',
    none: 'No groups pushed yet.',
    noMatch: 'No groups match.',
    more: 'Load more groups',
  };

  protected fetchPage(after: string | null, signal: AbortSignal) {
    return this.api.groups(this.directoryId, this.search.trim(), after, { signal });
  }

  protected renderRow(group: DirectoryGroup, index: number) {
    return html`<tr data-testid="scim-group-row">
      <th scope="row" id=${this.rowId(index)} tabindex="-1">${group.displayName}</th>
      <td><span class="cell-label" aria-hidden="true">Members</span>${group.memberCount}</td>
      <td>
        <span class="cell-label" aria-hidden="true">Last change</span>
        <time datetime=${group.updatedAt} title=${formatDateTime(group.updatedAt)}>${relativeTime(group.updatedAt)}</time>
      </td>
    </tr>`;
  }
}
