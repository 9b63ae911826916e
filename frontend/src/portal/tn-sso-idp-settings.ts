import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import {
  IDP_MESSAGES,
  METADATA_MAX_CHARS,
  metadataProblem,
  textProblem,
  urlProblem,
} from './idp-input.js';
import { portalStyles } from './portal-styles.js';
import type { ConnectionSettings, SsoConnection } from './sso-api.js';

/** The form's inputs a refusal can point at. */
export type IdpInput =
  | 'metadataUrl'
  | 'metadataXml'
  | 'samlFields'
  | 'entityId'
  | 'ssoUrl'
  | 'certificate'
  | 'issuer'
  | 'clientId'
  | 'clientSecret';

/** A refusal shown at one input: the client's own check, or the server's (METADATA_INVALID …). */
export interface IdpRefusal {
  input: IdpInput;
  message: string;
}

declare global {
  interface HTMLElementEventMap {
    'tn-sso-idp-save': CustomEvent<ConnectionSettings>;
  }
  interface HTMLElementTagNameMap {
    'tn-sso-idp-settings': TnSsoIdpSettings;
  }
}

type SamlWay = 'metadata' | 'url' | 'fields';

/**
 * @summary The identity provider's settings to fill back: for SAML its metadata XML (pasted or
 * uploaded) or its entity ID, SSO URL and certificate; for OIDC its issuer, client ID and
 * secret. Checks what it can, then asks its host to save.
 *
 * @event tn-sso-idp-save - The settings to send as `updateConnection`'s `saml` or `oidc` input.
 *
 * @cssproperty --tn-danger - Field errors.
 */
