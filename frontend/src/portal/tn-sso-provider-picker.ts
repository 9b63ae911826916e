import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';
import { RecentSignInController } from './recent-sign-in.js';
import { SsoApi, type IdentityProvider } from './sso-api.js';
import { GUIDES, guideFor } from './sso-guides/index.js';
import { PROTOCOL_LABELS } from './sso-status.js';
import './tn-reauthenticate.js';

declare global {
  interface HTMLElementEventMap {
    'tn-sso-connection-created': CustomEvent<import('./sso-api.js').SsoConnection>;
  }
  interface HTMLElementTagNameMap {
    'tn-sso-provider-picker': TnSsoProviderPicker;
  }
}

/**
 * @summary "Which identity provider do you use?": one button per provider with a guide; the one
 * picked becomes a draft connection (after "Confirm it's you" when the sign-in is old).
 *
 * @event tn-sso-connection-created - The draft connection made for the provider picked.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Button borders and focus ring.
 * @cssproperty --tn-muted - The protocol under each provider.
 */
@customElement('tn-sso-provider-picker')
export class TnSsoProviderPicker extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      .providers {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .provider {
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        width: 100%;
        height: 100%;
        color: var(--_fg);
        text-align: start;
        white-space: normal;
      }
      .protocol {
        font-size: 0.8125rem;
        font-weight: 400;
        color: var(--_muted);
      }
    `,
  ];

  @property({ attribute: false }) api = new SsoApi();
  @property({ attribute: false }) organizationId = '';
  /** The signed-in person's email, for "Sign in again". */
  @property() email = '';

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(
    this,
    this.request,
  );

  /** Moves focus to the question, as when the picker opens. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('#picker-heading')?.focus(options);
  }

  protected override render() {
    const waiting = this.recentSignIn.waiting;
    return html`<section class="panel" aria-labelledby="picker-heading">
      ${
        waiting
          ? html`<tn-reauthenticate
              data-testid="reauthenticate"
              .email=${this.email}
              .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
              .purpose=${waiting.purpose}
              return-to="/ui/sso"
              @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
              @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
            ></tn-reauthenticate>`
          : nothing
      }
      ${errorAlert(this.request.error)}
      <h2 id="picker-heading" tabindex="-1">Which identity provider do you use?</h2>
      <p class="hint">We then show the steps to take in its admin console, in its own words.</p>
      <ul class="providers" aria-labelledby="picker-heading">
        ${GUIDES.map(
          (guide) =>
            html`<li>
              <button
                class="secondary provider"
                type="button"
                data-testid="sso-provider-${guide.id}"
                aria-busy=${this.request.running(`create-${guide.id}`) ? 'true' : 'false'}
                ?disabled=${this.request.busy || Boolean(waiting)}
                @click=${() => this.create(guide.id)}
              >
                <span>${guide.label}</span>
                ${
                  guide.id.startsWith('GENERIC_')
                    ? nothing
                    : html`<span class="protocol">${PROTOCOL_LABELS[guide.protocol]}</span>`
                }
              </button>
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private async create(provider: IdentityProvider): Promise<void> {
    await this.recentSignIn.run({
      action: `create-${provider}`,
      purpose: `set up ${guideFor(provider).label}`,
      origin: `[data-testid="sso-provider-${provider}"]`,
      change: () => this.api.createConnection(this.organizationId, provider),
      done: (connection) =>
        this.dispatchEvent(
          new CustomEvent('tn-sso-connection-created', {
            detail: connection,
            bubbles: true,
            composed: true,
          }),
        ),
    });
  }

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    await this.updateComplete;
    if (origin) this.renderRoot.querySelector<HTMLElement>(origin)?.focus();
  }
}
