import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, mount, queryTestId, settle } from '../testing/fixture.js';
import { PAGE_LOAD_FAILED, PAGE_LOADERS, PageLoader } from './page-loaders.js';
import { ROUTES, type RouteId } from './routes.js';

/** Chunks the test settles by hand: each load waits until the test resolves or rejects it. */
function manualLoaders() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const load = vi.fn(
    () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  );
  const loaders = Object.fromEntries(ROUTES.map(({ id }) => [id, load as () => Promise<unknown>]));
  return { loaders: loaders as Record<RouteId, () => Promise<unknown>>, load, pending };
}

let loaders: Record<RouteId, () => Promise<unknown>> = PAGE_LOADERS;

@customElement('tn-page-loader-host')
class PageLoaderHost extends LitElement {
  readonly pages = new PageLoader(this, loaders);

  protected override render() {
    return this.pages.ready('members')
      ? html`<p data-testid="page">Members</p>`
      : this.pages.placeholder('members');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-page-loader-host': PageLoaderHost;
  }
}

describe('PageLoader', () => {
  it('names a chunk for every route, each defining the elements its page renders', async () => {
    expect(Object.keys(PAGE_LOADERS).sort()).toEqual(ROUTES.map(({ id }) => id).sort());
    await PAGE_LOADERS.members();
    await PAGE_LOADERS.security();

    expect(customElements.get('tn-members')).toBeDefined();
    expect(customElements.get('tn-passkeys')).toBeDefined();
    expect(customElements.get('tn-security')).toBeDefined();
  });

  it('shows Loading… until the page chunk arrives, then the page, loading it once', async () => {
    const manual = manualLoaders();
    loaders = manual.loaders;
    const host = await mount('tn-page-loader-host');

    const loading = byTestId(host, 'page-loading');
    expect(loading.textContent?.trim()).toBe('Loading…');
    expect(loading.getAttribute('role')).toBe('status');
    expect(queryTestId(host, 'page')).toBeNull();

    manual.pending[0].resolve();
    await settle(host);
    expect(byTestId(host, 'page').textContent).toBe('Members');
    host.requestUpdate();
    await settle(host);
    expect(manual.load).toHaveBeenCalledTimes(1);
  });

  it('shows an alert with Try again when the chunk fails, and Try again loads it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const manual = manualLoaders();
    loaders = manual.loaders;
    const host = await mount('tn-page-loader-host');
    manual.pending[0].reject(new TypeError('Failed to fetch dynamically imported module'));
    await settle(host);

    expect(byTestId(host, 'error-message').textContent).toContain(PAGE_LOAD_FAILED);
    await expectAccessible(host);
    byTestId<HTMLButtonElement>(host, 'page-retry').click();
    await settle(host);
    expect(byTestId(host, 'page-loading')).not.toBeNull();
    expect(queryTestId(host, 'error-message')).toBeNull();

    manual.pending[1].resolve();
    await settle(host);
    expect(byTestId(host, 'page').textContent).toBe('Members');
    expect(manual.load).toHaveBeenCalledTimes(2);
  });
});