@customElement('tn-sso-idp-settings')
export class TnSsoIdpSettings extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        width: 100%;
        min-height: 8rem;
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        font-size: 0.8125rem;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        font-weight: 600;
        margin-block-end: 0.5rem;
      }
      .choice {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin-block-end: 0.25rem;
      }
      .choice input {
        width: auto;
      }
      .field + .field {
        margin-block-start: 0.75rem;
      }
      .current {
        margin-block-end: 1rem;
      }
      code {
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        overflow-wrap: anywhere;
      }
      form {
        grid-template-columns: minmax(0, 1fr);
      }
      form > button {
        justify-self: start;
        white-space: normal;
      }
      input[type='file'] {
        min-width: 0;
        max-width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) connection!: SsoConnection;

  /** The server's refusal of the last save, shown at its input. */
  @property({ attribute: false }) refusal: IdpRefusal | null = null;

  @property({ type: Boolean }) busy = false;

  @state() private way: SamlWay = 'metadata';
  @state() private values: Record<string, string> = {};
  @state() private problem: IdpRefusal | null = null;

  private get shown(): IdpRefusal | null {
    return this.problem ?? this.refusal;
  }

  protected override render() {
    const oidc = this.connection.protocol === 'OIDC';
    return html`${this.renderCurrent()}
      <form novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.submit}>
        ${oidc ? this.renderOidc() : this.renderSaml()}
        <button class="primary" type="submit" data-testid="sso-idp-save" ?disabled=${this.busy}>
          ${this.busy ? 'Saving…' : 'Save identity provider settings'}
        </button>
      </form>`;
  }

  private renderCurrent() {
    const { saml, oidc } = this.connection;
    if (saml) {
      return html`<p class="hint current" data-testid="sso-idp-current">
        Saved now: entity ID <code>${saml.entityId}</code>, SSO URL <code>${saml.ssoUrl}</code>,
        ${saml.certificates.length} signing certificate${saml.certificates.length === 1 ? '' : 's'}.
        Saving again replaces them.
      </p>`;
    }
    if (oidc?.issuer) {
      return html`<p class="hint current" data-testid="sso-idp-current">
        Saved now: issuer <code>${oidc.issuer}</code>, client ID
        <code>${oidc.clientId ?? 'none'}</code>,
        ${oidc.hasClientSecret ? 'a client secret (never shown)' : 'no client secret'}. Leave the
        secret empty to keep it.
      </p>`;
    }
    return nothing;
  }

  private renderSaml() {
    return html`<fieldset>
        <legend>How do you bring the identity provider's settings?</legend>
        ${this.choice('metadata', 'Its metadata XML (paste or upload)')}
        ${this.choice('url', 'The address its metadata is published at')}
        ${this.choice('fields', 'Its entity ID, SSO URL and certificate')}
      </fieldset>
      ${
        this.way === 'url'
          ? this.input('metadataUrl', 'Identity provider metadata URL', 'sso-metadata-url', 'url')
          : this.way === 'metadata'
            ? html`${this.textarea('metadataXml', 'Identity provider metadata XML', 'sso-metadata-xml')}
                <div class="field">
                  <label for="metadataFile">Or upload the metadata file</label>
                  <input
                    id="metadataFile"
                    type="file"
                    accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
                    data-testid="sso-metadata-file"
                    @change=${this.readFile}
                  />
                </div>`
            : html`<div
                role="group"
                aria-labelledby="saml-fields-heading"
                aria-describedby=${ifDefined(this.shown?.input === 'samlFields' ? 'samlFields-error' : undefined)}
              >
                <p id="saml-fields-heading" class="hint">
                  From the identity provider's SAML set-up page:
                </p>
                ${this.error('samlFields')}
                ${this.input('entityId', 'Identity provider entity ID (issuer)', 'sso-idp-entity-id')}
                ${this.input('ssoUrl', 'Single sign-on URL', 'sso-idp-sso-url', 'url')}
                ${this.textarea('certificate', 'Signing certificate (PEM or base64)', 'sso-idp-certificate')}
              </div>`
      }`;
  }

  private renderOidc() {
    return html`${this.input('issuer', 'Issuer URL', 'sso-oidc-issuer', 'url')}
    ${this.input('clientId', 'Client ID', 'sso-oidc-client-id')}
    ${this.input('clientSecret', 'Client secret', 'sso-oidc-client-secret', 'password')}`;
  }

  private choice(way: SamlWay, label: string) {
    return html`<div class="choice">
      <input
        type="radio"
        id="way-${way}"
        name="saml-way"
        data-testid="sso-way-${way}"
        .checked=${live(this.way === way)}
        @change=${() => {
          this.way = way;
          this.problem = null;
        }}
      />
      <label for="way-${way}">${label}</label>
    </div>`;
  }

  private input(
    id: IdpInput,
    label: string,
    testid: string,
    type: 'text' | 'url' | 'password' = 'text',
  ) {
    const refused = this.shown?.input === id;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${id}
        type=${type}
        autocomplete=${type === 'password' ? 'new-password' : 'off'}
        spellcheck="false"
        data-testid=${testid}
        aria-invalid=${refused ? 'true' : 'false'}
        aria-describedby=${ifDefined(refused ? `${id}-error` : undefined)}
        .value=${live(this.values[id] ?? '')}
        @input=${(event: InputEvent) => this.set(id, (event.target as HTMLInputElement).value)}
      />
      ${this.error(id)}
    </div>`;
  }

  private textarea(id: IdpInput, label: string, testid: string) {
    const refused = this.shown?.input === id;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <textarea
        id=${id}
        name=${id}
        spellcheck="false"
        maxlength=${METADATA_MAX_CHARS}
        data-testid=${testid}
        aria-invalid=${refused ? 'true' : 'false'}
        aria-describedby=${ifDefined(refused ? `${id}-error` : undefined)}
        .value=${live(this.values[id] ?? '')}
        @input=${(event: InputEvent) => this.set(id, (event.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${this.error(id)}
    </div>`;
  }

  private error(id: IdpInput) {
    const shown = this.shown;
    return shown?.input === id
      ? html`<p class="field-error" id="${id}-error" data-testid="sso-idp-error">
          ${shown.message}
        </p>`
      : nothing;
  }

  private set(id: IdpInput, value: string): void {
    this.values = { ...this.values, [id]: value };
    this.problem = null;
    this.refusal = null;
  }

  private async readFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > METADATA_MAX_CHARS * 4) {
      await this.refuse({ input: 'metadataXml', message: IDP_MESSAGES.metadataTooLong });
      return;
    }
    try {
      this.set('metadataXml', await file.text());
    } catch {
      await this.refuse({ input: 'metadataXml', message: IDP_MESSAGES.fileUnreadable });
    }
  }

  /** The settings to send, or the first input whose value cannot be sent. */
  private settings(): ConnectionSettings | IdpRefusal {
    const value = (id: IdpInput) => (this.values[id] ?? '').trim();
    const first = (checks: [IdpInput, string | null][]): IdpRefusal | null => {
      const found = checks.find(([, message]) => message !== null);
      return found ? { input: found[0], message: found[1]! } : null;
    };
    if (this.connection.protocol === 'OIDC') {
      const keepSecret = this.connection.oidc?.hasClientSecret && !value('clientSecret');
      const refused = first([
        ['issuer', urlProblem(value('issuer'), 'issuer URL')],
        ['clientId', textProblem(value('clientId'), 'client ID')],
        [
          'clientSecret',
          keepSecret ? null : textProblem(value('clientSecret'), 'client secret', 256),
        ],
      ]);
      if (refused) return refused;
      return {
        oidc: {
          issuer: value('issuer'),
          clientId: value('clientId'),
          ...(keepSecret ? {} : { clientSecret: value('clientSecret') }),
        },
      };
    }
    if (this.way === 'url') {
      const problem = urlProblem(value('metadataUrl'), 'metadata URL');
      return problem
        ? { input: 'metadataUrl', message: problem }
        : { saml: { metadataUrl: value('metadataUrl') } };
    }
    if (this.way === 'metadata') {
      const problem = metadataProblem(value('metadataXml'));
      return problem
        ? { input: 'metadataXml', message: problem }
        : { saml: { metadataXml: value('metadataXml') } };
    }
    const refused = first([
      ['entityId', textProblem(value('entityId'), 'entity ID')],
      ['ssoUrl', urlProblem(value('ssoUrl'), 'single sign-on URL')],
      ['certificate', textProblem(value('certificate'), 'certificate', 20_000)],
    ]);
    if (refused) return refused;
    return {
      saml: {
        entityId: value('entityId'),
        ssoUrl: value('ssoUrl'),
        certificate: value('certificate'),
      },
    };
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const settings = this.settings();
    if ('input' in settings) {
      await this.refuse(settings);
      return;
    }
    this.dispatchEvent(
      new CustomEvent('tn-sso-idp-save', { detail: settings, bubbles: true, composed: true }),
    );
  }

  private async refuse(refusal: IdpRefusal): Promise<void> {
    this.problem = refusal;
    await this.updateComplete;
    this.focusRefused();
  }

  /** Moves focus to the input the refusal names (or the first of the three fields). */
  focusRefused(): void {
    const input = this.shown?.input;
    if (!input) return;
    const target = input === 'samlFields' ? 'entityId' : input;
    this.renderRoot.querySelector<HTMLElement>(`#${target}`)?.focus();
  }

  /** Forgets what was typed, after a successful save. */
  clear(): void {
    this.values = {};
    this.problem = null;
  }

  /** Which way SAML settings are given now: a server refusal is shown at that part of the form. */
  get samlWay(): SamlWay {
    return this.way;
  }
}
