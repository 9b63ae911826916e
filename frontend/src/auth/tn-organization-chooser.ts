import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem, type Problem } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import {
  AuthApi,
  type Continuation,
  type Organization,
  type OrganizationChoices,
} from './auth-api.js';
import { signInAgainLink } from './auth-links.js';

/** The ways to go on from this step, each one request (and one RequestController action). */
type Action = 'choose' | 'join' | 'skip';

/**
 * @summary Lists the signed-in person's organizations, and those their email's domain lets
 * them join, as buttons, and continues the sign-in with the one chosen or joined.
 *
 * Someone in no organization who could join one may also go on without joining.
 *
 * @csspart option - Each organization's button, to choose or to join it.
 * @csspart skip - The Continue without joining button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Border of the hovered option, the skip button and the focus ring.
 * @cssproperty --tn-surface - Background of the options.
 * @cssproperty --tn-muted - The explanation of the organizations they can join.
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

      ul + .joinable {
        margin-block-start: 1.5rem;
      }

      h3 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }

      .skip {
        width: 100%;
        margin-block-start: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) req: string | null = null;
  @property({ attribute: false }) returnTo: string | null = null;

  /** A message the page was rendered with, shown until the next request. */
  @property({ attribute: false }) notice: Problem | null = null;

  @property({ attribute: false }) api = new AuthApi();

  /** The request running and its organization (none for skip), for its button's aria-busy. */
  @state() private choosing: { action: Action; organizationId: string | null } | null = null;

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
        complete: (choices) => this.renderChoices(choices),
      })}
    `;
  }

  private renderChoices({ organizations, joinable }: OrganizationChoices) {
    if (organizations.length === 0 && joinable.length === 0) {
      return html`<p data-testid="no-organizations">
        You are not a member of any organization yet. Ask an administrator to invite you.
      </p>`;
    }
    return html`
      ${organizations.length > 0 ? this.renderOrganizations(organizations) : nothing}
      ${joinable.length > 0 ? this.renderJoinable(joinable, organizations.length === 0) : nothing}
    `;
  }

  private renderOrganizations(organizations: Organization[]) {
    return html`
      <ul aria-label="Your organizations">
        ${organizations.map(
          (organization) => html`<li>
            <button
              class="option"
              part="option"
              type="button"
              data-testid="org-option-${organization.id}"
              aria-busy=${this.busyFor('choose', organization.id)}
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

  /** Joinable organizations; `canSkip` for someone in none, who may go on without joining. */
  private renderJoinable(joinable: Organization[], canSkip: boolean) {
    return html`
      <section class="joinable" aria-labelledby="joinable-heading">
        <h3 id="joinable-heading">Organizations you can join</h3>
        <p class="hint">Your email address lets you join these as a member.</p>
        <ul>
          ${joinable.map(
            (organization) => html`<li>
              <button
                class="option"
                part="option"
                type="button"
                data-testid="org-join-${organization.id}"
                aria-busy=${this.busyFor('join', organization.id)}
                ?disabled=${!this.request.canRun('join')}
                @click=${() => this.join(organization)}
              >
                Join ${organization.name}
              </button>
            </li>`,
          )}
        </ul>
        ${retryCountdown(this.request.secondsLeft('join'))}
        ${canSkip
          ? html`<button
                class="secondary skip"
                part="skip"
                type="button"
                data-testid="org-skip"
                aria-busy=${this.busyFor('skip', null)}
                ?disabled=${!this.request.canRun('skip')}
                @click=${() => this.skip()}
              >
                Continue without joining
              </button>
              ${retryCountdown(this.request.secondsLeft('skip'))}`
          : nothing}
      </section>
    `;
  }

  private choose(organization: Organization): Promise<void> {
    return this.continueWith('choose', organization.id, (continuation) =>
      this.api.chooseOrganization({ organizationId: organization.id, ...continuation }),
    );
  }

  private join(organization: Organization): Promise<void> {
    return this.continueWith('join', organization.id, (continuation) =>
      this.api.joinOrganization({ organizationId: organization.id, ...continuation }),
    );
  }

  private skip(): Promise<void> {
    return this.continueWith('skip', null, (continuation) =>
      this.api.continueWithoutOrganization(continuation),
    );
  }

  /** Runs `send` as `action` and leaves for the location it answers; a failure shows. */
  private async continueWith(
    action: Action,
    organizationId: string | null,
    send: (continuation: Continuation) => Promise<string>,
  ): Promise<void> {
    this.choosing = { action, organizationId };
    const { req, returnTo } = this;
    const went = await this.request.run(action, async () => {
      this.request.leave(await send({ req, returnTo }));
    });
    if (!went) this.choosing = null;
  }

  private busyFor(action: Action, organizationId: string | null): 'true' | 'false' {
    const choosing = this.choosing;
    return choosing?.action === action && choosing.organizationId === organizationId
      ? 'true'
      : 'false';
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
