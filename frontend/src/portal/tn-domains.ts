import { Task, TaskStatus } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { confirmGroup } from './confirm-group.js';
import { formatDateTime } from './dates.js';
import { DomainsApi, type Domain, type DomainStatus } from './domains-api.js';
import { ProblemError } from './graphql.js';
import { portalLink } from './portal-link.js';
import { portalStyles } from './portal-styles.js';
import { timeAgo } from './relative-time.js';
import { focusWhenRendered } from './save-form.js';
import { normalizeDomain } from './tn-organization-settings.js';
import { domainsStyles } from './tn-domains.styles.js';

/** The host label every TXT record goes under, before the domain. */
export const CHALLENGE_LABEL = '_tenantry-challenge';

export const STATUS_LABELS: Readonly<Record<DomainStatus, string>> = {
  PENDING: 'Pending check',
  VERIFIED: 'Verified',
  FAILED: 'Failed',
  LAPSED: 'Lapsed',
};

const STATUS_TONES: Readonly<Record<DomainStatus, string>> = {
  PENDING: 'pending',
  VERIFIED: 'good',
  FAILED: 'warn',
  LAPSED: 'warn',
};

export const DOMAIN_MESSAGES = {
  name: 'Enter a domain name such as example.com.',
  duplicate: (domain: string) => `${domain} is already on the list.`,
  copyFailed: 'Your browser did not allow copying. Select the text and copy it instead.',
} as const;

/** What a domain's status means for the person reading it, and what to do next. */
export function statusSentence(domain: Domain): string {
  switch (domain.status) {
    case 'PENDING':
      return 'Waiting for the TXT record. We look for it automatically, often at first, for seven days.';
    case 'VERIFIED':
      return `Verified${domain.verifiedAt ? ` on ${formatDateTime(domain.verifiedAt)}` : ''}. Keep the record published: we check it daily.`;
    case 'FAILED':
      return 'The record was not found within seven days. Publish it, then press Verify now.';
    case 'LAPSED':
      return 'The record was missing in three daily checks in a row, so the domain is no longer verified. Publish it again, then press Verify now.';
  }
}

/** The success message after "Verify now". */
export function verifySentence(domain: Domain): string {
  if (domain.status === 'VERIFIED') return `${domain.name} is verified.`;
  return `${domain.name} is not verified yet. ${domain.lastError ?? 'The TXT record was not found.'}`;
}

type Action = 'add' | 'list';

/**
 * @summary The active organization's claimed domains, each proven by a DNS TXT record: status,
 * the exact record to publish (with copy buttons), "Verify now" and a confirmed Remove. With
 * `sk_org_settings_manage` domains can be added, checked and removed; read-only otherwise.
 *
 * Shown only when the organization has the DOMAIN_VERIFICATION feature.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, verified badge and focus ring.
 * @cssproperty --tn-danger - Errors, failed and lapsed badges, Remove buttons.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints and borders.
 */
@customElement('tn-domains')
export class TnDomains extends LitElement {
  static override styles = [baseStyles, portalStyles, domainsStyles];

  @property({ attribute: false }) api = new DomainsApi();

  /** The active organization, whose domains are shown. */
  @property({ attribute: false }) organizationId = '';

  /** The viewer's permissions; `sk_org_settings_manage` allows adding, checking and removing. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  @state() private domains: Domain[] | null = null;
  @state() private newDomain = '';
  @state() private nameProblem: string | null = null;
  /** The domain whose removal waits for confirmation. */
  @state() private confirming: string | null = null;
  @state() private notice = '';
  /** Where the last failed request's alert is shown: beside the add form or above the list. */
  @state() private errorAt: Action = 'list';
  /** The server refused the name in the add form; its reason is in the alert. */
  @state() private refused = false;

  private readonly request: RequestController = new RequestController(this);

