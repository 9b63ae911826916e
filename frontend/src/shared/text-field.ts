import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

export interface TextFieldOptions {
  /** The input's id, also its name; its validation message gets `${id}-error`. */
  id: string;
  label: string;
  value: string;
  testid: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email';
  autocomplete?: AutoFill;
  inputmode?: 'numeric' | 'email' | 'text';
  maxlength?: number;
  /** The validation message to show under the field, or null. */
  error?: string | null;
  hint?: TemplateResult | string;
  /** The field may be left empty (it is required otherwise). */
  optional?: boolean;
}

/**
 * A labelled input rendered into the calling element's own shadow root, so that
 * `<label for>` and `aria-describedby` reach it (they cannot cross shadow roots).
 */
export function textField(options: TextFieldOptions): TemplateResult {
  const { id, error, hint } = options;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim();
  return html`
    <div class="field" part="field">
      <label for=${id}>${options.label}</label>
      ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      <input
        id=${id}
        name=${id}
        type=${options.type ?? 'text'}
        ?required=${!options.optional}
        autocomplete=${ifDefined(options.autocomplete)}
        inputmode=${ifDefined(options.inputmode)}
        maxlength=${ifDefined(options.maxlength)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy || undefined)}
        data-testid=${options.testid}
        .value=${live(options.value)}
        @input=${(event: InputEvent) => options.onInput((event.target as HTMLInputElement).value)}
      />
      ${error
        ? html`<p class="field-error" id="${id}-error" data-testid="${id}-error">${error}</p>`
        : nothing}
    </div>
  `;
}
