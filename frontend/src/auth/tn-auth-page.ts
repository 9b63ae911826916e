import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { cache } from 'lit/directives/cache.js';
import { ApiClient, readCsrfToken } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { localeReady } from '../shared/i18n.js';
import { AuthApi, type CodeSent } from './auth-api.js';
import { authPageHref } from './auth-links.js';
import { readAuthConfig, type AuthConfig } from './config.js';
import './tn-code-step.js';
import './tn-email-step.js';
import './tn-organization-chooser.js';
import './tn-profile-step.js';
import { authPageStyles } from './tn-auth-page.styles.js';

type Step = 'email' | 'code' | 'profile' | 'organization';

/**
 * @summary The hosted sign-in and sign-up page: a branded card that walks through email,
 * code, and (when the server asks) profile or organization steps.
 *
 * Reads its configuration from `<script type="application/json" id="tn-config">` and the
 * CSRF token from `<meta name="csrf-token">` unless `config` is set first.
 *
 * @csspart card - The card holding everything.
 * @csspart logo - The app's logo, when it has one (decorative: the heading names the app).
 * @csspart mark - The app's initial in the brand colour, when there is no logo.
 * @csspart heading - The page heading, the one place the app's name is written.
 *
 * @cssproperty --tn-bg - Page background around the card.
 * @cssproperty --tn-surface - Card background.
 * @cssproperty --tn-fg - Text colour.
 * @cssproperty --tn-muted - Secondary text colour.
 * @cssproperty --tn-primary - Buttons, links and focus ring.
 * @cssproperty --tn-on-primary - Text on primary buttons.
 * @cssproperty --tn-danger - Errors.
 * @cssproperty --tn-radius - Corner radius.
 * @cssproperty --tn-font - Font family.
 */
@localized()
@customElement('tn-auth-page')
export class TnAuthPage extends LitElement {
  static override styles = [baseStyles, authPageStyles];

  /** The page's settings; read from `#tn-config` when not set before the element connects. */
  @property({ attribute: false }) config?: AuthConfig;

  @property({ attribute: false }) api?: AuthApi;

  @state() private step: Step = 'email';
  @state() private email = '';
  @state() private flow = '';
  @state() private expiresIn = 0;
  /** Why no new email went out, when the code step goes on with a code sent before. */
  @state() private codeNotice: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) return;
    this.config ??= readAuthConfig(document);
    this.api ??= new AuthApi(new ApiClient(readCsrfToken(document)));
    this.step = this.config.step;
    this.email = this.config.loginHint ?? '';
  }

  /** The first render waits for the page's language, so the card never flashes English. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const loading = localeReady();
    if (this.hasUpdated || !loading) return super.scheduleUpdate();
    return loading.then(
      () => super.scheduleUpdate(),
      () => super.scheduleUpdate(),
    );
  }

  /** The window's title, in the page's language (the server wrote it in English). */
  protected override updated(): void {
    const { mode, appName } = this.config!;
    document.title =
      mode === 'signup'
        ? msg(str`Create your account · ${appName}`, { id: 'auth.page.title.signup' })
        : msg(str`Sign in · ${appName}`, { id: 'auth.page.title.login' });
  }

  protected override firstUpdated(): void {
    if (!this.config?.error) void this.focusStep();
  }

  protected override render() {
    const config = this.config!;
    return html`
      <main class="card" part="card">
        <header class="header">
          ${config.logoUrl
            ? html`<img part="logo" src=${config.logoUrl} alt="" />`
            : html`<span class="mark" part="mark" aria-hidden="true">${initial(config.appName)}</span>`}
          <h1 part="heading" tabindex="-1" data-testid="page-heading">
            ${config.mode === 'signup'
              ? msg(str`Create your ${config.appName} account`, { id: 'auth.page.heading.signup' })
              : msg(str`Sign in to ${config.appName}`, { id: 'auth.page.heading.login' })}
          </h1>
        </header>
        ${cache(this.renderStep(config))} ${this.step === 'email' ? this.renderSwitch(config) : nothing}
      </main>
    `;
  }

  private renderStep(config: AuthConfig) {
    const notice = this.step === config.step ? config.error : null;
    switch (this.step) {
      case 'email':
        return html`<tn-email-step
          data-step
          mode=${config.mode}
          .email=${this.email}
          .req=${config.req}
          .returnTo=${config.returnTo}
          .notice=${notice}
          .api=${this.api!}
          @tn-code-sent=${this.codeSent}
        ></tn-email-step>`;
      case 'code':
        return html`<tn-code-step
          data-step
          .email=${this.email}
          .flow=${this.flow}
          .expiresIn=${this.expiresIn}
          .sentNotice=${this.codeNotice}
          .api=${this.api!}
          @tn-code-resent=${(event: HTMLElementEventMap['tn-code-resent']) => {
            this.flow = event.detail.flow;
            this.expiresIn = event.detail.expiresIn;
            this.codeNotice = null;
          }}
          @tn-change-email=${() => this.goTo('email')}
        ></tn-code-step>`;
      case 'profile':
        return html`<tn-profile-step
          data-step
          .req=${config.req}
          .returnTo=${config.returnTo}
          .notice=${notice}
          .api=${this.api!}
        ></tn-profile-step>`;
      case 'organization':
        return html`<tn-organization-chooser
          data-step
          .req=${config.req}
          .returnTo=${config.returnTo}
          .notice=${notice}
          .api=${this.api!}
        ></tn-organization-chooser>`;
    }
  }

  private renderSwitch(config: AuthConfig) {
    return config.mode === 'signup'
      ? html`<p class="switch">
          ${msg('Already have an account?', { id: 'auth.page.switch.login.question' })}
          <a href=${authPageHref('login', config)} data-testid="switch-to-login"
            >${msg('Sign in', { id: 'auth.page.switch.login.link' })}</a
          >
        </p>`
      : html`<p class="switch">
          ${msg(str`New to ${config.appName}?`, { id: 'auth.page.switch.signup.question' })}
          <a href=${authPageHref('signup', config)} data-testid="switch-to-signup"
            >${msg('Create an account', { id: 'auth.page.switch.signup.link' })}</a
          >
        </p>`;
  }

  private codeSent(event: CustomEvent<CodeSent>): void {
    ({ email: this.email, flow: this.flow, expiresIn: this.expiresIn } = event.detail);
    this.codeNotice = event.detail.notice ?? null;
    void this.goTo('code');
  }

  private async goTo(step: Step): Promise<void> {
    this.step = step;
    await this.focusStep();
  }

  /** Moves focus into the current step once it has rendered, else to the heading. */
  private async focusStep(): Promise<void> {
    await this.updateComplete;
    const step = this.renderRoot.querySelector<LitElement>('[data-step]');
    await step?.updateComplete;
    step?.focus();
    const active = document.activeElement;
    if (active === null || active === document.body) {
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    }
  }
}

/** The app's first letter, drawn in the brand colour where there is no logo. */
function initial(appName: string): string {
  return [...appName.trim()][0]?.toUpperCase() ?? '';
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-auth-page': TnAuthPage;
  }
}