  private readonly domainsTask = new Task(this, {
    args: () => [this.api, this.organizationId] as const,
    task: ([api, organizationId], { signal }) => api.domains(organizationId, { signal }),
    onComplete: (domains) => (this.domains = domains),
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_settings_manage');
  }

  protected override render() {
    const domains = this.domains;
    if (!domains) {
      if (this.domainsTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.domainsTask.error))}
          <button class="secondary" type="button" @click=${() => this.domainsTask.run()}>Try again</button>`;
      }
      return html`<section
        class="panel"
        aria-labelledby="domains-heading"
        aria-busy="true"
        data-testid="domains-loading"
      >
        <h2 id="domains-heading">Your domains</h2>
        <p class="visually-hidden" role="status">Loading the domains…</p>
        <div class="domain skeleton" aria-hidden="true">
          <sl-skeleton effect="sheen" class="line wide"></sl-skeleton>
          <sl-skeleton effect="sheen" class="line"></sl-skeleton>
          <sl-skeleton effect="sheen" class="line"></sl-skeleton>
        </div>
      </section>`;
    }
    return html`
      <section class="panel" aria-labelledby="domains-heading">
        <h2 id="domains-heading">Your domains</h2>
        <p class="hint" id="domains-explanation">
          A verified domain is one your organization has proven it owns, by publishing a DNS TXT
          record; single sign-on and directory sync then trust addresses there. We check it daily,
          and it lapses when the record goes missing.
        </p>
        <p class="hint" data-testid="domains-allowed-note">
          To let people with an address at a domain join your organization when they sign in, add
          it to the allowed email domains in ${portalLink('organization', 'Organization settings')}.
        </p>
        ${this.errorAt === 'list' ? errorAlert(this.request.error) : nothing}
        <div role="status" class="notice">
          ${this.notice
            ? html`<p class="success" tabindex="-1" data-testid="domains-status">${this.notice}</p>`
            : nothing}
        </div>
        ${domains.length === 0
          ? html`<p class="empty" data-testid="domains-empty">
              No domains yet.
              ${this.canManage
                ? 'Add the domain of your work email addresses below, such as example.com.'
                : 'An organization admin can add one.'}
            </p>`
          : html`<ul class="domain-list" data-testid="domain-list">
              ${domains.map((domain) => this.renderDomain(domain))}
            </ul>`}
        ${this.canManage
          ? nothing
          : html`<p class="hint" data-testid="domains-read-only">
              Only an organization admin can add, verify or remove domains.
            </p>`}
      </section>
      ${this.canManage ? this.renderAddForm() : nothing}
    `;
  }

  private renderDomain(domain: Domain) {
    const { id, name } = domain;
    // A failed or lapsed domain's last check already says what happened and what to do.
    const explained = (domain.status === 'FAILED' || domain.status === 'LAPSED') && domain.lastError;
    return html`<li class="domain" data-testid="domain-row-${name}" aria-labelledby="domain-${id}">
      <div class="domain-head">
        <h3 id="domain-${id}" tabindex="-1">${name}</h3>
        <span class="badge ${STATUS_TONES[domain.status]}" data-testid="domain-status-${name}"
          >${STATUS_LABELS[domain.status] ?? domain.status}</span
        >
      </div>
      ${explained ? nothing : html`<p class="hint">${this.renderStatusSentence(domain)}</p>`}
      ${domain.lastError
        ? html`<p data-testid="domain-last-error-${name}">Last check: ${domain.lastError}</p>`
        : nothing}
      <dl class="record" aria-label="TXT record for ${name}">
        <div>
          <dt>Type</dt>
          <dd>TXT</dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd>
            <code data-testid="domain-txt-name-${name}">${domain.txtRecordName}</code>
            <button
              class="secondary copy"
              type="button"
              data-testid="domain-copy-name-${name}"
              @click=${() => this.copy(domain.txtRecordName, `the host for ${name}`)}
            >
              Copy<span class="visually-hidden"> the host for ${name}</span>
            </button>
          </dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>
            <code data-testid="domain-txt-value-${name}">${domain.txtRecordValue}</code>
            <button
              class="secondary copy"
              type="button"
              data-testid="domain-copy-value-${name}"
              @click=${() => this.copy(domain.txtRecordValue, `the value for ${name}`)}
            >
              Copy<span class="visually-hidden"> the value for ${name}</span>
            </button>
          </dd>
        </div>
      </dl>
      <p class="hint" data-testid="domain-zone-note-${name}">
        Some DNS consoles add ${name} to every host name themselves. There, enter only
        <code>${CHALLENGE_LABEL}</code> as the host.
      </p>
      ${this.renderChecks(domain)} ${this.canManage ? this.renderActions(domain) : nothing}
    </li>`;
  }

  /** The status sentence, with the verification moment relative and exact on hover. */
  private renderStatusSentence(domain: Domain) {
    if (domain.status !== 'VERIFIED' || !domain.verifiedAt) return statusSentence(domain);
    return html`Verified ${timeAgo(domain.verifiedAt)}. Keep the record published: we check it
    daily.`;
  }

  private renderChecks(domain: Domain) {
    if (!domain.lastCheckedAt && !domain.nextCheckAt) return nothing;
    return html`<p class="hint">
      ${domain.lastCheckedAt
        ? html`Last checked ${timeAgo(domain.lastCheckedAt)}.`
        : nothing}
      ${domain.nextCheckAt
        ? html`Next check ${timeAgo(domain.nextCheckAt)}.`
        : nothing}
    </p>`;
  }

  private renderActions(domain: Domain) {
    const { id, name } = domain;
    if (this.confirming === id) {
      const stops = domain.status === 'VERIFIED' ? 'It stops being verified and its' : 'Its';
      return confirmGroup({
        questionId: `confirm-${id}`,
        question: `Remove ${name}? ${stops} checks stop.`,
        confirmLabel: `Remove ${name}`,
        confirmTestId: 'domain-remove-confirm',
        cancelTestId: 'domain-remove-cancel',
        busy: this.request.running('remove'),
        confirmDisabled: this.request.busy,
        onConfirm: () => this.removeDomain(domain),
        onCancel: () => this.cancelRemoval(domain),
      });
    }
    const verifying = this.request.running(`verify-${id}`);
    return html`<div class="buttons">
      <button
        class="primary"
        type="button"
        data-testid="domain-verify-${name}"
        aria-busy=${verifying ? 'true' : 'false'}
        ?disabled=${this.request.busy}
        @click=${() => this.verify(domain)}
      >
        ${verifying ? 'Checking…' : 'Verify now'}<span class="visually-hidden"> ${name}</span>
      </button>
      <button
        class="danger"
        type="button"
        data-testid="domain-remove-${name}"
        ?disabled=${this.request.busy}
        @click=${() => this.askToRemove(domain)}
      >
        Remove<span class="visually-hidden"> ${name}</span>
      </button>
    </div>`;
  }

  private renderAddForm() {
    const busy = this.request.running('add');
    return html`<section class="panel" aria-labelledby="add-domain-heading">
      <h2 id="add-domain-heading">Add a domain</h2>
      ${this.errorAt === 'add' ? errorAlert(this.request.error) : nothing}
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.addDomain}>
        <div class="inline">
          <div class="field">
            <label for="domain-name">Domain</label>
            <p class="hint" id="domain-name-hint">
              Such as example.com. You then publish a TXT record there to prove it is yours.
            </p>
            <input
              id="domain-name"
              name="domain-name"
              type="text"
              required
              inputmode="url"
              autocapitalize="none"
              spellcheck="false"
              data-testid="domain-name-input"
              aria-invalid=${this.nameProblem || this.refused ? 'true' : 'false'}
              aria-describedby=${this.nameProblem ? 'domain-name-hint domain-name-error' : 'domain-name-hint'}
              .value=${live(this.newDomain)}
              @input=${(event: InputEvent) => {
                this.newDomain = (event.target as HTMLInputElement).value;
                this.nameProblem = null;
                this.refused = false;
              }}
            />
          </div>
          <button
            class="primary"
            type="submit"
            data-testid="domain-add"
            aria-busy=${busy ? 'true' : 'false'}
            ?disabled=${!this.request.canRun('add')}
          >
            Add domain
          </button>
        </div>
        ${this.nameProblem
          ? html`<p class="field-error" id="domain-name-error" data-testid="domain-name-error">
              ${this.nameProblem}
            </p>`
          : nothing}
      </form>
    </section>`;
  }

  private async addDomain(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.notice = '';
    const name = normalizeDomain(this.newDomain);
    const known = this.domains ?? [];
    const problem = !/^[^\s@/:]+\.[^\s@/:.]+$/.test(name)
      ? DOMAIN_MESSAGES.name
      : known.some((domain) => domain.name === name)
        ? DOMAIN_MESSAGES.duplicate(name)
        : null;
    if (problem) {
      this.nameProblem = problem;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#domain-name')?.focus();
      return;
    }
    this.errorAt = 'add';
    this.refused = false;
    let added = '';
    const ok = await this.request.run('add', async () => {
      try {
        const domain = await this.api.addDomain({ organizationId: this.organizationId, name });
        this.domains = [...known, domain].sort((left, right) => left.name.localeCompare(right.name));
        this.newDomain = '';
        this.notice = `${domain.name} was added. Publish its TXT record at your DNS provider, then press Verify now.`;
        added = domain.id;
      } catch (error) {
        this.refused = error instanceof ProblemError;
        throw error;
      }
    });
    if (!ok) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#domain-${CSS.escape(added)}`)?.focus();
  }

  private async verify(domain: Domain): Promise<void> {
    this.notice = '';
    this.errorAt = 'list';
    const ok = await this.request.run(`verify-${domain.id}`, async () => {
      const checked = await this.api.verifyDomain(domain.id);
      this.replaceDomain(checked);
      this.notice = verifySentence(checked);
    });
    if (!ok) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="domains-status"]')?.focus();
  }

  private async copy(text: string, what: string): Promise<void> {
    this.errorAt = 'list';
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
    } catch {
      await this.request.show({ code: 'copy_failed', message: DOMAIN_MESSAGES.copyFailed });
      return;
    }
    this.request.clearError();
    this.notice = `Copied ${what}.`;
  }

  private async askToRemove(domain: Domain): Promise<void> {
    this.notice = '';
    this.confirming = domain.id;
    await focusWhenRendered(this, '[data-testid="domain-remove-cancel"]');
  }

  private async cancelRemoval(domain: Domain): Promise<void> {
    this.confirming = null;
    await focusWhenRendered(this, `[data-testid="domain-remove-${CSS.escape(domain.name)}"]`);
  }

  private async removeDomain(domain: Domain): Promise<void> {
    this.errorAt = 'list';
    const removed = await this.request.run('remove', async () => {
      await this.api.removeDomain(domain.id);
      this.domains = (this.domains ?? []).filter(({ id }) => id !== domain.id);
      this.notice = `${domain.name} was removed.`;
    });
    this.confirming = null;
    if (!removed) return;
    await focusWhenRendered(this, '[data-testid="domains-status"]');
  }

  private replaceDomain(updated: Domain): void {
    this.domains = (this.domains ?? []).map((domain) => (domain.id === updated.id ? updated : domain));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-domains': TnDomains;
  }
}
