import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';
import { SsoApi, type SsoConnection } from './sso-api.js';
import { providerInSentence } from './sso-guides/index.js';
import { hasIdpSettings } from './sso-status.js';
import { testOutcomeSentence } from './tn-sso-test-result.js';
import './tn-sso-test-result.js';

export const NO_NEW_TEST =
  'No new test result yet. Finish signing in in the other tab, then come back here.';

declare global {
  interface HTMLElementTagNameMap {
    'tn-sso-test': TnSsoTest;
  }
}

/**
 * @summary "Test connection": opens the connection's test sign-in in a new tab and, when this
 * tab is shown or focused again, reads the connection back and announces what the test found
 * (the details in `<tn-sso-test-result>`).
 *
 * @event tn-sso-connection-changed - A new test result arrived; detail is the connection now.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - The Test connection button and focus ring.
 */
@customElement('tn-sso-test')
export class TnSsoTest extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0.5rem 1rem;
        font-weight: 600;
        text-decoration: none;
        border-radius: var(--_radius);
      }
      .buttons {
        margin-block-end: 1rem;
      }
      tn-sso-test-result {
        margin-block-start: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api = new SsoApi();
  @property({ attribute: false }) connection!: SsoConnection;

  /** Set once Test connection was opened: the result is read when this tab is shown again. */
  @state() private awaiting = false;
  @state() private announcement = '';

  private readonly request: RequestController = new RequestController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('focus', this.onReturn);
    document.addEventListener('visibilitychange', this.onReturn);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('focus', this.onReturn);
    document.removeEventListener('visibilitychange', this.onReturn);
  }

  protected override render() {
    const connection = this.connection;
    return html`<p class="hint" id="test-explanation">
        Sign in through ${providerInSentence(connection.provider)} once, in a new tab, as someone
        the application is assigned to. Nobody else is affected. Come back to this tab to see what
        arrived.
      </p>
      ${errorAlert(this.request.error)}
      ${
        hasIdpSettings(connection)
          ? html`<div class="buttons">
              <a
                class="button primary"
                href=${connection.testUrl}
                target="_blank"
                rel="noopener"
                data-testid="sso-test-link"
                aria-describedby="test-explanation"
                @click=${() => (this.awaiting = true)}
                >Test connection<span class="visually-hidden"> (opens a new tab)</span></a
              >
              ${
                this.awaiting
                  ? html`<button
                      class="secondary"
                      type="button"
                      data-testid="sso-test-refresh"
                      aria-busy=${this.request.running('read') ? 'true' : 'false'}
                      ?disabled=${this.request.busy}
                      @click=${() => this.readResult()}
                    >
                      Show the result
                    </button>`
                  : nothing
              }
            </div>`
          : html`<p data-testid="sso-test-not-ready">
              Save the identity provider's settings first; then you can test.
            </p>`
      }
      <div role="status" aria-live="polite">
        ${
          this.announcement
            ? html`<p data-testid="sso-test-announcement">${this.announcement}</p>`
            : nothing
        }
      </div>
      <tn-sso-test-result
        .test=${connection.lastTest}
        ?current=${connection.testedWithCurrentSettings}
      ></tn-sso-test-result>`;
  }

  /** The test tab was closed or left: read what the test found. */
  private readonly onReturn = (): void => {
    if (!this.awaiting || document.visibilityState === 'hidden' || this.request.busy) return;
    void this.readResult();
  };

  private async readResult(): Promise<void> {
    const before = this.connection.lastTest?.testedAt ?? null;
    await this.request.run('read', async () => {
      const now = await this.api.connection(this.connection.id);
      const test = now.lastTest;
      if (!test || test.testedAt === before) {
        this.announcement = NO_NEW_TEST;
        return;
      }
      this.awaiting = false;
      this.connection = now;
      this.announcement = testOutcomeSentence(test);
      this.dispatchEvent(
        new CustomEvent('tn-sso-connection-changed', {
          detail: now,
          bubbles: true,
          composed: true,
        }),
      );
    });
  }
}
