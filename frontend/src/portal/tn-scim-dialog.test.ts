import { html, render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, settle } from '../testing/fixture.js';
import type { TnScimDialog } from './tn-scim-dialog.js';
import './tn-scim-dialog.js';

/** An opener button and the dialog, with a slotted field when `withField`. */
async function setUp(withField = false) {
  const host = document.createElement('div');
  document.body.append(host);
  render(
    html`<button id="opener">Open</button>
      <tn-scim-dialog heading="Rotate the token?" confirm-label="Rotate token" tone="primary">
        <p>A new token is made.</p>
        ${withField ? html`<label for="minutes">Minutes</label><input id="minutes" autofocus />` : ''}
      </tn-scim-dialog>`,
    host,
  );
  const dialog = host.querySelector('tn-scim-dialog')!;
  await dialog.updateComplete;
  const opener = host.querySelector<HTMLButtonElement>('#opener')!;
  opener.focus();
  return { dialog, opener, host };
}

const inner = (dialog: TnScimDialog) => dialog.shadowRoot!.querySelector('dialog')!;

describe('<tn-scim-dialog>', () => {
  it('opens modal, named by its heading, with focus on Cancel', async () => {
    const { dialog } = await setUp();
    await dialog.show();
    expect(dialog.open).toBe(true);
    expect(inner(dialog).getAttribute('aria-labelledby')).toBe('dialog-heading');
    expect(dialog.shadowRoot!.getElementById('dialog-heading')!.textContent).toBe('Rotate the token?');
    expect(dialog.shadowRoot!.activeElement).toBe(byTestId(dialog, 'dialog-cancel'));
    await expectAccessible(dialog);
  });

  it('opens on a slotted field marked autofocus', async () => {
    const { dialog, host } = await setUp(true);
    await dialog.show();
    expect(document.activeElement).toBe(host.querySelector('#minutes'));
  });

  it('cancels with Cancel or Escape and gives focus back to what opened it', async () => {
    const { dialog, opener } = await setUp();
    const cancelled = vi.fn();
    dialog.addEventListener('tn-dialog-cancel', cancelled);
    await dialog.show();
    inner(dialog).dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(dialog.open).toBe(false);
    expect(document.activeElement).toBe(opener);

    await dialog.show(opener);
    byTestId(dialog, 'dialog-cancel').click();
    expect(dialog.open).toBe(false);
    expect(cancelled).toHaveBeenCalledTimes(2);
  });

  it('asks its host to confirm, and waits while the confirmed request runs', async () => {
    const { dialog } = await setUp();
    const confirmed = vi.fn();
    dialog.addEventListener('tn-dialog-confirm', confirmed);
    await dialog.show();
    byTestId(dialog, 'dialog-confirm').click();
    expect(confirmed).toHaveBeenCalledTimes(1);
    expect(dialog.open).toBe(true); // the host closes it once the change is answered

    dialog.busy = true;
    await settle(dialog);
    expect(byTestId(dialog, 'dialog-confirm').textContent.trim()).toBe('Working…');
    expect(byTestId(dialog, 'dialog-confirm').getAttribute('aria-busy')).toBe('true');
    inner(dialog).dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(dialog.open).toBe(true);
    dialog.close();
    expect(dialog.open).toBe(false);
  });
});
