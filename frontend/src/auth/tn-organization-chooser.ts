import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem, type Problem } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { AuthApi, type Organization } from './auth-api.js';
import { signInAgainLink } from './auth-links.js';

/**
 * @summary Lists the signed-in person's organizations as buttons and continues the sign-in
 * with the one chosen.
 *
 * @csspart option - Each organization's button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Border of the hovered option and the focus ring.
 * @cssproperty --tn-surface - Background of the options.
 * @cssproperty --tn-radius - Corner radius of the options.
 */
@customElement('tn-organization-chooser')
export class TnOrganizationChooser extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ul {
        display: grid;
        gap: 0.5rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }

      .option {
        width: 100%;
        text-align: start;
        color: var(--_fg);
        background: var(--_surface);
        border: 1px solid var(--_muted);
        overflow-wrap: anywhere;
      }

      .option:hover:not(:disabled) {
        border-color: var(--_primary);
        box-shadow: inset 0 0 0 1px var(--_primary);
      }
    `,
  ];

  @property({ attribute: false }) req: string | null = null;
  @property({ attribute: false }) returnTo: string | null = null;

  /** A message the page was rendered with, shown until the next request. */
  @property({ attribute: false }) notice: Problem | null = null;

  @property({ attribute: false }) api = new AuthApi();

  /** The organization whose request is running, for its aria-busy. */
  @state() private choosing: string | null = null;

  private readonly request = new RequestController(this);

  /** Where focus goes once the organizations load: asked for early, or a failed load's alert. */
  private focusAfterLoad: 'first' | 'alert' | null = null;

  private readonly organizations = new Task(this, {
    args: () => [this.api] as const,
    task: ([api], { signal }) => api.listOrganizations({ signal }),
    onError: () => {
      this.request.clearError();
      this.focusAfterLoad = 'alert';
    },
  });

  /** Moves focus to the first organization, or to it once they have loaded. */
  override focus(options?: FocusOptions): void {
    const first = this.firstChoice();
    if (first) first.focus(options);
    else this.focusAfterLoad ??= 'first';
  }

  protected override updated(): void {
    const status = this.organizations.status;
    if (!this.focusAfterLoad || status === TaskStatus.INITIAL || status === TaskStatus.PENDING) {
      return;
    }
    const target =
      this.focusAfterLoad === 'alert'
        ? this.renderRoot.querySelector<HTMLElement>('[data-testid="error-message"]')
        : this.firstChoice();
    this.focusAfterLoad = null;
    target?.focus();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('notice') && this.notice) void this.request.show(this.notice);
  }

  protected override render() {
    const error = this.request.error;
    return html`
      ${errorAlert(error, signInAgainLink(error, this))}
      <h2>Choose an organization</h2>
      ${this.organizations.render({
        pending: () =>
          html`<p class="status" role="status" aria-busy="true" data-testid="organizations-loading">
            Loading your organizations…
          </p>`,
        error: (error) => html`
          ${errorAlert(toProblem(error))}
          <button class="secondary retry" type="button" @click=${() => this.organizations.run()}>
            Try again
          </button>
        `,
        complete: (organizations) => this.renderOrganizations(organizations),
      })}
    `;
  }

  private renderOrganizations(organizations: Organization[]) {
    if (organizations.length === 0) {
      return html`<p data-testid="no-organizations">
        You are not a member of any organization yet. Ask an administrator to invite you.
      </p>`;
    }
    return html`
      <ul aria-label="Your organizations">
        ${organizations.map(
          (organization) => html`<li>
            <button
              class="option"
              part="option"
              type="button"
              data-testid="org-option-${organization.id}"
              aria-busy=${this.choosing === organization.id ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('choose')}
              @click=${() => this.choose(organization)}
            >
              ${organization.name}
            </button>
          </li>`,
        )}
      </ul>
      ${retryCountdown(this.request.secondsLeft('choose'))}
    `;
  }

  private async choose(organization: Organization): Promise<void> {
    this.choosing = organization.id;
    const { req, returnTo } = this;
    const chose = await this.request.run('choose', async () => {
      const location = await this.api.chooseOrganization({
        organizationId: organization.id,
        req,
        returnTo,
      });
      this.request.leave(location);
    });
    if (!chose) this.choosing = null;
  }

  private firstChoice(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>('.option, .retry');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-organization-chooser': TnOrganizationChooser;
  }
}
