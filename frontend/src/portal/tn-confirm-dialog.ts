import '@shoelace-style/shoelace/dist/components/dialog/dialog.js';
import type SlDialog from '@shoelace-style/shoelace/dist/components/dialog/dialog.js';
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';

/**
 * What confirming runs. It resolves when the change is done (the dialog then closes), or to
 * `false` to keep the dialog open, such as to show what happened to each of several addresses;
 * a thrown error is shown inside the dialog in the server's words.
 */
export type ConfirmAction = () => Promise<unknown>;

/**
 * @summary A modal confirmation on `<sl-dialog>`: a heading, what happens (slotted), a confirming
 * button that names the change, and Cancel. Focus opens on a slotted field marked `autofocus`,
 * else on Cancel (the safe choice); it stays inside while open and goes back to the opener when the
 * dialog closes. While the confirmed request runs the button says so and the dialog cannot be
 * dismissed; a failure shows inside, with focus on it.
 *
 * @slot - What confirming does, and any field it needs (the host's own markup and labels).
 *
 * @event tn-dialog-confirmed - The action succeeded and the dialog is closing.
 * @event tn-dialog-cancel - Cancel, Escape or the overlay closed it.
 *
 * @csspart dialog - The `<sl-dialog>`.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - The confirming button (primary variant) and focus ring.
 * @cssproperty --tn-danger - The confirming button (danger variant) and errors.
 * @cssproperty --tn-surface - The dialog's background.
 */
@customElement('tn-confirm-dialog')
export class TnConfirmDialog extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: contents;
      }
      sl-dialog {
        --width: min(30rem, calc(100vw - 2rem));
        --header-spacing: 1.25rem 1.25rem 0.25rem;
        --body-spacing: 0.5rem 1.25rem;
        --footer-spacing: 0.75rem 1.25rem 1.25rem;
      }
      sl-dialog::part(title) {
        font-size: 1.125rem;
        font-weight: 650;
        color: var(--_fg);
      }
      sl-dialog::part(panel) {
        color: var(--_fg);
        background: var(--_surface);
      }
      .buttons {
        display: flex;
        flex-wrap: wrap-reverse;
        gap: 0.5rem;
        justify-content: flex-end;
        margin: 0;
      }
      .alert {
        margin-block-start: 0.75rem;
      }
    `,
  ];

  @property() heading = '';
  @property({ attribute: 'confirm-label' }) confirmLabel = 'Confirm';
  /** `danger` for a change people cannot take back (removal, revocation); `primary` otherwise. */
  @property() variant: 'danger' | 'primary' = 'primary';
  /** Disables the confirming button, such as until a choice differs from what is. */
  @property({ type: Boolean, attribute: 'confirm-disabled' }) confirmDisabled = false;
  @property({ attribute: 'cancel-label' }) cancelLabel = 'Cancel';
  @property({ attribute: 'confirm-testid' }) confirmTestId = 'dialog-confirm';
  @property({ attribute: 'cancel-testid' }) cancelTestId = 'dialog-cancel';
  /** What confirming runs; see `ConfirmAction`. */
  @property({ attribute: false }) action: ConfirmAction = () => Promise.resolve();

  @query('sl-dialog') private dialog!: SlDialog;

  private readonly request: RequestController = new RequestController(this);
  private opener: HTMLElement | null = null;

  /** Whether the dialog is open. */
  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Whether the confirmed request runs. */
  get busy(): boolean {
    return this.request.busy;
  }

  /** Opens the dialog with no error from before; focus goes back to `opener` when it closes. */
  async show(opener?: HTMLElement | null): Promise<void> {
    this.opener = opener ?? deepActiveElement();
    this.request.clearError();
    await this.updateComplete;
    this.dialog.open = true;
  }

  /** Closes the dialog (even while busy: the host decided). */
  async hide(): Promise<void> {
    await this.updateComplete;
    this.dialog.open = false;
  }

  /**
   * Where focus goes when the dialog closes, instead of the opener: such as the next row when the
   * confirmed change removes the opener's row.
   */
  returnFocusTo(element: HTMLElement | null): void {
    if (element) this.opener = element;
  }

  /** Shows `message` as the dialog's error, such as a check of a field before anything is sent. */
  async showError(message: string, code = 'invalid'): Promise<void> {
    await this.request.show({ code, message });
  }

  protected override render() {
    const busy = this.request.busy;
    return html`<sl-dialog
      part="dialog"
      label=${this.heading}
      @sl-initial-focus=${this.focusSafeChoice}
      @sl-request-close=${this.requestClose}
      @sl-after-hide=${this.afterHide}
    >
      <slot></slot>
      ${errorAlert(this.request.error)}
      <div slot="footer" class="buttons">
        <button
          class="secondary"
          type="button"
          data-testid=${this.cancelTestId}
          ?disabled=${busy}
          @click=${this.cancel}
        >
          ${this.cancelLabel}
        </button>
        <button
          class=${this.variant}
          type="button"
          data-testid=${this.confirmTestId}
          aria-busy=${busy ? 'true' : 'false'}
          ?disabled=${busy || this.confirmDisabled}
          @click=${this.confirm}
        >
          ${this.confirmLabel}
        </button>
      </div>
    </sl-dialog>`;
  }

  private async confirm(): Promise<void> {
    let keepOpen = false;
    const done = await this.request.run('confirm', async () => {
      keepOpen = (await this.action()) === false;
    });
    if (!done || keepOpen) return;
    this.dispatchEvent(new CustomEvent('tn-dialog-confirmed', { bubbles: true, composed: true }));
    await this.hide();
  }

  private cancel(): void {
    if (this.request.busy) return;
    this.dialog.open = false;
    this.dispatchEvent(new CustomEvent('tn-dialog-cancel', { bubbles: true, composed: true }));
  }

  /** Escape and the overlay cancel, unless the confirmed request runs. */
  private requestClose(event: CustomEvent<{ source: string }>): void {
    if (event.target !== this.dialog) return;
    event.preventDefault();
    this.cancel();
  }

  /** A slotted field marked `autofocus`, else Cancel: never the destructive button. */
  private focusSafeChoice(event: Event): void {
    if (event.target !== this.dialog) return;
    event.preventDefault();
    const slot = this.renderRoot.querySelector('slot');
    const fields = (slot?.assignedElements({ flatten: true }) ?? []).flatMap((element) => [
      element,
      ...element.querySelectorAll('*'),
    ]);
    const wanted = fields.find((element) => element.hasAttribute('autofocus')) as HTMLElement | undefined;
    (wanted ?? this.renderRoot.querySelector<HTMLElement>(`[data-testid="${this.cancelTestId}"]`))?.focus();
  }

  /** Shoelace gives focus back to the document's active element, which is a shadow host here. */
  private afterHide(event: Event): void {
    if (event.target !== this.dialog) return;
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) setTimeout(() => opener.focus());
  }
}

/** The focused element, looking inside shadow roots (the page's buttons live in them). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-confirm-dialog': TnConfirmDialog;
  }
  interface HTMLElementEventMap {
    'tn-dialog-confirmed': CustomEvent<void>;
  }
}
