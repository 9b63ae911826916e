import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { ProblemError } from './graphql.js';
import { portalStyles } from './portal-styles.js';
import { RecentSignInController } from './recent-sign-in.js';
import { focusWhenRendered } from './save-form.js';
import { SsoApi, type ConnectionSettings, type RoleChoice, type SsoConnection } from './sso-api.js';
import { connectionActions } from './sso-connection-actions.js';
import { guideSteps } from './sso-guide-steps.js';
import { guideFor } from './sso-guides/index.js';
import {
  CONNECTION_STATUS_LABELS,
  CONNECTION_STATUS_TONES,
  PROTOCOL_LABELS,
  certificateExpirySentence,
  connectionStatusSentence,
  firstCertificateExpiry,
  hasIdpSettings,
} from './sso-status.js';
import { ssoSetupStyles } from './tn-sso-setup.styles.js';
import type { IdpRefusal, TnSsoIdpSettings } from './tn-sso-idp-settings.js';
import type { TnSsoMapping } from './tn-sso-mapping.js';
import './tn-reauthenticate.js';
import './tn-sso-idp-settings.js';
import './tn-sso-mapping.js';
import './tn-sso-test.js';

export const SSO_MESSAGES = {
  copyFailed: 'Your browser did not allow copying. Select the text and copy it instead.',
  nothingChanged: 'Nothing changed.',
} as const;

declare global {
  interface HTMLElementEventMap {
    'tn-sso-connection-changed': CustomEvent<SsoConnection>;
    'tn-sso-connection-deleted': CustomEvent<{ id: string; name: string }>;
  }
  interface HTMLElementTagNameMap {
    'tn-sso-setup': TnSsoSetup;
  }
}

/**
 * @summary One SSO connection, from draft to enabled: the provider's guide (its steps, our values with copy buttons, our metadata to download, the
 * identity provider's settings to fill back), Test connection in a new tab with the result
 * read back when this tab is shown again, attribute mapping and default role, and Enable,
 * Disable, a new certificate and a confirmed Delete. Read-only without `sk_org_sso_manage`.
 *
 * Every change needs a recent sign-in: when the server asks, "Confirm it's you" shows and the
 * change waits.
 *
 * @event tn-sso-connection-changed - The connection changed; detail is it now.
 * @event tn-sso-connection-deleted - The connection was deleted; detail names it.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, Active badge and focus ring.
 * @cssproperty --tn-danger - Errors, Disabled badge, Delete.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints, borders and value backgrounds.
 */
@customElement('tn-sso-setup')
export class TnSsoSetup extends LitElement {
  static override styles = [baseStyles, portalStyles, ssoSetupStyles];

  @property({ attribute: false }) api = new SsoApi();
  @property({ attribute: false }) organizationId = '';
  @property({ attribute: false }) connection!: SsoConnection;
  @property({ attribute: false }) roles: readonly RoleChoice[] = [];
  /** `sk_org_sso_manage` allows every change; read-only otherwise. */
  @property({ attribute: false }) permissions: readonly string[] = [];
  /** The signed-in person's email, for "Sign in again". */
  @property() email = '';

