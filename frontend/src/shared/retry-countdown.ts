import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';

/**
 * Says how long a rate-limited button stays disabled. Not a live region: a message that
 * changes every second would be read out every second.
 */
export function retryCountdown(seconds: number): TemplateResult | typeof nothing {
  if (seconds <= 0) return nothing;
  return html`<p class="hint" data-testid="retry-countdown">
    ${seconds === 1
      ? msg('You can try again in 1 second.', { id: 'shared.retry.one' })
      : msg(str`You can try again in ${seconds} seconds.`, { id: 'shared.retry.other' })}
  </p>`;
}
