import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { confirmGroup } from './confirm-group.js';
import { ProblemError } from './graphql.js';
import { portalStyles } from './portal-styles.js';
import { RecentSignInController } from './recent-sign-in.js';
import { focusWhenRendered } from './save-form.js';
import {
  SsoApi,
  type BreakGlassCandidate,
  type SsoConnection,
  type SsoRequirement,
} from './sso-api.js';
import { ssoRequirementStyles } from './tn-sso-requirement.styles.js';
import './tn-reauthenticate.js';
import './tn-sso-break-glass.js';

export const REQUIREMENT_HINTS = {
  readOnly: 'Only an organization admin can change this.',
  noActiveConnection:
    'Enable a connection first: with SSO required and no active connection, nobody at your verified domains could sign in.',
} as const;

/** The fields the server may refuse, by their name in `InvalidInput.field`. */
type Field = 'required' | 'breakGlassUserIds';

/** What a save came back with: the stored requirement, or a refusal of one field. */
type Saved = { requirement: SsoRequirement } | { field: Field; message: string };

/**
 * @summary "Require single sign-on": whether people at the organization's verified domains may
 * sign in only through its identity provider, and up to three admins kept as break-glass accounts
 * who still may sign in with an email code or passkey. Turning it on asks for confirmation first.
 *
 * Editable with `sk_org_sso_manage` once a connection is active; the admins are listed for
 * viewers who may read members.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - The switch when on, buttons and focus ring.
 * @cssproperty --tn-danger - Errors and the confirming button.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints, borders and the switch when off.
 */
@customElement('tn-sso-requirement')
export class TnSsoRequirement extends LitElement {
  static override styles = [baseStyles, portalStyles, ssoRequirementStyles];

  @property({ attribute: false }) api = new SsoApi();
  @property({ attribute: false }) organizationId = '';
  @property({ attribute: false }) permissions: readonly string[] = [];
  /** The organization's connections: requiring SSO needs one of them active. */
  @property({ attribute: false }) connections: readonly SsoConnection[] = [];
  /** The signed-in person's email, for "Confirm it's you" and to mark "you" in the list. */
  @property() email = '';

  @state() private stored: SsoRequirement | null = null;
  @state() private admins: BreakGlassCandidate[] = [];
  @state() private required = false;
  @state() private breakGlass: string[] = [];
  @state() private confirming = false;
  @state() private refused: { field: Field; message: string } | null = null;
  @state() private saved = false;

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(
    this,
    this.request,
  );

