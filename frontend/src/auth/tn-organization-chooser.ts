import { Task, TaskStatus } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem, type Problem } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import {
  AuthApi,
  type Continuation,
  type Invitation,
  type Organization,
  type OrganizationChoices,
} from './auth-api.js';
import { signInAgainLink } from './auth-links.js';
import { organizationChooserStyles } from './tn-organization-chooser.styles.js';

/** The ways to go on from this step, each one request (and one RequestController action). */
type Action = 'choose' | 'join' | 'skip' | 'accept' | 'decline' | 'switch';

/**
 * @summary Lists the signed-in person's open invitations (to accept or decline), their
 * organizations, and those their email's domain lets them join, and continues the sign-in with
 * the one accepted, chosen or joined.
 *
 * Someone in no organization who could join one may also go on without joining. A sign-in
 * never accepts an invitation by itself: the person sees who invites them and answers here.
 * "Signed in as" names the account, and "Use another account" ends this sign-in's session and
 * goes back to the email step.
 *
 * @csspart invitation - Each invitation's box, with its Accept and Decline buttons.
 * @csspart option - Each organization's button (its initial, name and a chevron), to choose or
 * to join it.
 * @csspart skip - The Continue without joining button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Border of the hovered option, the skip button and the focus ring.
 * @cssproperty --tn-surface - Background of the options.
 * @cssproperty --tn-muted - The explanation of the organizations they can join.
 * @cssproperty --tn-radius - Corner radius of the options.
 */
@localized()
@customElement('tn-organization-chooser')
export class TnOrganizationChooser extends LitElement {
  static override styles = [baseStyles, organizationChooserStyles];

  @property({ attribute: false }) req: string | null = null;
  @property({ attribute: false }) returnTo: string | null = null;

  /** A message the page was rendered with, shown until the next request. */
  @property({ attribute: false }) notice: Problem | null = null;

  @property({ attribute: false }) api = new AuthApi();

  /** The request running and its organization (none for skip), for its button's aria-busy. */
  @state() private choosing: { action: Action; organizationId: string | null } | null = null;

  /** What the last decline did, announced in the status line. */
  @state() private declined: string | null = null;

