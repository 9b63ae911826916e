import { LitElement, html } from 'lit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { byTestId, expectAccessible, mount } from '../testing/fixture.js';
import { confirmGroup } from './confirm-group.js';

/** Renders one confirm group from the properties a test sets. */
class ConfirmHost extends LitElement {
  busy = false;
  confirmDisabled = false;
  onConfirm = vi.fn();
  onCancel = vi.fn();

  protected override render() {
    return html`${confirmGroup({
      questionId: 'confirm-1',
      question: 'Remove example.com?',
      confirmLabel: 'Remove',
      confirmTestId: 'remove-confirm',
      cancelTestId: 'remove-cancel',
      busy: this.busy,
      confirmDisabled: this.confirmDisabled,
      onConfirm: this.onConfirm,
      onCancel: this.onCancel,
    })}`;
  }
}
customElements.define('confirm-group-host', ConfirmHost);

declare global {
  interface HTMLElementTagNameMap {
    'confirm-group-host': ConfirmHost;
  }
}

let host: ConfirmHost;

beforeEach(async () => {
  host = await mount('confirm-group-host');
});

function group(): HTMLElement {
  return host.shadowRoot!.querySelector<HTMLElement>('[role="group"]')!;
}

function pressEscape(): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
  byTestId(host, 'remove-cancel').dispatchEvent(event);
  return event;
}

describe('confirmGroup', () => {
  it('is a group named by its question, with the confirming button and Cancel', async () => {
    expect(group().getAttribute('aria-labelledby')).toBe('confirm-1');
    expect(host.shadowRoot!.getElementById('confirm-1')!.textContent).toBe('Remove example.com?');
    expect(byTestId(host, 'remove-confirm').textContent.trim()).toBe('Remove');
    expect(byTestId(host, 'remove-confirm').getAttribute('aria-busy')).toBe('false');
    expect(byTestId(host, 'remove-cancel').textContent.trim()).toBe('Cancel');
    await expectAccessible(host);
  });

  it('confirms and cancels on click', () => {
    byTestId(host, 'remove-confirm').click();
    byTestId(host, 'remove-cancel').click();

    expect(host.onConfirm).toHaveBeenCalledOnce();
    expect(host.onCancel).toHaveBeenCalledOnce();
  });

  it('cancels on Escape', () => {
    const event = pressEscape();

    expect(host.onCancel).toHaveBeenCalledOnce();
    expect(event.defaultPrevented).toBe(true);
  });

  it('waits for a running request: busy, Cancel disabled, Escape ignored', async () => {
    host.busy = true;
    host.confirmDisabled = true;
    host.requestUpdate();
    await host.updateComplete;

    expect(byTestId(host, 'remove-confirm').getAttribute('aria-busy')).toBe('true');
    expect(byTestId<HTMLButtonElement>(host, 'remove-confirm').disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>(host, 'remove-cancel').disabled).toBe(true);
    pressEscape();
    expect(host.onCancel).not.toHaveBeenCalled();
  });

  it('may block confirming while Cancel stays open', async () => {
    host.confirmDisabled = true;
    host.requestUpdate();
    await host.updateComplete;

    expect(byTestId<HTMLButtonElement>(host, 'remove-confirm').disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>(host, 'remove-cancel').disabled).toBe(false);
  });
});