  private readonly requirementTask = new Task(this, {
    args: () =>
      [this.api, this.organizationId, this.permissions.includes('sk_org_users_read')] as const,
    task: ([api, organizationId, withAdmins], { signal }) =>
      api.ssoRequirement(organizationId, withAdmins, { signal }),
    onComplete: ({ requirement, admins }) => {
      this.admins = admins;
      this.reset(requirement);
    },
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_sso_manage');
  }

  private get hasActiveConnection(): boolean {
    return this.connections.some(({ status }) => status === 'ACTIVE');
  }

  /** Why the switch cannot be used now, or null when it can; turning it off is always allowed. */
  private get switchBlocked(): string | null {
    if (!this.canManage) return REQUIREMENT_HINTS.readOnly;
    if (!this.hasActiveConnection && !this.required) return REQUIREMENT_HINTS.noActiveConnection;
    return null;
  }

  protected override render() {
    if (!this.stored) {
      if (this.requirementTask.status === TaskStatus.ERROR) {
        return html`<section class="panel" aria-labelledby="sso-requirement-heading">
          <h2 id="sso-requirement-heading">Require single sign-on</h2>
          ${errorAlert(toProblem(this.requirementTask.error))}
          <button class="secondary" type="button" @click=${() => this.requirementTask.run()}>
            Try again
          </button>
        </section>`;
      }
      return html`<p
        class="status"
        role="status"
        aria-busy="true"
        data-testid="sso-requirement-loading"
      >
        Loading whether single sign-on is required…
      </p>`;
    }
    const waiting = this.recentSignIn.waiting;
    const busy = this.request.running('save');
    return html`<section class="panel" aria-labelledby="sso-requirement-heading">
      <div class="title">
        <h2 id="sso-requirement-heading">Require single sign-on</h2>
        <span
          class="badge ${this.stored.required ? 'good' : ''}"
          data-testid="sso-requirement-state"
          >${this.stored.required ? 'Required' : 'Not required'}</span
        >
      </div>
      <p class="intro" id="sso-requirement-explanation">
        When single sign-on is required, people with an email address at your verified domains can
        sign in only through your identity provider: no email codes and no passkeys. The break-glass
        admins below keep those ways in, for the day your identity provider fails.
      </p>
      ${
        waiting
          ? html`<tn-reauthenticate
              data-testid="reauthenticate"
              .email=${this.email}
              .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
              .purpose=${waiting.purpose}
              return-to="/ui/sso"
              @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
              @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
            ></tn-reauthenticate>`
          : nothing
      }
      ${errorAlert(this.request.error)}
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
        ${this.renderSwitch()} ${this.renderBreakGlass()}
        ${this.canManage ? this.renderSave(Boolean(waiting)) : nothing}
        <div role="status">
          ${
            this.saved
              ? html`<p class="success saved" tabindex="-1" data-testid="sso-requirement-saved">
                  Saved.
                  ${
                    this.stored.required
                      ? 'Single sign-on is required for your verified domains.'
                      : 'Single sign-on is not required: people may also sign in with email codes and passkeys.'
                  }
                </p>`
              : nothing
          }
        </div>
      </form>
    </section>`;
  }

  private renderSwitch() {
    const blocked = this.switchBlocked;
    const error = this.refused?.field === 'required' ? this.refused.message : '';
    const describedBy = [
      'sso-requirement-explanation',
      blocked ? 'sso-required-blocked' : '',
      error ? 'sso-required-error' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return html`<div class="setting">
      <label class="switch" for="sso-required">
        <input
          id="sso-required"
          type="checkbox"
          role="switch"
          data-testid="sso-required"
          aria-describedby=${describedBy}
          aria-invalid=${error ? 'true' : 'false'}
          ?disabled=${Boolean(blocked) || this.request.busy}
          .checked=${live(this.required)}
          @change=${(event: Event) => this.choose((event.target as HTMLInputElement).checked)}
        />
        Require single sign-on for your verified domains
      </label>
      ${
        blocked
          ? html`<p class="hint" id="sso-required-blocked" data-testid="sso-required-blocked">
              ${blocked}
            </p>`
          : nothing
      }
      ${
        error
          ? html`<p
              class="field-error"
              tabindex="-1"
              id="sso-required-error"
              data-testid="sso-required-error"
            >
              ${error}
            </p>`
          : nothing
      }
    </div>`;
  }

  private renderBreakGlass() {
    return html`<tn-sso-break-glass
      .admins=${this.admins}
      .chosen=${this.breakGlass}
      .email=${this.email}
      ?editable=${this.canManage}
      ?busy=${this.request.busy}
      .error=${this.refused?.field === 'breakGlassUserIds' ? this.refused.message : ''}
      @tn-break-glass-change=${(event: CustomEvent<string[]>) => {
        this.changed();
        this.breakGlass = event.detail;
      }}
    ></tn-sso-break-glass>`;
  }

  private renderSave(waiting: boolean) {
    const busy = this.request.running('save');
    if (this.confirming) {
      const kept = this.breakGlass.length;
      return confirmGroup({
        questionId: 'sso-requirement-confirm-question',
        question: `Require single sign-on? People at your verified domains will no longer be able to sign in with an email code or a passkey, only through your identity provider${
          kept === 0
            ? ', and no break-glass admin is kept'
            : `, except ${kept} break-glass admin${kept === 1 ? '' : 's'}`
        }.`,
        confirmLabel: 'Require single sign-on',
        confirmTestId: 'sso-requirement-confirm',
        cancelTestId: 'sso-requirement-cancel',
        busy,
        confirmDisabled: !this.request.canRun('save') || waiting,
        onConfirm: () => this.save(),
        onCancel: () => this.cancelConfirm(),
      });
    }
    return html`<div class="buttons">
      <button
        class="primary"
        type="submit"
        data-testid="sso-requirement-save"
        aria-busy=${busy ? 'true' : 'false'}
        ?disabled=${!this.request.canRun('save') || waiting}
      >
        Save
      </button>
    </div>`;
  }

  private changed(): void {
    this.saved = false;
    this.confirming = false;
    this.refused = null;
  }

  private choose(required: boolean): void {
    this.changed();
    this.required = required;
  }

  private reset(requirement: SsoRequirement): void {
    this.stored = requirement;
    this.required = requirement.required;
    this.breakGlass = [...requirement.breakGlassUserIds];
    this.confirming = false;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.saved = false;
    this.refused = null;
    if (this.required && !this.stored?.required) {
      this.confirming = true;
      await focusWhenRendered(this, '[data-testid="sso-requirement-confirm"]');
      return;
    }
    await this.save();
  }

  private async cancelConfirm(): Promise<void> {
    this.confirming = false;
    await focusWhenRendered(this, '[data-testid="sso-requirement-save"]');
  }

  private async save(): Promise<void> {
    const wanted: SsoRequirement = {
      required: this.required,
      breakGlassUserIds: this.breakGlass,
    };
    await this.recentSignIn.run<Saved>({
      action: 'save',
      purpose: 'change whether single sign-on is required',
      origin: '[data-testid="sso-requirement-save"]',
      change: async () => {
        try {
          return {
            requirement: await this.api.updateSsoRequirement(this.organizationId, wanted),
          };
        } catch (error) {
          const refused = fieldRefusal(error);
          if (refused) return refused;
          throw error;
        }
      },
      done: (result) => this.took(result),
    });
  }

  /** Shows what the server stored, or its refusal at the field it names. */
  private async took(result: Saved): Promise<void> {
    this.confirming = false;
    if ('requirement' in result) {
      this.reset(result.requirement);
      this.saved = true;
      await focusWhenRendered(this, '[data-testid="sso-requirement-saved"]');
      return;
    }
    this.refused = result;
    await this.updateComplete;
    if (result.field === 'breakGlassUserIds') {
      const list = this.renderRoot.querySelector('tn-sso-break-glass');
      await list?.updateComplete;
      list?.focusProblem();
      return;
    }
    const toggle = this.renderRoot.querySelector<HTMLInputElement>('#sso-required');
    // A disabled switch cannot take focus: its message is then the place to read.
    (toggle && !toggle.disabled
      ? toggle
      : this.renderRoot.querySelector<HTMLElement>('#sso-required-error')
    )?.focus();
  }

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    this.confirming = false;
    await focusWhenRendered(this, origin ?? '#sso-requirement-heading');
  }
}

/** An `InvalidInput` naming one of the form's fields, to show at that field; else null. */
function fieldRefusal(error: unknown): { field: Field; message: string } | null {
  if (!(error instanceof ProblemError) || error.problem.__typename !== 'InvalidInput') return null;
  const field = error.problem.field;
  if (field !== 'required' && field !== 'breakGlassUserIds') return null;
  return { field, message: error.problem.message };
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-sso-requirement': TnSsoRequirement;
  }
}
