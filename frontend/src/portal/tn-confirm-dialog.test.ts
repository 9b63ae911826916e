import { html, render } from 'lit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api.js';
import { byTestId, expectAccessible, settle } from '../testing/fixture.js';
import { instantAnimations, recordFocus } from '../testing/shoelace.js';
import type { TnConfirmDialog } from './tn-confirm-dialog.js';
import './tn-confirm-dialog.js';

/** A page with an opener button and the dialog, as an element's template renders them. */
async function mountDialog(action: () => Promise<unknown>, field = false) {
  const host = document.createElement('div');
  document.body.append(host);
  render(
    html`<button id="opener">Actions for Ada</button>
      <tn-confirm-dialog heading="Remove Ada?" confirm-label="Remove Ada" variant="danger" .action=${action}>
        <p>Ada loses access.</p>
        ${field ? html`<input id="field" aria-label="Role" autofocus />` : ''}
      </tn-confirm-dialog>`,
    host,
  );
  const dialog = host.querySelector('tn-confirm-dialog')!;
  const opener = host.querySelector<HTMLButtonElement>('#opener')!;
  await dialog.updateComplete;
  return { dialog, opener };
}

async function open(dialog: TnConfirmDialog, opener: HTMLElement) {
  opener.focus();
  await dialog.show(opener);
  await settle(dialog);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await settle(dialog);
}

beforeEach(() => instantAnimations());

const slDialog = (dialog: TnConfirmDialog) => dialog.shadowRoot!.querySelector('sl-dialog')!;

describe('tn-confirm-dialog', () => {
  describe('opening', () => {
    it('shows the heading, the slotted body and a confirm button naming the change', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined));
      await open(dialog, opener);
      expect(dialog.open).toBe(true);
      expect(slDialog(dialog).getAttribute('label')).toBe('Remove Ada?');
      expect(byTestId(dialog, 'dialog-confirm').textContent.trim()).toBe('Remove Ada');
      expect(byTestId(dialog, 'dialog-confirm').className).toBe('danger');
      expect(dialog.textContent).toContain('Ada loses access.');
    });

    it('puts focus on Cancel, the safe choice', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined));
      const focus = recordFocus();
      await open(dialog, opener);
      expect(focus.all).toContain(byTestId(dialog, 'dialog-cancel'));
      expect(focus.all).not.toContain(byTestId(dialog, 'dialog-confirm'));
    });

    it('puts focus on a slotted field marked autofocus', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined), true);
      const focus = recordFocus();
      await open(dialog, opener);
      expect(focus.all.map((element) => element.id)).toContain('field');
      expect(focus.all).not.toContain(byTestId(dialog, 'dialog-cancel'));
    });

    it('passes the accessibility checks while open', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined));
      await open(dialog, opener);
      await expectAccessible(dialog);
    });
  });

  describe('closing', () => {
    it('closes on Cancel and gives focus back to the opener', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined));
      await open(dialog, opener);
      const cancelled = vi.fn();
      dialog.addEventListener('tn-dialog-cancel', cancelled);
      byTestId(dialog, 'dialog-cancel').click();
      slDialog(dialog).dispatchEvent(new CustomEvent('sl-after-hide'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(dialog.open).toBe(false);
      expect(cancelled).toHaveBeenCalledOnce();
      expect(document.activeElement).toBe(opener);
    });

    it('cancels when Shoelace asks to close (Escape, the overlay)', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(undefined));
      await open(dialog, opener);
      const request = new CustomEvent('sl-request-close', { cancelable: true, detail: { source: 'keyboard' } });
      slDialog(dialog).dispatchEvent(request);
      expect(request.defaultPrevented).toBe(true);
      expect(dialog.open).toBe(false);
    });
  });

  describe('confirming', () => {
    it('runs the action, marks the button busy meanwhile, then closes', async () => {
      let finish!: () => void;
      const action = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
      const { dialog, opener } = await mountDialog(action);
      await open(dialog, opener);
      const confirmed = vi.fn();
      dialog.addEventListener('tn-dialog-confirmed', confirmed);

      byTestId(dialog, 'dialog-confirm').click();
      await settle(dialog);
      expect(action).toHaveBeenCalledOnce();
      expect(byTestId(dialog, 'dialog-confirm').getAttribute('aria-busy')).toBe('true');
      expect(byTestId<HTMLButtonElement>(dialog, 'dialog-cancel').disabled).toBe(true);
      // Escape waits while the request runs.
      const request = new CustomEvent('sl-request-close', { cancelable: true, detail: { source: 'keyboard' } });
      slDialog(dialog).dispatchEvent(request);
      expect(dialog.open).toBe(true);

      finish();
      await settle(dialog);
      expect(confirmed).toHaveBeenCalledOnce();
      expect(dialog.open).toBe(false);
    });

    it('shows a failure inside the dialog, focused, and stays open', async () => {
      const action = () =>
        Promise.reject(new ApiError({ status: 200, code: 'LAST_ADMIN', message: 'Ada is the last admin.' }));
      const { dialog, opener } = await mountDialog(action);
      await open(dialog, opener);
      const focus = recordFocus();
      byTestId(dialog, 'dialog-confirm').click();
      await settle(dialog);
      expect(dialog.open).toBe(true);
      const alert = byTestId(dialog, 'error-message');
      expect(alert.textContent).toContain('Ada is the last admin.');
      expect(focus.all).toContain(alert);
    });

    it('stays open when the action answers false', async () => {
      const { dialog, opener } = await mountDialog(() => Promise.resolve(false));
      await open(dialog, opener);
      byTestId(dialog, 'dialog-confirm').click();
      await settle(dialog);
      expect(dialog.open).toBe(true);
    });

    it('forgets the last error when opened again', async () => {
      const action = () => Promise.reject(new ApiError({ status: 200, code: 'X', message: 'No.' }));
      const { dialog, opener } = await mountDialog(action);
      await open(dialog, opener);
      byTestId(dialog, 'dialog-confirm').click();
      await settle(dialog);
      await dialog.hide();
      await open(dialog, opener);
      expect(dialog.shadowRoot!.querySelector('[data-testid="error-message"]')).toBeNull();
    });
  });
});
