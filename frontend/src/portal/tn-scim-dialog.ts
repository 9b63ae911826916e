import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { portalStyles } from './portal-styles.js';

declare global {
  interface HTMLElementEventMap {
    'tn-dialog-confirm': CustomEvent<void>;
    'tn-dialog-cancel': CustomEvent<void>;
  }
  interface HTMLElementTagNameMap {
    'tn-scim-dialog': TnScimDialog;
  }
}

/**
 * @summary A modal confirmation (the native `<dialog>`, so focus stays inside it and the page
 * behind is inert): a heading, what happens (slotted), the confirming button and Cancel. It opens
 * with focus on the slotted field marked `autofocus`, else on Cancel (the safe choice), and gives
 * focus back to what opened it. Escape cancels, unless the confirmed request already runs.
 *
 * @slot - What confirming does, and any field it needs (rendered by the host, so its labels are the host's).
 *
 * @event tn-dialog-confirm - The confirming button was pressed; the host runs the change, then calls close().
 * @event tn-dialog-cancel - Cancel or Escape; the dialog has closed.
 *
 * @csspart dialog - The dialog box.
 *
 * @cssproperty --tn-danger - A destructive confirming button.
 * @cssproperty --tn-surface - The dialog's background.
 */
@customElement('tn-scim-dialog')
export class TnScimDialog extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: contents;
      }
      dialog {
        width: min(32rem, calc(100vw - 2rem));
        max-height: calc(100vh - 2rem);
        padding: 1.25rem;
        color: var(--_fg);
        background: var(--_surface);
        border: 1px solid var(--_muted);
        border-radius: var(--_radius);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 45%);
      }
      h2 {
        margin-block-end: 0.75rem;
      }
      .buttons {
        justify-content: flex-end;
        margin-block-start: 1rem;
      }
    `,
  ];

  @property() heading = '';
  @property({ attribute: 'confirm-label' }) confirmLabel = 'Confirm';
  /** `danger` for a change that cannot be undone; `primary` otherwise. */
  @property() tone: 'danger' | 'primary' = 'danger';
  /** The confirmed request runs: the button says so, and Cancel and Escape wait. */
  @property({ type: Boolean }) busy = false;
  @property({ attribute: 'confirm-testid' }) confirmTestId = 'dialog-confirm';
  @property({ attribute: 'cancel-testid' }) cancelTestId = 'dialog-cancel';

  @query('dialog') private dialog!: HTMLDialogElement;
  private opener: HTMLElement | null = null;

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog; focus returns to `opener` (else what had focus) when it closes. */
  async show(opener?: HTMLElement | null): Promise<void> {
    this.opener = opener ?? deepActiveElement();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    const field = this.querySelector<HTMLElement>('[autofocus]');
    (field ?? this.renderRoot.querySelector<HTMLElement>('.cancel'))?.focus();
  }

  /** Closes it and gives focus back to what opened it. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
  }

  protected override render() {
    return html`<dialog
      part="dialog"
      aria-labelledby="dialog-heading"
      aria-describedby="dialog-body"
      @cancel=${this.onEscape}
    >
      <h2 id="dialog-heading">${this.heading}</h2>
      <div id="dialog-body"><slot></slot></div>
      <div class="buttons">
        <button
          class="secondary cancel"
          type="button"
          data-testid=${this.cancelTestId}
          ?disabled=${this.busy}
          @click=${this.cancel}
        >
          Cancel
        </button>
        <button
          class=${this.tone}
          type="button"
          data-testid=${this.confirmTestId}
          aria-busy=${this.busy ? 'true' : 'false'}
          ?disabled=${this.busy}
          @click=${this.confirm}
        >
          ${this.busy ? 'Working…' : this.confirmLabel}
        </button>
      </div>
    </dialog>`;
  }

  private readonly confirm = (): void => {
    this.dispatchEvent(new CustomEvent('tn-dialog-confirm', { bubbles: true, composed: true }));
  };

  private readonly cancel = (): void => {
    if (this.busy) return;
    this.close();
    this.dispatchEvent(new CustomEvent('tn-dialog-cancel', { bubbles: true, composed: true }));
  };

  private readonly onEscape = (event: Event): void => {
    event.preventDefault();
    this.cancel();
  };
}

/** The focused element, looking through open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}
