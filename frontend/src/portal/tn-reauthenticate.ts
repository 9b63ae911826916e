import { LitElement, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { PasskeyCeremony } from '../shared/passkey-ceremony.js';
import { RequestController } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { portalStyles } from './portal-styles.js';
import { reauthenticateStyles } from './tn-reauthenticate.styles.js';

/** A maximum age in words: 300 → "5 minutes", 45 → "45 seconds". */
export function describeSeconds(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The hosted sign-in page for `email`, coming back to `returnTo` afterwards. */
export function signInAgainHref(email: string, returnTo: string): string {
  const query = new URLSearchParams();
  if (email) query.set('login_hint', email);
  query.set('return_to', returnTo);
  return `/a/auth/login?${query.toString()}`;
}

/**
 * @summary Asks the person to confirm it's you before a change that needs a recent sign-in:
 * with one of their passkeys right here, or by signing in again and coming back.
 *
 * A passkey refreshes the current session's sign-in time, so the caller can retry at once.
 *
 * @event tn-reauthenticated - A passkey confirmed it's you; retry what needed it.
 * @event tn-reauthenticate-cancel - The person chose Cancel (or pressed Escape).
 *
 * @csspart error - The alert showing a failed confirmation.
 *
 * @cssproperty --tn-primary - Panel border, Use a passkey button and focus ring.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-danger - Errors.
 */
@customElement('tn-reauthenticate')
export class TnReauthenticate extends LitElement {
  static override styles = [baseStyles, portalStyles, reauthenticateStyles];

  /** The signed-in person's email, so the sign-in page starts with it. */
  @property() email = '';

  /** How recent the sign-in must be, from `ReauthenticationRequired.maxAgeSeconds`. */
  @property({ type: Number, attribute: 'max-age-seconds' }) maxAgeSeconds = 300;

  /** What needs the confirmation, completing "To …": "add a passkey". */
  @property() purpose = 'make this change';

  /** Whether to offer "Use a passkey": only when the person has one. */
  @property({ type: Boolean, attribute: 'offer-passkey' }) offerPasskey = false;

  /** Where the sign-in page sends the person back to. */
  @property({ attribute: 'return-to' }) returnTo = '/ui/security';

  @property({ attribute: false }) ceremony = new PasskeyCeremony();

  @query('h2') private heading?: HTMLElement;

  private readonly request: RequestController = new RequestController(this);

  /** Moves focus to the heading, so the explanation is read first. */
  override focus(options?: FocusOptions): void {
    this.heading?.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Fetched now so that the prompt opens right after the click; a failure shows on the click.
    if (this.offerPasskey) void this.ceremony.prepare().catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.request.running('passkey')) this.ceremony.cancel();
  }

  protected override render() {
    const busy = this.request.running('passkey');
    return html`<section
      class="panel"
      aria-labelledby="reauth-heading"
      aria-describedby="reauth-reason"
      @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && !busy && this.cancel()}
    >
      <h2 id="reauth-heading" tabindex="-1">Confirm it's you</h2>
      <p id="reauth-reason">
        You signed in more than ${describeSeconds(this.maxAgeSeconds)} ago. To ${this.purpose},
        first confirm it's you.
        ${this.offerPasskey ? nothing : 'Signing in again brings you back to this page.'}
      </p>
      ${errorAlert(this.request.error)}
      <div class="buttons">
        ${this.offerPasskey
          ? html`<button
              class="primary"
              type="button"
              data-testid="reauth-passkey"
              aria-busy=${busy ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('passkey')}
              @click=${this.usePasskey}
            >
              Use a passkey
            </button>`
          : nothing}
        <a href=${signInAgainHref(this.email, this.returnTo)} data-testid="reauth-sign-in"
          >Sign in again</a
        >
        <button
          class="secondary"
          type="button"
          data-testid="reauth-cancel"
          ?disabled=${busy}
          @click=${this.cancel}
        >
          Cancel
        </button>
      </div>
      ${retryCountdown(this.request.secondsLeft('passkey'))}
    </section>`;
  }

  private readonly usePasskey = async (): Promise<void> => {
    await this.request.run('passkey', async () => {
      const assertion = await this.ceremony.assert('modal');
      if (!assertion) return;
      await this.ceremony.verify(assertion, { reauthenticate: true });
      this.dispatchEvent(new Event('tn-reauthenticated', { bubbles: true, composed: true }));
    });
  };

  private readonly cancel = (): void => {
    this.dispatchEvent(new Event('tn-reauthenticate-cancel', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-reauthenticate': TnReauthenticate;
  }
  interface HTMLElementEventMap {
    'tn-reauthenticated': Event;
    'tn-reauthenticate-cancel': Event;
  }
}
