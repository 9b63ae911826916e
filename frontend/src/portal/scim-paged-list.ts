/**
 * A list the server pages, shown page by page: the first page for the current search and filter,
 * then "Load more" appends the next. A new search starts again from the first page, and an answer
 * to a search that was replaced meanwhile is dropped, so a slow first answer never overwrites a
 * newer one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toProblem, type Problem } from '../shared/request-controller.js';
import type { Page } from './scim-api.js';

/** How long typing pauses before the search is sent. */
export const SEARCH_DELAY_MS = 300;

export type PageFetcher<T> = (after: string | null, signal: AbortSignal) => Promise<Page<T>>;

export class PagedList<T> implements ReactiveController {
  /** What is shown, or null until the first page arrives. */
  items: T[] | null = null;
  hasNextPage = false;
  /** Which request runs: the first page or the next one. */
  loading: 'first' | 'more' | null = null;
  error: Problem | null = null;

  private endCursor: string | null = null;
  private generation = 0;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetchPage: PageFetcher<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  /** Reads the first page again (a new search or filter, or Try again). */
  async reload(): Promise<void> {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.items = null;
    this.endCursor = null;
    await this.load('first');
  }

  /** Reloads once typing pauses. */
  reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), SEARCH_DELAY_MS);
  }

  /** Appends the next page; answers how many items it added. */
  async more(): Promise<number> {
    if (!this.hasNextPage || this.loading) return 0;
    const before = this.items?.length ?? 0;
    await this.load('more');
    return (this.items?.length ?? 0) - before;
  }

  private async load(kind: 'first' | 'more'): Promise<void> {
    const generation = ++this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.loading = kind;
    this.error = null;
    this.host.requestUpdate();
    try {
      const page = await this.fetchPage(kind === 'more' ? this.endCursor : null, controller.signal);
      if (generation !== this.generation) return;
      this.items = kind === 'more' ? [...(this.items ?? []), ...page.nodes] : page.nodes;
      this.endCursor = page.endCursor;
      this.hasNextPage = page.hasNextPage && page.endCursor !== null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = toProblem(error);
      if (kind === 'first') this.items = null;
    } finally {
      if (generation === this.generation) {
        this.loading = null;
        this.host.requestUpdate();
      }
    }
  }
}
