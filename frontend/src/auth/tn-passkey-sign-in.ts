import { localized, msg } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { passkeyAutofillSupported, passkeysSupported } from '../shared/passkey-browser.js';
import {
  CHALLENGE_REUSE_MS,
  PasskeyCeremony,
  type PasskeyAssertion,
} from '../shared/passkey-ceremony.js';
import { RequestController } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { passkeySignInStyles } from './tn-passkey-sign-in.styles.js';

/**
 * @summary Signs in with a passkey: from the email field's autofill while the page is open,
 * or from a "Sign in with a passkey" button. Renders nothing where the browser has no passkeys.
 *
 * The autofill request waits in the background, so it is renewed before its challenge expires,
 * closed while the button's prompt is open, and opened again when that prompt is dismissed.
 * Failures of the waiting request itself stay quiet: the button still works and explains.
 *
 * @csspart button - The Sign in with a passkey button.
 * @csspart error - The alert showing a failed sign-in.
 *
 * @cssproperty --tn-primary - Button outline, text and focus ring.
 * @cssproperty --tn-muted - The "or" between this and the email form.
 * @cssproperty --tn-danger - Error colour.
 */
@localized()
@customElement('tn-passkey-sign-in')
export class TnPasskeySignIn extends LitElement {
  static override styles = [baseStyles, passkeySignInStyles];

  /** Whether to offer passkeys in the email field's autofill; that field must say `webauthn`. */
  @property({ type: Boolean }) autofill = false;

  /** The pending authorization request, sent along so the server can continue it. */
  @property({ attribute: false }) req: string | null = null;

  /** Where to go after signing in when there is no authorization request. */
  @property({ attribute: false }) returnTo: string | null = null;

  @property({ attribute: false }) ceremony = new PasskeyCeremony();

  @state() private supported = false;

  private readonly request: RequestController = new RequestController(this);
  private renewal: ReturnType<typeof setTimeout> | undefined;
  /** Identifies the open autofill request, so a late answer to a closed one is ignored. */
  private autofillRequest: object | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.supported = passkeysSupported();
    if (this.hasUpdated) void this.startAutofill();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopAutofill();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('autofill')) return;
    if (this.autofill) void this.startAutofill();
    else this.stopAutofill();
  }

  protected override render() {
    if (!this.supported) return nothing;
    const busy = this.request.running('passkey');
    return html`
      <p class="or" aria-hidden="true">${msg('or', { id: 'auth.passkey.or' })}</p>
      ${errorAlert(this.request.error)}
      <button
        class="secondary"
        part="button"
        type="button"
        data-testid="passkey-sign-in"
        aria-busy=${busy ? 'true' : 'false'}
        ?disabled=${!this.request.canRun('passkey')}
        @click=${this.signIn}
      >
        ${msg('Sign in with a passkey', { id: 'auth.passkey.button' })}
      </button>
      ${retryCountdown(this.request.countdown('passkey'))}
    `;
  }

  private readonly signIn = async (): Promise<void> => {
    this.stopAutofill();
    await this.request.run('passkey', async () => {
      const assertion = await this.ceremony.assert('modal');
      if (assertion) await this.finish(assertion);
    });
    if (!this.request.leaving) void this.startAutofill();
  };

  /** Opens the autofill request, unless it is open, unwanted, or the page is leaving. */
  private async startAutofill(): Promise<void> {
    if (!this.supported || !this.autofill || this.autofillRequest) return;
    if (this.request.leaving || !this.isConnected) return;
    const request = {};
    this.autofillRequest = request;
    if (!(await passkeyAutofillSupported())) {
      if (this.autofillRequest === request) this.autofillRequest = null;
      return;
    }
    if (this.autofillRequest !== request) return;
    this.renewal = setTimeout(() => this.renewAutofill(), CHALLENGE_REUSE_MS);
    let assertion: PasskeyAssertion | null = null;
    try {
      assertion = await this.ceremony.assert('conditional');
    } catch (error) {
      console.warn('Passkey autofill is unavailable until it is renewed', error);
    }
    // Closed by the button, a renewal or leaving the step: whoever closed it decides what follows.
    if (!assertion || this.autofillRequest !== request) return;
    clearTimeout(this.renewal);
    this.autofillRequest = null;
    await this.request.run('passkey', () => this.finish(assertion));
    if (!this.request.leaving) void this.startAutofill();
  }

  private stopAutofill(): void {
    clearTimeout(this.renewal);
    this.renewal = undefined;
    if (!this.autofillRequest) return;
    this.autofillRequest = null;
    this.ceremony.cancel();
  }

  /** Replaces the waiting request with one for a new challenge, before the old one expires. */
  private renewAutofill(): void {
    this.stopAutofill();
    this.ceremony.discard();
    void this.startAutofill();
  }

  private async finish(assertion: PasskeyAssertion): Promise<void> {
    const location = await this.ceremony.verify(assertion, {
      req: this.req,
      returnTo: this.returnTo,
    });
    this.request.leave(location);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-passkey-sign-in': TnPasskeySignIn;
  }
}
