import { html, nothing, type TemplateResult } from 'lit';
import type { Problem } from './request-controller.js';

/**
 * The one place an element shows a failed request. It can take focus (tabindex -1) so that
 * the RequestController can move focus to it; `next` adds a way out, such as a link.
 */
export function errorAlert(
  problem: Problem | null,
  next: TemplateResult | typeof nothing = nothing,
): TemplateResult | typeof nothing {
  if (!problem) return nothing;
  const attemptsLeft = problem.attemptsLeft;
  return html`
    <div class="alert" part="error" role="alert" tabindex="-1" data-testid="error-message">
      <p>
        ${problem.message}
        ${attemptsLeft === null || attemptsLeft === undefined
          ? nothing
          : html`<span data-testid="attempts-left">${attemptsText(attemptsLeft)}</span>`}
      </p>
      ${next}
    </div>
  `;
}

function attemptsText(attemptsLeft: number): string {
  if (attemptsLeft === 0) return 'No attempts left: send a new code.';
  return attemptsLeft === 1 ? '1 attempt left.' : `${attemptsLeft} attempts left.`;
}
