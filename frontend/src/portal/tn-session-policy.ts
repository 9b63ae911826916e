import { Task, TaskStatus } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import type { ProblemError } from './graphql.js';
import {
  PortalApi,
  type SessionPolicy,
  type SessionPolicyInput,
  type SessionTimeouts,
} from './portal-api.js';
import { portalStyles } from './portal-styles.js';
import { focusWhenRendered, saveForm } from './save-form.js';
import { sessionPolicyStyles } from './tn-session-policy.styles.js';

/** The units a timeout can be entered in, largest last, with their length in minutes. */
export const UNITS = { minutes: 1, hours: 60, days: 24 * 60 } as const;
export type Unit = keyof typeof UNITS;

const SINGULAR: Readonly<Record<Unit, string>> = { minutes: 'minute', hours: 'hour', days: 'day' };

export const POLICY_MESSAGES = {
  absolute: 'Enter the absolute timeout as a whole number greater than 0.',
  idle: 'Enter the idle timeout as a whole number greater than 0, or leave it empty.',
} as const;

/** A number of minutes in the largest unit that holds it exactly: 480 → 8 hours. */
export function splitMinutes(minutes: number): { value: number; unit: Unit } {
  if (minutes % UNITS.days === 0) return { value: minutes / UNITS.days, unit: 'days' };
  if (minutes % UNITS.hours === 0) return { value: minutes / UNITS.hours, unit: 'hours' };
  return { value: minutes, unit: 'minutes' };
}

/** A timeout in words ("8 hours", "30 minutes", "7 days"); null, no timeout, is "no limit". */
export function describeMinutes(minutes: number | null): string {
  if (minutes === null) return 'no limit';
  const { value, unit } = splitMinutes(minutes);
  return `${value} ${value === 1 ? SINGULAR[unit] : unit}`;
}

/** Both timeouts in plain words: "Absolute timeout 8 hours. No idle timeout." */
export function describePair({
  absoluteMinutes,
  idleMinutes,
}: {
  absoluteMinutes: number | null;
  idleMinutes: number | null;
}): string {
  const absolute = `Absolute timeout ${describeMinutes(absoluteMinutes)}.`;
  return idleMinutes === null
    ? `${absolute} No idle timeout.`
    : `${absolute} Idle timeout ${describeMinutes(idleMinutes)}.`;
}

/** What the saved status says sessions now get. */
export function describeTimeouts({ absoluteMinutes, idleMinutes }: SessionTimeouts): string {
  const absolute = `Sessions now end after ${describeMinutes(absoluteMinutes)}`;
  return idleMinutes === null
    ? `${absolute}, with no idle timeout.`
    : `${absolute}, or after ${describeMinutes(idleMinutes)} without activity.`;
}

/** The whole number of minutes `value` `unit` stands for, or null when it is not a positive whole number. */
export function toMinutes(value: string, unit: Unit): number | null {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const amount = Number(trimmed);
  return amount > 0 ? amount * UNITS[unit] : null;
}

interface TimeoutDraft {
  value: string;
  unit: Unit;
}

function draftOf(minutes: number | null, emptyUnit: Unit): TimeoutDraft {
  if (minutes === null) return { value: '', unit: emptyUnit };
  const { value, unit } = splitMinutes(minutes);
  return { value: String(value), unit };
}

type Field = 'absolute' | 'idle';

/**
 * @summary The active organization's session timeouts: what sessions get and the app's
 * defaults, in words. With `sk_org_session_policy_manage`, a choice between the app's
 * defaults and custom absolute and idle timeouts; read-only otherwise.
 *
 * The stricter of the app's default and the organization's setting applies, so a custom
 * timeout can shorten sessions but never lengthen them.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, status message and focus ring.
 * @cssproperty --tn-danger - Errors.
 * @cssproperty --tn-surface - Panel background.
 */
@customElement('tn-session-policy')
export class TnSessionPolicy extends LitElement {
  static override styles = [baseStyles, portalStyles, sessionPolicyStyles];

  @property({ attribute: false }) api = new PortalApi();

  /** The active organization, whose policy is shown and saved. */
  @property({ attribute: false }) organizationId = '';

  /** The viewer's permissions; `sk_org_session_policy_manage` makes the policy editable. */
  @property({ attribute: false }) permissions: readonly string[] = [];

