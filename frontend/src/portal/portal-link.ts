/**
 * A link to another portal page that moves within the page like the navigation does: the
 * portal follows the History API (`popstate`), so the address changes without a reload. A
 * modified click (new tab, download) is left to the browser.
 */
import { html } from 'lit';
import { ROUTES, isModifiedClick, type RouteId } from './routes.js';

export function followPortalLink(event: MouseEvent, path: string): void {
  if (isModifiedClick(event)) return;
  event.preventDefault();
  if (window.location.pathname !== path) window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** `<a>` to the page `id`, its text `text` (the page's own label by default). */
export function portalLink(id: RouteId, text?: string, testid = `link-${id}`) {
  const route = ROUTES.find((candidate) => candidate.id === id)!;
  return html`<a
    href=${route.path}
    data-testid=${testid}
    @click=${(event: MouseEvent) => followPortalLink(event, route.path)}
    >${text ?? route.label}</a
  >`;
}