  /** The status message shown under the heading, such as what the last change did. */
  @property({ attribute: false }) notice = '';
  @state() private confirming: 'delete' | 'rotate' | null = null;
  @state() private idpRefusal: IdpRefusal | null = null;
  @state() private mappingRefusal: { field: string; message: string } | null = null;

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(
    this,
    this.request,
  );

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_sso_manage');
  }

  protected override render() {
    const connection = this.connection;
    const guide = guideFor(connection.provider);
    return html`
      ${this.renderHeader(connection, guide.label)}
      <section class="panel" aria-labelledby="guide-heading">
        <h3 id="guide-heading">Set up ${guide.label}</h3>
        ${guideSteps(guide, connection, {
          copy: (text, what) => this.copy(text, what),
          fillBack: this.renderFillBack(connection),
        })}
      </section>
      ${this.renderTest(connection)} ${this.renderMapping(connection)}
      ${this.canManage ? this.renderActions(connection) : nothing}
    `;
  }

  private renderHeader(connection: SsoConnection, providerLabel: string) {
    const expiry = firstCertificateExpiry(connection);
    return html`<section class="panel" aria-labelledby="sso-setup-heading">
      <div class="head">
        <h2 id="sso-setup-heading" tabindex="-1">${connection.name}</h2>
        <span
          class="badge ${CONNECTION_STATUS_TONES[connection.status]}"
          data-testid="sso-setup-status"
          >${CONNECTION_STATUS_LABELS[connection.status]}</span
        >
      </div>
      <p class="hint">${providerLabel} · ${PROTOCOL_LABELS[connection.protocol]}</p>
      <p data-testid="sso-status-sentence">${connectionStatusSentence(connection)}</p>
      ${expiry ? html`<p class="hint" data-testid="sso-certificate-expiry">${certificateExpirySentence(expiry)}</p>` : nothing}
      ${
        this.canManage
          ? nothing
          : html`<p class="hint" data-testid="sso-read-only">
              Only an organization admin can change SSO connections.
            </p>`
      }
      ${this.renderConfirmation()} ${errorAlert(this.request.error)}
      <div role="status">
        ${this.notice ? html`<p class="success" tabindex="-1" data-testid="sso-status">${this.notice}</p>` : nothing}
      </div>
    </section>`;
  }

  private renderConfirmation() {
    const waiting = this.recentSignIn.waiting;
    if (!waiting) return nothing;
    return html`<tn-reauthenticate
      data-testid="reauthenticate"
      .email=${this.email}
      .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
      .purpose=${waiting.purpose}
      return-to="/ui/sso"
      @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
      @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
    ></tn-reauthenticate>`;
  }

  private renderFillBack(connection: SsoConnection) {
    if (this.canManage) {
      return html`<tn-sso-idp-settings
        .connection=${connection}
        .refusal=${this.idpRefusal}
        ?busy=${this.request.running('save-idp')}
        @tn-sso-idp-save=${(event: CustomEvent<ConnectionSettings>) => this.saveIdp(event.detail)}
      ></tn-sso-idp-settings>`;
    }
    return hasIdpSettings(connection)
      ? html`<p class="hint">The identity provider's settings are saved.</p>`
      : html`<p class="hint">The identity provider's settings are not saved yet.</p>`;
  }

  private renderTest(connection: SsoConnection) {
    return html`<section class="panel" aria-labelledby="test-heading">
      <h3 id="test-heading">Test the connection</h3>
      <tn-sso-test
        .api=${this.api}
        .connection=${connection}
        @tn-sso-connection-changed=${(event: CustomEvent<SsoConnection>) => (this.connection = event.detail)}
      ></tn-sso-test>
    </section>`;
  }

  private renderMapping(connection: SsoConnection) {
    return html`<section class="panel" aria-labelledby="mapping-heading">
      <h3 id="mapping-heading">Attributes and role</h3>
      <p class="hint">
        The attribute names we read from
        ${connection.protocol === 'OIDC' ? 'the ID token' : 'the SAML assertion'}, and the role
        people get the first time they sign in. A mapping change needs a new test.
      </p>
      <tn-sso-mapping
        .connection=${connection}
        .roles=${this.roles}
        .refusal=${this.mappingRefusal}
        ?read-only=${!this.canManage}
        ?busy=${this.request.running('save-mapping')}
        @tn-sso-mapping-save=${(event: CustomEvent<ConnectionSettings>) =>
          this.saveMapping(event.detail)}
      ></tn-sso-mapping>
    </section>`;
  }

  private renderActions(connection: SsoConnection) {
    return connectionActions(connection, {
      confirming: this.confirming,
      idle: !this.request.busy && !this.recentSignIn.waiting,
      running: (action) => this.request.running(action),
      anyRunning: this.request.busy,
      enable: () => this.enable(connection),
      disable: () => this.disable(connection),
      ask: (what) => this.ask(what),
      cancel: (what) => this.cancelConfirm(`[data-testid="sso-${what}"]`),
      rotate: () => this.rotate(connection),
      delete: () => this.deleteConnection(connection),
    });
  }

  private async saveIdp(settings: ConnectionSettings): Promise<void> {
    const connection = this.connection;
    this.idpRefusal = null;
    await this.recentSignIn.run({
      action: 'save-idp',
      purpose: "save the identity provider's settings",
      origin: '[data-testid="sso-guide-steps"]',
      change: () => this.api.updateConnection(connection.id, settings),
      failed: (error) => (this.idpRefusal = this.refusalAtForm(error)),
      done: async (updated) => {
        this.form<TnSsoIdpSettings>('tn-sso-idp-settings')?.clear();
        this.changed(
          updated,
          "The identity provider's settings were saved. Now test the connection.",
        );
        await focusWhenRendered(this, '[data-testid="sso-status"]');
      },
    });
    if (this.idpRefusal) {
      await this.updateComplete;
      this.form<TnSsoIdpSettings>('tn-sso-idp-settings')?.focusRefused();
    }
  }

  /** Where the form shows the server's refusal: at the part of the form it is about. */
  private refusalAtForm(error: unknown): IdpRefusal | null {
    if (!(error instanceof ProblemError)) return null;
    const { problem } = error;
    const way = this.form<TnSsoIdpSettings>('tn-sso-idp-settings')?.samlWay ?? 'metadata';
    if (problem.__typename === 'DiscoveryFailed')
      return { input: 'issuer', message: problem.message };
    if (problem.__typename === 'MetadataInvalid' || problem.field === 'saml') {
      const input =
        way === 'url' ? 'metadataUrl' : way === 'metadata' ? 'metadataXml' : 'samlFields';
      return { input, message: problem.message };
    }
    const field = typeof problem.field === 'string' ? problem.field : '';
    if (['issuer', 'clientId', 'clientSecret'].includes(field)) {
      return { input: field as IdpRefusal['input'], message: problem.message };
    }
    return null;
  }

  private async saveMapping(settings: ConnectionSettings): Promise<void> {
    const connection = this.connection;
    this.mappingRefusal = null;
    if (Object.keys(settings).length === 0) {
      this.notice = SSO_MESSAGES.nothingChanged;
      await focusWhenRendered(this, '[data-testid="sso-status"]');
      return;
    }
    await this.recentSignIn.run({
      action: 'save-mapping',
      purpose: 'change the attribute mapping',
      origin: '#mapping-heading',
      change: () => this.api.updateConnection(connection.id, settings),
      failed: (error) => {
        if (error instanceof ProblemError) {
          const field =
            typeof error.problem.field === 'string' ? error.problem.field : 'defaultRole';
          this.mappingRefusal = { field, message: error.message };
        }
      },
      done: async (updated) => {
        this.form<TnSsoMapping>('tn-sso-mapping')?.clear();
        const retest = settings.attributeMapping
          ? ' Test the connection again before enabling it.'
          : '';
        this.changed(updated, `The mapping and role were saved.${retest}`);
        await focusWhenRendered(this, '[data-testid="sso-status"]');
      },
    });
  }

  private async enable(connection: SsoConnection): Promise<void> {
    await this.change(
      'enable',
      'enable the connection',
      '[data-testid="sso-enable"]',
      () => this.api.enableConnection(connection.id),
      (updated) =>
        `${updated.name} is enabled: people at your verified domains now sign in through it.`,
    );
  }

  private async disable(connection: SsoConnection): Promise<void> {
    await this.change(
      'disable',
      'disable the connection',
      '[data-testid="sso-disable"]',
      () => this.api.disableConnection(connection.id),
      (updated) => `${updated.name} is disabled: nobody signs in through it now.`,
    );
  }

  private async rotate(connection: SsoConnection): Promise<void> {
    await this.change(
      'rotate',
      'replace our signing certificate',
      '[data-testid="sso-rotate"]',
      () => this.api.rotateCertificate(connection.id),
      () =>
        'Our signing certificate was replaced. Give the identity provider our new metadata, then test the connection again.',
    );
    this.confirming = null;
  }

  private async change(
    action: string,
    purpose: string,
    origin: string,
    change: () => Promise<SsoConnection>,
    sentence: (updated: SsoConnection) => string,
  ): Promise<void> {
    this.notice = '';
    await this.recentSignIn.run({
      action,
      purpose,
      origin,
      change,
      done: async (updated) => {
        this.confirming = null;
        this.changed(updated, sentence(updated));
        await focusWhenRendered(this, '[data-testid="sso-status"]');
      },
    });
  }

  private async deleteConnection(connection: SsoConnection): Promise<void> {
    await this.recentSignIn.run({
      action: 'delete',
      purpose: 'delete the connection',
      origin: '[data-testid="sso-delete"]',
      change: () => this.api.deleteConnection(connection.id),
      done: (id) => {
        this.confirming = null;
        this.dispatchEvent(
          new CustomEvent('tn-sso-connection-deleted', {
            detail: { id, name: connection.name },
            bubbles: true,
            composed: true,
          }),
        );
      },
    });
  }

  private changed(connection: SsoConnection, notice: string): void {
    this.connection = connection;
    this.notice = notice;
    this.dispatchEvent(
      new CustomEvent('tn-sso-connection-changed', {
        detail: connection,
        bubbles: true,
        composed: true,
      }),
    );
  }

  private async ask(what: 'delete' | 'rotate'): Promise<void> {
    this.notice = '';
    this.confirming = what;
    await focusWhenRendered(this, `[data-testid="sso-${what}-cancel"]`);
  }

  private async cancelConfirm(origin: string): Promise<void> {
    this.confirming = null;
    await focusWhenRendered(this, origin);
  }

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    if (origin) await focusWhenRendered(this, origin);
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
    } catch {
      await this.request.show({ code: 'copy_failed', message: SSO_MESSAGES.copyFailed });
      return;
    }
    this.request.clearError();
    this.notice = `Copied ${what}.`;
  }

  private form<T extends HTMLElement>(tag: string): T | null {
    return this.renderRoot.querySelector<T>(tag);
  }
}