  @state() private policy: SessionPolicy | null = null;
  @state() private custom = false;
  @state() private absolute: TimeoutDraft = { value: '', unit: 'days' };
  @state() private idle: TimeoutDraft = { value: '', unit: 'minutes' };
  @state() private problems: Partial<Record<Field, string>> = {};
  /** The field the server refused on the last save; its message is in the alert. */
  @state() private refused: Field | null = null;
  @state() private saved = false;

  private readonly request: RequestController = new RequestController(this);

  private readonly policyTask = new Task(this, {
    args: () => [this.api, this.organizationId] as const,
    task: ([api], { signal }) => api.sessionPolicy({ signal }),
    onComplete: (policy) => this.reset(policy),
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_session_policy_manage');
  }

  protected override render() {
    const policy = this.policy;
    if (!policy) {
      if (this.policyTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.policyTask.error))}
          <button class="secondary" type="button" @click=${() => this.policyTask.run()}>Try again</button>`;
      }
      return html`<section class="panel" aria-busy="true" data-testid="policy-loading">
        <p class="visually-hidden" role="status">Loading the session policy…</p>
        <div class="skeleton" aria-hidden="true">
          ${[0, 1, 2].map(
            () => html`<sl-skeleton effect="sheen" class="term"></sl-skeleton>
              <sl-skeleton effect="sheen"></sl-skeleton>`,
          )}
        </div>
      </section>`;
    }
    return html`
      <section class="panel" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Session timeouts</h2>
        <p class="intro" id="policy-explanation">
          A session ends after its absolute timeout, or sooner when it is idle for longer than its
          idle timeout. The stricter of the application's default and your organization's setting
          applies, so your organization can shorten sessions but not lengthen them.
        </p>
        ${this.renderSummary(policy)}
        ${this.canManage
          ? nothing
          : html`<p class="hint" data-testid="policy-read-only">
              Only an organization admin can change the session policy.
            </p>`}
      </section>
      ${this.canManage ? this.renderForm() : nothing}
    `;
  }

  private renderSummary(policy: SessionPolicy) {
    return html`<dl data-testid="policy-summary">
      <div>
        <dt>Applies now</dt>
        <dd data-testid="policy-effective">${describePair(policy.effective)}</dd>
      </div>
      <div>
        <dt>Application's defaults</dt>
        <dd data-testid="policy-app-default">${describePair(policy.appDefault)}</dd>
      </div>
      <div>
        <dt>Organization's setting</dt>
        <dd data-testid="policy-organization">
          ${policy.custom
            ? `Custom. ${describePair(policy)}`
            : "The application's defaults"}
        </dd>
      </div>
    </dl>`;
  }

  private renderForm() {
    const busy = this.request.running('save');
    return html`
      <section class="panel" aria-labelledby="policy-change-heading">
        <h2 id="policy-change-heading">Change the session policy</h2>
        ${errorAlert(this.request.error)}
        <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
          <fieldset
            role="radiogroup"
            aria-labelledby="policy-choice-legend"
            aria-describedby="policy-explanation"
          >
            <legend id="policy-choice-legend">Session timeouts</legend>
            ${this.renderChoice(false, 'policy-defaults', "Use the application's defaults")}
            ${this.renderChoice(true, 'policy-custom', 'Custom')}
          </fieldset>
          ${this.custom
            ? html`${this.renderTimeout('absolute', 'Absolute timeout', 'policy-absolute')}
              ${this.renderTimeout('idle', 'Idle timeout', 'policy-idle')}`
            : nothing}
          <div class="buttons">
            <button
              class="primary"
              type="submit"
              data-testid="policy-save"
              aria-busy=${busy ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('save')}
            >
              Save session policy
            </button>
          </div>
          ${this.saved && this.policy
            ? html`<p class="success saved" role="status" tabindex="-1" data-testid="policy-saved">
                The session policy is saved. ${describeTimeouts(this.policy.effective)}
              </p>`
            : nothing}
        </form>
      </section>
    `;
  }

  private renderChoice(custom: boolean, testid: string, label: string) {
    return html`<label class="choice">
      <input
        type="radio"
        name="policy-choice"
        value=${custom ? 'custom' : 'defaults'}
        data-testid=${testid}
        .checked=${live(this.custom === custom)}
        @change=${() => {
          this.custom = custom;
          this.problems = {};
          this.saved = false;
        }}
      />
      ${label}
    </label>`;
  }

  private renderTimeout(field: Field, label: string, testid: string) {
    const draft = this[field];
    const error = this.problems[field];
    const invalid = Boolean(error) || this.refused === field;
    const hint =
      field === 'idle'
        ? 'How long a session may go without activity before it ends. Leave empty for no idle timeout.'
        : 'How long a session lasts after signing in, however active.';
    const describedBy = [`${testid}-hint`, error ? `${testid}-error` : ''].join(' ').trim();
    const update = (change: Partial<TimeoutDraft>) => {
      this[field] = { ...this[field], ...change };
      this.problems = { ...this.problems, [field]: undefined };
      if (this.refused === field) this.refused = null;
      this.saved = false;
    };
    return html`<fieldset>
      <legend>${label}</legend>
      <p class="hint" id="${testid}-hint">${hint}</p>
      <div class="inline timeout">
        <div class="field amount">
          <label for="${testid}-value">Amount</label>
          <input
            id="${testid}-value"
            type="number"
            inputmode="numeric"
            size="5"
            min="1"
            step="1"
            ?required=${field === 'absolute'}
            data-testid="${testid}-value"
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${ifDefined(describedBy || undefined)}
            .value=${live(draft.value)}
            @input=${(event: InputEvent) => update({ value: (event.target as HTMLInputElement).value })}
          />
        </div>
        <div class="field unit">
          <label for="${testid}-unit">Unit</label>
          <select
            id="${testid}-unit"
            data-testid="${testid}-unit"
            @change=${(event: Event) =>
              update({ unit: (event.target as HTMLSelectElement).value as Unit })}
          >
            ${(Object.keys(UNITS) as Unit[]).map(
              (unit) => html`<option value=${unit} ?selected=${unit === draft.unit}>${unit}</option>`,
            )}
          </select>
        </div>
      </div>
      ${error
        ? html`<p class="field-error" id="${testid}-error" data-testid="${testid}-error">${error}</p>`
        : nothing}
    </fieldset>`;
  }

  /**
   * Keeps each unit select on its draft's unit: the options render after the select's own
   * bindings, so a `.value` binding alone would be set before there is an option to choose.
   */
  protected override updated(): void {
    for (const field of ['absolute', 'idle'] as const) {
      const select = this.renderRoot.querySelector<HTMLSelectElement>(`#policy-${field}-unit`);
      if (select && select.value !== this[field].unit) select.value = this[field].unit;
    }
  }

  private reset(policy: SessionPolicy): void {
    this.policy = policy;
    this.custom = policy.custom;
    const shown = policy.custom
      ? { absoluteMinutes: policy.absoluteMinutes, idleMinutes: policy.idleMinutes }
      : policy.appDefault;
    this.absolute = draftOf(shown.absoluteMinutes, 'days');
    this.idle = draftOf(shown.idleMinutes, 'minutes');
    this.problems = {};
    this.refused = null;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.saved = false;
    this.refused = null;
    const input: SessionPolicyInput = {
      organizationId: this.organizationId,
      custom: this.custom,
      absoluteMinutes: null,
      idleMinutes: null,
    };
    if (this.custom) {
      const absoluteMinutes = toMinutes(this.absolute.value, this.absolute.unit);
      const idleEmpty = this.idle.value.trim() === '';
      const idleMinutes = idleEmpty ? null : toMinutes(this.idle.value, this.idle.unit);
      const problems: Partial<Record<Field, string>> = {};
      if (absoluteMinutes === null) problems.absolute = POLICY_MESSAGES.absolute;
      if (!idleEmpty && idleMinutes === null) problems.idle = POLICY_MESSAGES.idle;
      if (problems.absolute || problems.idle) {
        this.problems = problems;
        const first = problems.absolute ? 'policy-absolute-value' : 'policy-idle-value';
        await focusWhenRendered(this, `#${first}`);
        return;
      }
      input.absoluteMinutes = absoluteMinutes;
      input.idleMinutes = idleMinutes;
    }
    await saveForm(this, this.request, {
      save: async () => this.reset(await this.api.updateSessionPolicy(input)),
      markProblem: (problem) => this.markProblem(problem),
      onSaved: () => (this.saved = true),
      savedStatus: '[data-testid="policy-saved"]',
    });
  }

  /** Marks the field an `InvalidInput` names; its message is already in the alert. */
  private markProblem({ field }: ProblemError['problem']): void {
    if (field === 'absoluteMinutes') this.refused = 'absolute';
    if (field === 'idleMinutes') this.refused = 'idle';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-session-policy': TnSessionPolicy;
  }
}
