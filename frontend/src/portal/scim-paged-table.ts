/**
 * What the directory's lists (provisioning log, users, groups) share, written once: the search
 * field, the loading and empty states, the table with its caption and column headers, and "Load
 * more", which moves focus to the first new row. Each list is its own element extending this
 * class: it names its words and ids, fetches a page and renders a row.
 */
import { LitElement, html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { portalStyles } from './portal-styles.js';
import { ScimApi, SEARCH_MAX, type Page } from './scim-api.js';
import { scimListStyles } from './scim-list-styles.js';
import { PagedList } from './scim-paged-list.js';

/** The words a list shows and the key its ids and data-testids are made from. */
export interface PagedTableWords {
  /** 'users': the search field #users-search; data-testids scim-users-search, -loading, -empty, -table, -more. */
  key: string;
  /** 'user': each row is data-testid scim-user-row, its header cell id user-row-<index>. */
  rowKey: string;
  /** The name of the search landmark around the filters. */
  region: string;
  /** The table's caption, for screen readers. */
  caption: string;
  searchLabel: string;
  columns: readonly string[];
  loading: string;
  /** Said when the list is empty with no filter applied. */
  none: string;
  /** Said when a filter leaves nothing. */
  noMatch: string;
  more: string;
}

/** A searchable, server-paged table of one directory's rows; not an element on its own. */
export abstract class ScimPagedTable<T> extends LitElement {
  static override styles: CSSResultGroup = [baseStyles, portalStyles, scimListStyles];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directoryId = '';

  @state() protected search = '';

  protected abstract readonly words: PagedTableWords;

  protected readonly list = new PagedList<T>(this, (after, signal) => this.fetchPage(after, signal));

  /** One page of the directory's rows for the current search and filters. */
  protected abstract fetchPage(after: string | null, signal: AbortSignal): Promise<Page<T>>;

  /** One `<tr>`, whose row header has the id `rowId(index)` and tabindex -1 (Load more focuses it). */
  protected abstract renderRow(item: T, index: number): TemplateResult;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list.reload();
  }

  /** Whether a filter is applied, so that an empty list says "No … match." */
  protected get filtered(): boolean {
    return this.search.trim() !== '';
  }

  protected rowId(index: number): string {
    return `${this.words.rowKey}-row-${index}`;
  }

  protected override render() {
    const { items, loading, error } = this.list;
    const { key, region, loading: loadingText, none, noMatch } = this.words;
    return html`<div class="filters" role="search" aria-label=${region}>${this.renderFilters()}</div>
      ${errorAlert(error)}
      ${
        items === null
          ? loading
            ? html`<p class="status" role="status" aria-busy="true" data-testid="scim-${key}-loading">${loadingText}</p>`
            : nothing
          : items.length === 0
            ? html`<p class="hint" role="status" data-testid="scim-${key}-empty">${this.filtered ? noMatch : none}</p>`
            : this.renderTable(items)
      }`;
  }

  /** The fields inside the search landmark: the search alone, unless a list adds filters. */
  protected renderFilters(): TemplateResult {
    return this.renderSearch();
  }

  /** The search field; typing reloads the first page once it pauses. */
  protected renderSearch(): TemplateResult {
    const { key, searchLabel } = this.words;
    return html`<div class="field">
      <label for="${key}-search">${searchLabel}</label>
      <input
        id="${key}-search"
        type="search"
        maxlength=${SEARCH_MAX}
        autocomplete="off"
        spellcheck="false"
        data-testid="scim-${key}-search"
        .value=${live(this.search)}
        @input=${(event: InputEvent) => {
          this.search = (event.target as HTMLInputElement).value;
          this.list.reloadSoon();
        }}
      />
    </div>`;
  }

  private renderTable(items: readonly T[]) {
    const { hasNextPage, loading } = this.list;
    const { key, caption, columns, more } = this.words;
    return html`<div class="table-wrap">
        <table data-testid="scim-${key}-table" aria-busy=${loading ? 'true' : 'false'}>
          <caption class="visually-hidden">${caption}</caption>
          <thead>
            <tr>
              ${columns.map((column) => html`<th scope="col">${column}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${items.map((item, index) => this.renderRow(item, index))}
          </tbody>
        </table>
      </div>
      ${
        hasNextPage
          ? html`<button
              class="secondary more"
              type="button"
              data-testid="scim-${key}-more"
              aria-busy=${loading === 'more' ? 'true' : 'false'}
              ?disabled=${loading !== null}
              @click=${this.more}
            >
              ${loading === 'more' ? 'Loading…' : more}
            </button>`
          : nothing
      }`;
  }

  /** Appends the next page and moves focus to its first row, so keyboard users continue there. */
  private readonly more = async (): Promise<void> => {
    const before = this.list.items?.length ?? 0;
    if (!(await this.list.more())) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${this.rowId(before)}`)?.focus();
  };
}
