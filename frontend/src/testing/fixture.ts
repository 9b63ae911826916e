/** Mounting elements into happy-dom and reaching into their shadow roots. */
import axe from 'axe-core';
import { afterEach, expect, vi } from 'vitest';
import type { LitElement } from 'lit';

export const CSRF_TOKEN = 'csrf-token-for-tests';

afterEach(() => {
  document.body.replaceChildren();
  document.head.replaceChildren();
});

/** Puts the server's CSRF meta tag in the document, as the HTML shell does. */
export function setCsrfMeta(token = CSRF_TOKEN): void {
  const meta = document.createElement('meta');
  meta.name = 'csrf-token';
  meta.content = token;
  document.head.append(meta);
}

/** Creates `tag`, sets `properties`, attaches it to the document and waits for its render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
): Promise<HTMLElementTagNameMap[K]> {
  const element = document.createElement(tag);
  Object.assign(element, properties);
  document.body.append(element);
  await (element as unknown as LitElement).updateComplete;
  return element;
}

/** The element with `data-testid` in `host`'s shadow root, or null. */
export function queryTestId<T extends HTMLElement = HTMLElement>(host: Element, id: string): T | null {
  return host.shadowRoot!.querySelector<T>(`[data-testid="${id}"]`);
}

/** Like `queryTestId`, but fails the test when the element is missing. */
export function byTestId<T extends HTMLElement = HTMLElement>(host: Element, id: string): T {
  const found = queryTestId<T>(host, id);
  if (!found) throw new Error(`No [data-testid="${id}"] in <${host.localName}>`);
  return found;
}

/** Types into an input the way a browser reports it: set the value, then fire `input`. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Lets pending promises (fetch, JSON parsing, Lit updates) settle. */
export async function settle(host?: Element): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (host) await (host as LitElement).updateComplete;
  }
}

/** The element focused inside `host`'s shadow root. */
export function focusedIn(host: Element): Element | null {
  return host.shadowRoot!.activeElement;
}

/** Stubs `window.location.assign`, so that leaving the page can be observed. */
export function stubLocationAssign() {
  return vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
}

/**
 * Runs axe-core over `host` and its shadow root. Colour contrast needs real layout, which
 * happy-dom lacks; it is checked in a browser instead.
 */
export async function expectAccessible(host: Element): Promise<void> {
  const results = await axe.run(host, {
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  const violations = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
  expect(violations).toEqual([]);
}
