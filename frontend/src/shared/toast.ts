/**
 * Says that an action finished, without moving focus: a Shoelace toast (`<sl-alert>` in its
 * corner stack, announced by its role=alert) that closes itself. Where the toast cannot show
 * (no `<sl-alert>` defined, or its animation failed), the words go to a polite live region.
 */
import '@shoelace-style/shoelace/dist/components/alert/alert.js';
import '@shoelace-style/shoelace/dist/components/icon/icon.js';

export type ToastVariant = 'success' | 'danger';

export interface ToastOptions {
  variant?: ToastVariant;
  /** How long the toast stays, in milliseconds. */
  duration?: number;
}

/** Long enough to read a sentence twice. */
export const TOAST_DURATION_MS = 6000;

const ICON: Readonly<Record<ToastVariant, string>> = {
  success: 'check2-circle',
  danger: 'exclamation-octagon',
};

export const LIVE_REGION_ID = 'tn-toast-live';

/** Shows `message` as a toast: the `<sl-alert>`, or null when only the live region could say it. */
export function toast(message: string, options: ToastOptions = {}): HTMLElement | null {
  const { variant = 'success', duration = TOAST_DURATION_MS } = options;
  if (!customElements.get('sl-alert')) {
    announce(message);
    return null;
  }
  const alert = document.createElement('sl-alert');
  alert.variant = variant;
  alert.closable = true;
  alert.duration = duration;
  alert.dataset.testid = 'toast';
  const icon = document.createElement('sl-icon');
  icon.slot = 'icon';
  icon.name = ICON[variant];
  alert.append(icon, document.createTextNode(message));
  document.body.append(alert);
  void alert.toast().catch(() => {
    alert.remove();
    announce(message);
  });
  return alert;
}

/** Puts `message` in the page's polite live region, made on first use. */
export function announce(message: string): void {
  let region = document.getElementById(LIVE_REGION_ID);
  if (!region) {
    region = document.createElement('div');
    region.id = LIVE_REGION_ID;
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    region.dataset.testid = 'toast-live';
    // Visually hidden, as base-styles' .visually-hidden (CSSOM, which the CSP allows).
    Object.assign(region.style, {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clipPath: 'inset(50%)',
      whiteSpace: 'nowrap',
    });
    document.body.append(region);
  }
  // A change of text is what a live region announces: clear it first so the same words repeat.
  region.textContent = '';
  const target = region;
  setTimeout(() => (target.textContent = message), 50);
}
