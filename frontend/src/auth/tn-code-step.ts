import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { textField } from '../shared/text-field.js';
import { AuthApi, type CodeResent } from './auth-api.js';
import { codeStepStyles } from './tn-code-step.styles.js';

/** Read when shown, so each is in the page's language. */
export const CODE_MESSAGES = {
  get missing(): string {
    return msg('Enter the 6-digit code from the email.', { id: 'auth.code.missing' });
  },
  get short(): string {
    return msg('The code has 6 digits. Check the email and enter all of them.', {
      id: 'auth.code.short',
    });
  },
};

export function codeProblem(code: string): string | undefined {
  if (!code) return CODE_MESSAGES.missing;
  if (!/^\d{6}$/.test(code)) return CODE_MESSAGES.short;
  return undefined;
}

/**
 * @summary Takes the 6-digit code that was emailed and, once it is right, leaves for the
 * location the server answers with.
 *
 * @event tn-code-resent - A new code was sent. `detail` is `{flow, expiresIn}`; the flow id
 * may have changed.
 * @event tn-change-email - The person wants to go back and use a different address.
 *
 * @csspart field - The code's label and input.
 * @csspart submit - The Verify button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Button, link and focus ring colour.
 * @cssproperty --tn-muted - Colour of the hints.
 * @cssproperty --tn-danger - Error colour.
 */
@localized()
@customElement('tn-code-step')
export class TnCodeStep extends LitElement {
  static override styles = [baseStyles, codeStepStyles];

  /** The address the code went to. */
  @property() email = '';

  /** The flow id from the email request; replaced when a new code is sent. */
  @property() flow = '';

  /** Seconds the code stays valid. */
  @property({ type: Number, attribute: 'expires-in' }) expiresIn = 600;

  /**
   * Why no new email went out (too many were sent to the address): the code sent before still
   * works. Shown under the field's label, so it is read when focus lands there.
   */
  @property({ attribute: false }) sentNotice: string | null = null;

  @property({ attribute: false }) api = new AuthApi();

  @state() private code = '';
  @state() private problem: string | undefined;
  @state() private resent = false;

  @query('#code') private codeInput?: HTMLInputElement;

  private readonly request: RequestController = new RequestController(this);

  /** Moves focus to the code field. */
  override focus(options?: FocusOptions): void {
    this.codeInput?.focus(options);
  }

  protected override render() {
    const verifying = this.request.running('verify');
    return html`
      <h2>${msg('Check your email', { id: 'auth.code.heading' })}</h2>
      <p class="sent" data-testid="code-sent-message">
        ${msg(
          html`We sent a 6-digit code to <strong><bdi>${this.email}</bdi></strong>. Enter it below, or open
            the link in the email. The code expires in ${minutes(this.expiresIn)}.`,
          { id: 'auth.code.sent' },
        )}
      </p>
      ${errorAlert(this.request.error)}
      <form novalidate aria-busy=${verifying ? 'true' : 'false'} @submit=${this.verify}>
        ${textField({
          id: 'code',
          label: msg('6-digit code', { id: 'auth.code.label' }),
          value: this.code,
          testid: 'code-input',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          maxlength: 6,
          ...(this.sentNotice ? { hint: this.sentNotice } : {}),
          error: this.problem,
          onInput: (value) => {
            this.code = value.replace(/\D/g, '').slice(0, 6);
            this.problem = undefined;
          },
        })}
        <button
          class="primary"
          part="submit"
          type="submit"
          data-testid="code-submit"
          aria-busy=${verifying ? 'true' : 'false'}
          ?disabled=${!this.request.canRun('verify')}
        >
          ${msg('Verify', { id: 'auth.code.submit' })}
        </button>
        ${retryCountdown(this.request.countdown('verify'))}
      </form>
      <p class="status" role="status" data-testid="resend-status">
        ${this.resent
          ? msg(str`We sent a new code to ${this.email}.`, { id: 'auth.code.resent' })
          : nothing}
      </p>
      <div class="actions">
        <button
          class="link"
          type="button"
          data-testid="resend-code"
          aria-busy=${this.request.running('resend') ? 'true' : 'false'}
          ?disabled=${!this.request.canRun('resend')}
          @click=${this.resend}
        >
          ${msg('Resend code', { id: 'auth.code.resend' })}
        </button>
        <button
          class="link"
          type="button"
          data-testid="change-email"
          ?disabled=${this.request.busy}
          @click=${this.changeEmail}
        >
          ${msg('Use a different email', { id: 'auth.code.change-email' })}
        </button>
      </div>
      ${retryCountdown(this.request.countdown('resend'))}
    `;
  }

  private async verify(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.problem = codeProblem(this.code);
    if (this.problem) {
      await this.updateComplete;
      this.focus();
      return;
    }
    await this.request.run('verify', async () => {
      this.request.leave(await this.api.verifyCode({ flow: this.flow, code: this.code }));
    });
  }

  private async resend(): Promise<void> {
    this.resent = false;
    const sent = await this.request.run('resend', async () => {
      const resent = await this.api.resendCode({ flow: this.flow });
      this.flow = resent.flow;
      this.expiresIn = resent.expiresIn;
      this.dispatchEvent(
        new CustomEvent<CodeResent>('tn-code-resent', {
          detail: resent,
          bubbles: true,
          composed: true,
        }),
      );
    });
    if (!sent) return;
    this.sentNotice = null;
    this.code = '';
    this.problem = undefined;
    this.resent = true;
    await this.updateComplete;
    this.focus();
  }

  private changeEmail(): void {
    this.dispatchEvent(new Event('tn-change-email', { bubbles: true, composed: true }));
  }
}

function minutes(seconds: number): string {
  const count = Math.max(1, Math.round(seconds / 60));
  return count === 1
    ? msg('1 minute', { id: 'auth.code.minutes.one' })
    : msg(str`${count} minutes`, { id: 'auth.code.minutes.other' });
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-code-step': TnCodeStep;
  }
  interface HTMLElementEventMap {
    'tn-code-resent': CustomEvent<CodeResent>;
    'tn-change-email': Event;
  }
}
