import { html, type TemplateResult } from 'lit';

export interface ConfirmGroupOptions {
  /** Id of the question, which names the group (unique within the element). */
  questionId: string;
  question: TemplateResult | string;
  /** The confirming button's text, such as "Remove". */
  confirmLabel: string;
  confirmTestId: string;
  cancelTestId: string;
  /** Whether the confirmed request runs: the button says so, and Cancel or Escape wait for it. */
  busy: boolean;
  /** Whether confirming is blocked now (another request runs, or something must happen first). */
  confirmDisabled: boolean;
  onConfirm: () => unknown;
  onCancel: () => unknown;
}

/**
 * The inline "Remove …? [Remove] [Cancel]" group that stands in for a destructive button until
 * the person confirms, rendered into the calling element's own shadow root (so its tests and the
 * element's focus handling reach the buttons). Escape cancels, unless the request already runs.
 */
export function confirmGroup(options: ConfirmGroupOptions): TemplateResult {
  const { busy, onCancel } = options;
  const escape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || busy) return;
    event.preventDefault();
    void onCancel();
  };
  return html`<div
    class="confirm"
    role="group"
    aria-labelledby=${options.questionId}
    @keydown=${escape}
  >
    <p id=${options.questionId}>${options.question}</p>
    <div class="buttons">
      <button
        class="danger"
        type="button"
        data-testid=${options.confirmTestId}
        aria-busy=${busy ? 'true' : 'false'}
        ?disabled=${options.confirmDisabled}
        @click=${() => void options.onConfirm()}
      >
        ${options.confirmLabel}
      </button>
      <button
        class="secondary"
        type="button"
        data-testid=${options.cancelTestId}
        ?disabled=${busy}
        @click=${() => void onCancel()}
      >
        Cancel
      </button>
    </div>
  </div>`;
}
