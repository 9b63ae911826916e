/**
 * Leaves the page for a location the server chose. Only http(s) locations are followed, so a
 * tampered answer cannot run a `javascript:` URL in this origin.
 */
export function navigateTo(location: string): void {
  const url = new URL(location, window.location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Refusing to navigate to a ${url.protocol} location`);
  }
  window.location.assign(location);
}
