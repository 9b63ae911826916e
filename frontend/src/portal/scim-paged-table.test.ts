import { html } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api.js';
import { byTestId, expectAccessible, focusedIn, mount, queryTestId, settle, typeInto } from '../testing/fixture.js';
import type { Page } from './scim-api.js';
import { SEARCH_DELAY_MS } from './scim-paged-list.js';
import { ScimPagedTable, type PagedTableWords } from './scim-paged-table.js';

interface Fruit {
  name: string;
}

/**
 * The least a list names: its words, a page from `answers` (recording what was asked), a row.
 * With no answer left, the page never arrives.
 */
class FruitTable extends ScimPagedTable<Fruit> {
  answers: (Page<Fruit> | Error)[] = [];
  readonly asked: { after: string | null; search: string }[] = [];

  protected readonly words: PagedTableWords = {
    key: 'fruits',
    rowKey: 'fruit',
    region: 'Fruit bowl',
    caption: 'Fruit in the bowl',
    searchLabel: 'Search fruit',
    columns: ['Fruit'],
    loading: 'Loading the fruit…',
    none: 'The bowl is empty.',
    noMatch: 'No fruit matches.',
    more: 'Load more fruit',
  };

  protected fetchPage(after: string | null) {
    this.asked.push({ after, search: this.search.trim() });
    const answer = this.answers.shift();
    if (answer === undefined) return new Promise<Page<Fruit>>(() => undefined);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  protected renderRow(fruit: Fruit, index: number) {
    return html`<tr data-testid="scim-fruit-row">
      <th scope="row" id=${this.rowId(index)} tabindex="-1">${fruit.name}</th>
    </tr>`;
  }
}
customElements.define('scim-paged-table-host', FruitTable);

declare global {
  interface HTMLElementTagNameMap {
    'scim-paged-table-host': FruitTable;
  }
}

afterEach(() => vi.useRealTimers());

const page = (names: string[], endCursor: string | null = null): Page<Fruit> => ({
  nodes: names.map((name) => ({ name })),
  endCursor,
  hasNextPage: endCursor !== null,
});

async function mountTable(...answers: (Page<Fruit> | Error)[]) {
  const element = document.createElement('scim-paged-table-host');
  element.answers = answers;
  document.body.append(element);
  await settle(element);
  return element;
}

const rowNames = (element: FruitTable) =>
  [...element.shadowRoot!.querySelectorAll('[data-testid="scim-fruit-row"] th')].map((cell) => cell.textContent);

describe('ScimPagedTable', () => {
  it('says it is loading until the first page arrives', async () => {
    const element = await mount('scim-paged-table-host');
    expect(byTestId(element, 'scim-fruits-loading').textContent).toBe('Loading the fruit…');
    expect(queryTestId(element, 'scim-fruits-table')).toBeNull();
  });

  it('shows the first page in a captioned table with its column headers, under a labelled search', async () => {
    const element = await mountTable(page(['Apple', 'Pear']));
    const table = byTestId(element, 'scim-fruits-table');
    expect(table.querySelector('caption')!.textContent).toBe('Fruit in the bowl');
    expect([...table.querySelectorAll('thead th')].map((cell) => cell.textContent)).toEqual(['Fruit']);
    expect(rowNames(element)).toEqual(['Apple', 'Pear']);
    expect(element.shadowRoot!.querySelector('[role="search"]')!.getAttribute('aria-label')).toBe('Fruit bowl');
    const search = byTestId<HTMLInputElement>(element, 'scim-fruits-search');
    expect(element.shadowRoot!.querySelector(`label[for="${search.id}"]`)!.textContent).toBe('Search fruit');
    expect(search.maxLength).toBe(200);
    expect(queryTestId(element, 'scim-fruits-more')).toBeNull();
    await expectAccessible(element);
  });

  it('loads the next page after the last cursor and moves focus to its first row', async () => {
    const element = await mountTable(page(['Apple'], 'cursor_1'), page(['Pear', 'Plum']));
    const more = byTestId<HTMLButtonElement>(element, 'scim-fruits-more');
    expect(more.textContent.trim()).toBe('Load more fruit');
    more.click();
    await settle(element);
    expect(element.asked.map((asked) => asked.after)).toEqual([null, 'cursor_1']);
    expect(rowNames(element)).toEqual(['Apple', 'Pear', 'Plum']);
    expect(focusedIn(element)?.id).toBe('fruit-row-1');
    expect(queryTestId(element, 'scim-fruits-more')).toBeNull();
  });

  it('says the list is empty, and once a search leaves nothing, that nothing matches', async () => {
    const element = await mountTable(page([]), page([]));
    expect(byTestId(element, 'scim-fruits-empty').textContent).toBe('The bowl is empty.');
    vi.useFakeTimers();
    typeInto(byTestId<HTMLInputElement>(element, 'scim-fruits-search'), ' kiwi ');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS + 10);
    vi.useRealTimers();
    await settle(element);
    expect(element.asked).toEqual([
      { after: null, search: '' },
      { after: null, search: 'kiwi' },
    ]);
    expect(byTestId(element, 'scim-fruits-empty').textContent).toBe('No fruit matches.');
  });

  it('shows the error and no table when the first page cannot be read', async () => {
    const element = await mountTable(new ApiError({ status: 403, code: 'FORBIDDEN', message: 'Not yours.' }));
    expect(byTestId(element, 'error-message').textContent).toContain('Not yours.');
    expect(queryTestId(element, 'scim-fruits-table')).toBeNull();
    expect(queryTestId(element, 'scim-fruits-empty')).toBeNull();
  });
});
