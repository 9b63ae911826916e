import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { textField } from '../shared/text-field.js';
import type { ProblemError } from './graphql.js';
import { PortalApi, type OrganizationSettings } from './portal-api.js';
import { portalStyles } from './portal-styles.js';
import { focusWhenRendered, saveForm } from './save-form.js';
import { organizationSettingsStyles } from './tn-organization-settings.styles.js';

export const SETTINGS_MESSAGES = {
  name: 'Enter the organization name.',
  domain: 'Enter a domain name such as example.com.',
  duplicate: (domain: string) => `${domain} is already in the list.`,
} as const;

/** The form the server would store: lower case, without a leading @ or a trailing dot. */
export function normalizeDomain(raw: string): string {
  return raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}

/** A loose shape check so typos are caught early; the server decides what it accepts. */
function domainProblem(domain: string, domains: readonly string[]): string | undefined {
  if (!/^[^\s@/:]+\.[^\s@/:.]+$/.test(domain)) return SETTINGS_MESSAGES.domain;
  if (domains.includes(domain)) return SETTINGS_MESSAGES.duplicate(domain);
  return undefined;
}

/**
 * @summary The active organization's name and allowed email domains; editable with
 * `sk_org_settings_manage`, read-only otherwise.
 *
 * @event tn-organization-updated - The settings were saved. `detail` is `{id, name, allowedEmailDomains}`.
 *
 * @csspart field - Each label and input pair.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons and focus ring.
 * @cssproperty --tn-danger - Errors.
 * @cssproperty --tn-surface - Panel background.
 */
@customElement('tn-organization-settings')
export class TnOrganizationSettings extends LitElement {
  static override styles = [baseStyles, portalStyles, organizationSettingsStyles];

  @property({ attribute: false }) api = new PortalApi();

  /** The active organization, whose settings are shown. */
  @property({ attribute: false }) organizationId = '';

  /** The viewer's permissions in it; `sk_org_settings_manage` makes the form editable. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  @state() private name = '';
  @state() private domains: string[] = [];
  @state() private newDomain = '';
  @state() private problems: { name?: string; domain?: string } = {};
  /** The domain the server refused on the last save. */
  @state() private refusedDomain: string | null = null;
  @state() private saved = false;

  private readonly request: RequestController = new RequestController(this);