  private readonly request: RequestController = new RequestController(this);

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
      <h2>${msg('Choose an organization', { id: 'auth.org.heading' })}</h2>
      ${this.organizations.render({
        pending: () =>
          html`<p class="status" role="status" aria-busy="true" data-testid="organizations-loading">
            ${msg('Loading your organizations…', { id: 'auth.org.loading' })}
          </p>`,
        error: (error) => html`
          ${errorAlert(toProblem(error))}
          <button class="secondary retry" type="button" @click=${() => this.organizations.run()}>
            ${msg('Try again', { id: 'auth.org.retry' })}
          </button>
        `,
        complete: (choices) => this.renderChoices(choices),
      })}
      <p class="another">
        ${msg('Not you?', { id: 'auth.org.not-you' })}
        <button
          class="link"
          type="button"
          data-testid="use-another-account"
          aria-busy=${this.busyFor('switch', null)}
          ?disabled=${!this.request.canRun('switch')}
          @click=${() => this.switchAccount()}
        >
          ${msg('Use another account', { id: 'auth.org.switch-account' })}
        </button>
      </p>
      ${retryCountdown(this.request.countdown('switch'))}
    `;
  }

  private renderChoices({ email, organizations, joinable, invitations }: OrganizationChoices) {
    const status = html`${email
        ? html`<p class="signed-in" data-testid="signed-in-as">
            ${msg(html`Signed in as <strong><bdi>${email}</bdi></strong>`, { id: 'auth.org.signed-in-as' })}
          </p>`
        : nothing}
      <p class="status" role="status" data-testid="invitation-status">
        ${this.declined ?? nothing}
      </p>`;
    if (organizations.length === 0 && joinable.length === 0 && invitations.length === 0) {
      return html`${status}
        <p data-testid="no-organizations">
          ${msg(
            'You are not a member of any organization yet. Ask an administrator to invite you.',
            { id: 'auth.org.none' },
          )}
        </p>
        ${this.declined ? this.renderSkip(msg('Continue', { id: 'auth.org.skip.continue' })) : nothing}`;
    }
    const inNone = organizations.length === 0;
    return html`
      ${status} ${invitations.length > 0 ? this.renderInvitations(invitations) : nothing}
      ${organizations.length > 0 ? this.renderOrganizations(organizations) : nothing}
      ${joinable.length > 0 ? this.renderJoinable(joinable) : nothing}
      ${inNone
        ? this.renderSkip(
            invitations.length > 0
              ? msg('Continue without accepting', { id: 'auth.org.skip.without-accepting' })
              : msg('Continue without joining', { id: 'auth.org.skip.without-joining' }),
          )
        : nothing}
    `;
  }

  private renderInvitations(invitations: Invitation[]) {
    return html`
      <section class="invitations" aria-labelledby="invitations-heading">
        <h3 id="invitations-heading">${msg('Invitations', { id: 'auth.org.invitations.heading' })}</h3>
        <ul>
          ${invitations.map(
            (invitation) => html`<li
              class="invitation"
              part="invitation"
              data-testid="invitation-${invitation.id}"
            >
              <p id="invitation-text-${invitation.id}">
                ${msg(
                  html`<strong><bdi>${invitation.organization.name}</bdi></strong> invites you to join as
                    ${invitation.role}.`,
                  { id: 'auth.org.invitation.text' },
                )}
              </p>
              <div class="answers">
                <button
                  class="primary"
                  type="button"
                  data-testid="invitation-accept-${invitation.id}"
                  aria-label=${msg(str`Accept the invitation to ${invitation.organization.name}`, {
                    id: 'auth.org.invitation.accept.label',
                  })}
                  aria-busy=${this.busyFor('accept', invitation.id)}
                  ?disabled=${!this.request.canRun('accept')}
                  @click=${() => this.accept(invitation)}
                >
                  ${msg('Accept', { id: 'auth.org.invitation.accept' })}
                </button>
                <button
                  class="secondary"
                  type="button"
                  data-testid="invitation-decline-${invitation.id}"
                  aria-label=${msg(str`Decline the invitation to ${invitation.organization.name}`, {
                    id: 'auth.org.invitation.decline.label',
                  })}
                  aria-busy=${this.busyFor('decline', invitation.id)}
                  ?disabled=${!this.request.canRun('decline')}
                  @click=${() => this.decline(invitation)}
                >
                  ${msg('Decline', { id: 'auth.org.invitation.decline' })}
                </button>
              </div>
            </li>`,
          )}
        </ul>
        ${retryCountdown(this.request.countdown('accept'))}
        ${retryCountdown(this.request.countdown('decline'))}
      </section>
    `;
  }

  private renderOrganizations(organizations: Organization[]) {
    return html`
      <ul aria-label=${msg('Your organizations', { id: 'auth.org.list.label' })}>
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
              ${optionContent(organization.name)}
            </button>
          </li>`,
        )}
      </ul>
      ${retryCountdown(this.request.countdown('choose'))}
    `;
  }

  /** Organizations the person's email domain lets them join. */
  private renderJoinable(joinable: Organization[]) {
    return html`
      <section class="joinable" aria-labelledby="joinable-heading">
        <h3 id="joinable-heading">${msg('Organizations you can join', { id: 'auth.org.joinable.heading' })}</h3>
        <p class="hint">
          ${msg('Your email address lets you join these as a member.', {
            id: 'auth.org.joinable.hint',
          })}
        </p>
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
                ${optionContent(
                  organization.name,
                  msg(str`Join ${organization.name}`, { id: 'auth.org.join' }),
                )}
              </button>
            </li>`,
          )}
        </ul>
        ${retryCountdown(this.request.countdown('join'))}
      </section>
    `;
  }

  /** For someone in no organization: go on without one. */
  private renderSkip(label: string) {
    return html`<button
        class="secondary skip"
        part="skip"
        type="button"
        data-testid="org-skip"
        aria-busy=${this.busyFor('skip', null)}
        ?disabled=${!this.request.canRun('skip')}
        @click=${() => this.skip()}
      >
        ${label}
      </button>
      ${retryCountdown(this.request.countdown('skip'))}`;
  }

  private accept(invitation: Invitation): Promise<void> {
    return this.continueWith('accept', invitation.id, (continuation) =>
      this.api.acceptInvitation({ invitationId: invitation.id, ...continuation }),
    );
  }

  /** Declines, says so in the status line, and shows what is left to choose from. */
  private async decline(invitation: Invitation): Promise<void> {
    this.choosing = { action: 'decline', organizationId: invitation.id };
    this.declined = null;
    const done = await this.request.run('decline', () =>
      this.api.declineInvitation({ invitationId: invitation.id }),
    );
    this.choosing = null;
    if (!done) return;
    this.declined = msg(str`You declined the invitation to ${invitation.organization.name}.`, {
      id: 'auth.org.invitation.declined',
    });
    await this.organizations.run();
    await this.updateComplete;
    this.firstChoice()?.focus();
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

  /** Ends this sign-in's session and goes back to the email step, for another address. */
  private switchAccount(): Promise<void> {
    return this.continueWith('switch', null, (continuation) =>
      this.api.switchAccount(continuation),
    );
  }

  private busyFor(action: Action, organizationId: string | null): 'true' | 'false' {
    const choosing = this.choosing;
    return choosing?.action === action && choosing.organizationId === organizationId
      ? 'true'
      : 'false';
  }

  private firstChoice(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>(
      '.invitation button, .option, .skip, .retry',
    );
  }
}

/** An organization as a choice: its initial, its name (the button's whole accessible name), a chevron. */
function optionContent(name: string, label: string = name) {
  return html`<span class="avatar" aria-hidden="true">${[...name.trim()][0]?.toUpperCase() ?? ''}</span>
    <span class="name">${label}</span>
    <svg class="chevron" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
      <path d="M6 3.5 10.5 8 6 12.5" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" />
    </svg>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-organization-chooser': TnOrganizationChooser;
  }
}
