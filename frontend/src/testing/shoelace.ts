/**
 * Shoelace in happy-dom: its animations finish at once (happy-dom rejects a cancelled animation's
 * `finished`, which Shoelace never awaits), and what an element asked to focus is recorded, since
 * happy-dom loses focus given to an element slotted into a Shoelace dialog.
 */
import { vi } from 'vitest';

/** Makes every `Element.animate` finish on the next task; call in `beforeEach`. */
export function instantAnimations(): void {
  vi.spyOn(Element.prototype, 'animate').mockImplementation(() => {
    const animation = new EventTarget();
    setTimeout(() => animation.dispatchEvent(new Event('finish')));
    return Object.assign(animation, { cancel: () => undefined, finished: Promise.resolve() }) as unknown as Animation;
  });
}

/**
 * Records each element `focus()` is called on. (happy-dom misreads focus on slotted elements, so
 * Shoelace's focus trap then focuses its own close button: the real browser is checked in e2e.)
 */
export function recordFocus(): { last: () => HTMLElement | undefined; all: HTMLElement[] } {
  const all: HTMLElement[] = [];
  const original = HTMLElement.prototype.focus;
  vi.spyOn(HTMLElement.prototype, 'focus').mockImplementation(function (this: HTMLElement, options) {
    all.push(this);
    original.call(this, options);
  });
  return { last: () => all.at(-1), all };
}