  private readonly settings = new Task(this, {
    args: () => [this.api, this.organizationId] as const,
    task: ([api, organizationId], { signal }) => api.organizationSettings(organizationId, { signal }),
    onComplete: (settings) => this.reset(settings),
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_settings_manage');
  }

  protected override render() {
    return this.settings.render({
      pending: () =>
        html`<p class="status" role="status" aria-busy="true" data-testid="org-loading">
          Loading the organization…
        </p>`,
      error: (error) => html`
        ${errorAlert(toProblem(error))}
        <button class="secondary" type="button" @click=${() => this.settings.run()}>Try again</button>
      `,
      complete: (settings) => (this.canManage ? this.renderForm() : this.renderReadOnly(settings)),
    });
  }

  private renderReadOnly(settings: OrganizationSettings) {
    return html`
      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <dl>
          <div>
            <dt>Name</dt>
            <dd data-testid="org-name">${settings.name}</dd>
          </div>
          <div>
            <dt>Allowed email domains</dt>
            <dd data-testid="org-domains">
              ${settings.allowedEmailDomains.length ? settings.allowedEmailDomains.join(', ') : 'None'}
            </dd>
          </div>
        </dl>
        <p class="hint">Only an organization admin can change these settings.</p>
      </section>
    `;
  }

  private renderForm() {
    const busy = this.request.running('save');
    return html`
      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        ${errorAlert(this.request.error)}
        <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
          ${textField({
            id: 'org-name',
            label: 'Organization name',
            value: this.name,
            testid: 'org-name-input',
            autocomplete: 'organization',
            maxlength: 120,
            error: this.problems.name,
            onInput: (value) => {
              this.name = value;
              this.problems = { ...this.problems, name: undefined };
              this.saved = false;
            },
          })}
          <fieldset aria-describedby="domains-hint">
            <legend>Allowed email domains</legend>
            <p class="hint" id="domains-hint">
              Domains your organization owns, such as example.com. Public email providers are not
              accepted.
            </p>
            ${this.renderDomains()}
            <div class="inline">
              <div class="field">
                <label for="domain-input">Domain to add</label>
                <input
                  id="domain-input"
                  type="text"
                  inputmode="url"
                  autocapitalize="none"
                  spellcheck="false"
                  data-testid="domain-input"
                  aria-invalid=${this.problems.domain ? 'true' : 'false'}
                  aria-describedby=${ifDefined(this.problems.domain ? 'domain-input-error' : undefined)}
                  .value=${live(this.newDomain)}
                  @input=${(event: InputEvent) => {
                    this.newDomain = (event.target as HTMLInputElement).value;
                    this.problems = { ...this.problems, domain: undefined };
                  }}
                  @keydown=${(event: KeyboardEvent) => {
                    if (event.key !== 'Enter') return;
                    event.preventDefault();
                    void this.addDomain();
                  }}
                />
              </div>
              <button class="secondary" type="button" data-testid="domain-add" @click=${this.addDomain}>
                Add domain
              </button>
            </div>
            ${this.problems.domain
              ? html`<p class="field-error" id="domain-input-error" data-testid="domain-input-error">
                  ${this.problems.domain}
                </p>`
              : nothing}
          </fieldset>
          <div class="buttons">
            <button
              class="primary"
              type="submit"
              data-testid="org-save"
              aria-busy=${busy ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('save')}
            >
              Save changes
            </button>
          </div>
          ${this.saved
            ? html`<p class="success" role="status" tabindex="-1" data-testid="org-saved">
                The organization settings are saved.
              </p>`
            : nothing}
        </form>
      </section>
    `;
  }

  private renderDomains() {
    if (this.domains.length === 0) {
      return html`<p class="hint" data-testid="domains-empty">No domains yet.</p>`;
    }
    return html`<ul class="domains" data-testid="domain-list">
      ${this.domains.map((domain) => {
        const refused = domain === this.refusedDomain;
        return html`<li data-testid="domain-${domain}" ?data-invalid=${refused}>
          <span>
            ${domain}
            ${refused ? html`<span class="field-error" id="refused-domain">Not accepted</span>` : nothing}
          </span>
          <button
            class="link"
            type="button"
            data-testid="domain-remove-${domain}"
            aria-label="Remove ${domain}"
            aria-describedby=${ifDefined(refused ? 'refused-domain' : undefined)}
            @click=${() => this.removeDomain(domain)}
          >
            Remove
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private reset(settings: OrganizationSettings): void {
    this.name = settings.name;
    this.domains = [...settings.allowedEmailDomains];
    this.refusedDomain = null;
  }

  private async addDomain(): Promise<void> {
    const domain = normalizeDomain(this.newDomain);
    const problem = domainProblem(domain, this.domains);
    this.problems = { ...this.problems, domain: problem };
    if (!problem) {
      this.domains = [...this.domains, domain];
      this.newDomain = '';
      this.saved = false;
    }
    await focusWhenRendered(this, '#domain-input');
  }

  private async removeDomain(domain: string): Promise<void> {
    this.domains = this.domains.filter((kept) => kept !== domain);
    if (domain === this.refusedDomain) this.refusedDomain = null;
    this.saved = false;
    await focusWhenRendered(this, '#domain-input');
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.saved = false;
    const name = this.name.trim();
    if (!name) {
      this.problems = { ...this.problems, name: SETTINGS_MESSAGES.name };
      await focusWhenRendered(this, '#org-name');
      return;
    }
    await saveForm(this, this.request, {
      save: async () => {
        this.refusedDomain = null;
        const settings = await this.api.updateOrganization({
          organizationId: this.organizationId,
          name,
          allowedEmailDomains: this.domains,
        });
        this.reset(settings);
        this.dispatchEvent(
          new CustomEvent<OrganizationSettings>('tn-organization-updated', {
            detail: settings,
            bubbles: true,
            composed: true,
          }),
        );
      },
      markProblem: (problem) => this.markProblem(problem),
      onSaved: () => (this.saved = true),
      savedStatus: '[data-testid="org-saved"]',
    });
  }

  private markProblem({ domain, field, message }: ProblemError['problem']): void {
    if (typeof domain === 'string') this.refusedDomain = normalizeDomain(domain);
    if (field === 'name') this.problems = { ...this.problems, name: message };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-organization-settings': TnOrganizationSettings;
  }
  interface HTMLElementEventMap {
    'tn-organization-updated': CustomEvent<OrganizationSettings>;
  }
}
