import { html, nothing, type TemplateResult } from 'lit';
import type { Problem } from './request-controller.js';

/**
 * The one place an element shows a failed request: the server's message as it is written. The
 * server's sentence is whole ("That code is not right. 4 attempts left."), so nothing is added
 * to it here: a count or a wait composed again on this side would be read twice.
 *
 * It can take focus (tabindex -1) so that the RequestController can move focus to it; `next`
 * adds a way out, such as a link.
 */
export function errorAlert(
  problem: Problem | null,
  next: TemplateResult | typeof nothing = nothing,
): TemplateResult | typeof nothing {
  if (!problem) return nothing;
  return html`
    <div class="alert" part="error" role="alert" tabindex="-1" data-testid="error-message">
      <p>${problem.message}</p>
      ${next}
    </div>
  `;
}
