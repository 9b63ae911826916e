import { Task } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
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
import { portalLink } from './portal-link.js';
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

/** What the allowed email domains do, in one sentence. */
export const ALLOWED_DOMAINS_EXPLANATION =
  'People whose verified email address is at one of these domains can join your organization when they sign in, without an invitation.';

/** Whether the organization has domain verification; settings from an older server lack `features`. */
function verifiesDomains(settings: OrganizationSettings): boolean {
  const features: readonly string[] | undefined = settings.features;
  return features?.includes('DOMAIN_VERIFICATION') ?? false;
}

/** What changed since the last save, in words, or "" when nothing did. */
export function unsavedSummary(
  saved: { name: string; allowedEmailDomains: readonly string[] },
  name: string,
  domains: readonly string[],
): string {
  const added = domains.filter((domain) => !saved.allowedEmailDomains.includes(domain)).length;
  const removed = saved.allowedEmailDomains.filter((domain) => !domains.includes(domain)).length;
  const parts = [
    name.trim() !== saved.name ? 'the name changed' : '',
    added ? `${added} ${added === 1 ? 'domain' : 'domains'} added` : '',
    removed ? `${removed} ${removed === 1 ? 'domain' : 'domains'} removed` : '',
  ].filter(Boolean);
  if (!parts.length) return '';
  const list = new Intl.ListFormat('en', { type: 'conjunction' }).format(parts);
  return `Unsaved changes: ${list}. Save changes to apply them.`;
}

/**
 * @summary The active organization's name and allowed email domains; editable with
 * `sk_org_settings_manage`, read-only otherwise.
 *
 * The name and the domains are one form with one Save, as on the portal's other forms: an
 * allowed domain lets anyone there join, so an admin reviews the whole change before it takes
 * effect. Added domains are marked "Not saved yet" and a note beside Save lists what is
 * unsaved, so nothing looks applied before it is. When the organization has domain
 * verification, the fieldset links to the Domains page, which is about proving ownership.
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
  /** The settings as last loaded or saved, to tell what is not saved yet. */
  @state() private stored: OrganizationSettings | null = null;

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
        html`<section class="panel" aria-busy="true" data-testid="org-loading">
          <p class="visually-hidden" role="status">Loading the organization…</p>
          <div class="skeleton" aria-hidden="true">
            <sl-skeleton effect="sheen" class="label"></sl-skeleton>
            <sl-skeleton effect="sheen" class="input"></sl-skeleton>
            <sl-skeleton effect="sheen" class="label"></sl-skeleton>
            <sl-skeleton effect="sheen" class="input"></sl-skeleton>
          </div>
        </section>`,
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
        <p class="hint">${ALLOWED_DOMAINS_EXPLANATION} ${this.domainsLink(settings)}</p>
        <p class="hint">Only an organization admin can change these settings.</p>
      </section>
    `;
  }

  /**
   * To the Domains page, when the organization has domain verification: its one condition
   * beyond `sk_org_settings_read`, which this page already needs.
   */
  private domainsLink(settings: OrganizationSettings) {
    if (!verifiesDomains(settings)) return nothing;
    return html`To prove your organization owns a domain, for single sign-on and directory sync,
      verify it on the ${portalLink('domains', 'Domains page')}.`;
  }

  private renderForm() {
    const busy = this.request.running('save');
    const unsaved = this.stored ? unsavedSummary(this.stored, this.name, this.domains) : '';
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
              ${ALLOWED_DOMAINS_EXPLANATION} Public email providers such as gmail.com are not
              accepted.
            </p>
            ${this.stored && verifiesDomains(this.stored)
              ? html`<p class="hint">${this.domainsLink(this.stored)}</p>`
              : nothing}
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
              aria-describedby=${ifDefined(unsaved ? 'org-unsaved' : undefined)}
              ?disabled=${!this.request.canRun('save')}
            >
              Save changes
            </button>
            ${unsaved
              ? html`<p class="unsaved" id="org-unsaved" data-testid="org-unsaved">${unsaved}</p>`
              : nothing}
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
      return html`<p class="hint" data-testid="domains-empty">
        No allowed domains yet. Add one below, such as the domain of your work email addresses.
      </p>`;
    }
    return html`<ul class="domains" data-testid="domain-list">
      ${this.domains.map((domain) => {
        const refused = domain === this.refusedDomain;
        const staged = !refused && !this.stored?.allowedEmailDomains.includes(domain);
        return html`<li data-testid="domain-${domain}" ?data-invalid=${refused} ?data-staged=${staged}>
          <span class="domain">
            <span>${domain}</span>
            ${refused ? html`<span class="field-error" id="refused-domain">Not accepted</span>` : nothing}
            ${staged
              ? html`<span class="badge pending" data-testid="domain-unsaved-${domain}"
                  >Not saved yet</span
                >`
              : nothing}
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
    this.stored = settings;
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
