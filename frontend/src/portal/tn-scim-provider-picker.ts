import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';
import { RecentSignInController } from './recent-sign-in.js';
import { ScimApi, type DirectoryProvider, type DirectoryWithToken } from './scim-api.js';
import { SCIM_GUIDES, scimGuideFor } from './scim-guides/index.js';
import './tn-reauthenticate.js';

declare global {
  interface HTMLElementEventMap {
    'tn-scim-directory-created': CustomEvent<DirectoryWithToken>;
  }
  interface HTMLElementTagNameMap {
    'tn-scim-provider-picker': TnScimProviderPicker;
  }
}

/**
 * @summary "Which identity provider do you use?": one button per provider with a SCIM guide; the
 * one picked becomes a directory with its first token (after "Confirm it's you" when the sign-in
 * is old).
 *
 * @event tn-scim-directory-created - The directory made for the provider picked, with its token.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Button borders and focus ring.
 */
@customElement('tn-scim-provider-picker')
export class TnScimProviderPicker extends LitElement {
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
        width: 100%;
        height: 100%;
        color: var(--_fg);
        text-align: start;
        white-space: normal;
      }
    `,
  ];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) organizationId = '';
  /** The signed-in person's email, for "Sign in again". */
  @property() email = '';

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(this, this.request);

  /** Moves focus to the question, as when the picker opens. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('#scim-picker-heading')?.focus(options);
  }

  protected override render() {
    const waiting = this.recentSignIn.waiting;
    return html`<section class="panel" aria-labelledby="scim-picker-heading">
      ${
        waiting
          ? html`<tn-reauthenticate
              data-testid="reauthenticate"
              .email=${this.email}
              .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
              .purpose=${waiting.purpose}
              return-to="/ui/scim"
              @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
              @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
            ></tn-reauthenticate>`
          : nothing
      }
      ${errorAlert(this.request.error)}
      <h2 id="scim-picker-heading" tabindex="-1">Which identity provider do you use?</h2>
      <p class="hint">
        We make a directory with its own address and token, then show the steps to take in your
        provider's admin console, in its own words.
      </p>
      <ul class="providers" aria-labelledby="scim-picker-heading">
        ${SCIM_GUIDES.map(
          (guide) => html`<li>
            <button
              class="secondary provider"
              type="button"
              data-testid="scim-provider-${guide.id}"
              aria-busy=${this.request.running(`create-${guide.id}`) ? 'true' : 'false'}
              ?disabled=${this.request.busy || Boolean(waiting)}
              @click=${() => this.create(guide.id)}
            >
              ${guide.label}
            </button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private async create(provider: DirectoryProvider): Promise<void> {
    await this.recentSignIn.run({
      action: `create-${provider}`,
      purpose: `connect ${scimGuideFor(provider).label}`,
      origin: `[data-testid="scim-provider-${provider}"]`,
      change: () => this.api.createDirectory(this.organizationId, provider),
      done: (created) =>
        this.dispatchEvent(
          new CustomEvent('tn-scim-directory-created', { detail: created, bubbles: true, composed: true }),
        ),
    });
  }

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    await this.updateComplete;
    if (origin) this.renderRoot.querySelector<HTMLElement>(origin)?.focus();
  }
}
