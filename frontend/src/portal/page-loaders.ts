import { html, type ReactiveControllerHost } from 'lit';
import { errorAlert } from '../shared/error-alert.js';
import type { RouteId } from './routes.js';

/**
 * Each portal page's elements, as a chunk of its own: the portal's first download holds the
 * shell, and a page's code arrives when the page is first shown.
 */
export const PAGE_LOADERS: Record<RouteId, () => Promise<unknown>> = {
  organization: () => import('./tn-organization-settings.js'),
  domains: () => import('./tn-domains.js'),
  sso: () => import('./tn-sso-connections.js'),
  scim: () => import('./tn-scim-directories.js'),
  members: () => import('./tn-members.js'),
  'session-policy': () => import('./tn-session-policy.js'),
  profile: () => import('./tn-profile.js'),
  security: () => Promise.all([import('./tn-passkeys.js'), import('./tn-security.js')]),
};

export const PAGE_LOAD_FAILED =
  'This page did not load. Check your connection, then try again or reload the page.';

type PageState = 'loading' | 'loaded' | 'failed';

/**
 * Loads a page's elements the first time its route is shown, and renders "Loading…" while
 * they arrive, or an alert with Try again when the chunk failed to load.
 */
export class PageLoader {
  private readonly states = new Map<RouteId, PageState>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly loaders: Record<RouteId, () => Promise<unknown>> = PAGE_LOADERS,
  ) {}

  /** Whether `id`'s elements are defined; starts loading them when they are not. */
  ready(id: RouteId): boolean {
    if (!this.states.has(id)) void this.load(id);
    return this.states.get(id) === 'loaded';
  }

  /** What shows in the page's place until it is ready. */
  placeholder(id: RouteId) {
    if (this.states.get(id) !== 'failed') {
      return html`<p class="status" role="status" aria-busy="true" data-testid="page-loading">
        Loading…
      </p>`;
    }
    return html`${errorAlert({ code: 'page_load_failed', message: PAGE_LOAD_FAILED })}
      <button class="secondary" type="button" data-testid="page-retry" @click=${() => this.retry(id)}>
        Try again
      </button>`;
  }

  private retry(id: RouteId): void {
    void this.load(id);
    this.host.requestUpdate();
  }

  private async load(id: RouteId): Promise<void> {
    this.states.set(id, 'loading');
    try {
      await this.loaders[id]();
      this.states.set(id, 'loaded');
    } catch (error) {
      console.error(error);
      this.states.set(id, 'failed');
    }
    this.host.requestUpdate();
  }
}

