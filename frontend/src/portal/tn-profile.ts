import { Task } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { textField } from '../shared/text-field.js';
import type { ProblemError } from './graphql.js';
import { PortalApi, type User } from './portal-api.js';
import { portalStyles } from './portal-styles.js';
import { focusWhenRendered, saveForm } from './save-form.js';
import { profileStyles } from './tn-profile.styles.js';

interface Name {
  firstName: string;
  lastName: string;
}

export const PROFILE_MESSAGES = {
  firstName: 'Enter your first name.',
  lastName: 'Enter your last name.',
} as const;

/** The server's `InvalidInput.field` for each input, as it may name them. */
const FIELD_NAMES: Record<string, keyof Name> = {
  firstName: 'firstName',
  first_name: 'firstName',
  lastName: 'lastName',
  last_name: 'lastName',
};

/**
 * @summary The signed-in person's own name, and their email with whether it is verified.
 *
 * @event tn-profile-updated - The name was saved. `detail` is the updated `User`.
 *
 * @csspart field - Each label and input pair.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Save button, Verified badge and focus ring.
 * @cssproperty --tn-danger - Errors and the Not verified badge.
 */
@customElement('tn-profile')
export class TnProfile extends LitElement {
  static override styles = [baseStyles, portalStyles, profileStyles];

  @property({ attribute: false }) api = new PortalApi();

  @state() private name: Name = { firstName: '', lastName: '' };
  @state() private problems: Partial<Record<keyof Name, string>> = {};
  @state() private saved = false;

  private readonly request: RequestController = new RequestController(this);

  private readonly profile = new Task(this, {
    args: () => [this.api] as const,
    task: ([api], { signal }) => api.profile({ signal }),
    onComplete: (user) => {
      this.name = { firstName: user.firstName, lastName: user.lastName };
    },
  });

  protected override render() {
    return this.profile.render({
      pending: () =>
        html`<section class="panel" aria-busy="true" data-testid="profile-loading">
          <p class="visually-hidden" role="status">Loading your profile…</p>
          <div class="skeleton" aria-hidden="true">
            <sl-skeleton effect="sheen"></sl-skeleton>
            <sl-skeleton effect="sheen" class="field"></sl-skeleton>
            <sl-skeleton effect="sheen" class="field"></sl-skeleton>
          </div>
        </section>`,
      error: (error) => html`
        ${errorAlert(toProblem(error))}
        <button class="secondary" type="button" @click=${() => this.profile.run()}>Try again</button>
      `,
      complete: (user) => this.renderProfile(user),
    });
  }

  private renderProfile(user: User) {
    const busy = this.request.running('save');
    return html`
      <section class="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Your details</h2>
        ${errorAlert(this.request.error)}
        <dl>
          <div>
            <dt>Email address</dt>
            <dd class="email" data-testid="profile-email">
              <span class="address">${user.email}</span>
              ${user.emailVerified
                ? html`<span class="badge good" data-testid="profile-email-verified">Verified</span>`
                : html`<span class="badge warn" data-testid="profile-email-unverified">Not verified</span>`}
            </dd>
          </div>
        </dl>
        <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
          ${textField({
            id: 'profile-first-name',
            label: 'First name',
            value: this.name.firstName,
            testid: 'profile-first-name',
            autocomplete: 'given-name',
            error: this.problems.firstName,
            onInput: (value) => this.edit('firstName', value),
          })}
          ${textField({
            id: 'profile-last-name',
            label: 'Last name',
            value: this.name.lastName,
            testid: 'profile-last-name',
            autocomplete: 'family-name',
            error: this.problems.lastName,
            onInput: (value) => this.edit('lastName', value),
          })}
          <div class="buttons">
            <button
              class="primary"
              type="submit"
              data-testid="profile-save"
              aria-busy=${busy ? 'true' : 'false'}
              ?disabled=${!this.request.canRun('save')}
            >
              Save name
            </button>
          </div>
          ${this.saved
            ? html`<p class="success" role="status" tabindex="-1" data-testid="profile-saved">
                Your name is saved.
              </p>`
            : nothing}
        </form>
      </section>
    `;
  }

  private edit(field: keyof Name, value: string): void {
    this.name = { ...this.name, [field]: value };
    this.problems = { ...this.problems, [field]: undefined };
    this.saved = false;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = { firstName: this.name.firstName.trim(), lastName: this.name.lastName.trim() };
    this.problems = {
      firstName: name.firstName ? undefined : PROFILE_MESSAGES.firstName,
      lastName: name.lastName ? undefined : PROFILE_MESSAGES.lastName,
    };
    this.saved = false;
    if (this.problems.firstName || this.problems.lastName) {
      await focusWhenRendered(this, '[aria-invalid="true"]');
      return;
    }
    await saveForm(this, this.request, {
      save: async () => {
        const user = await this.api.updateProfile(name);
        this.name = { firstName: user.firstName, lastName: user.lastName };
        this.dispatchEvent(
          new CustomEvent<User>('tn-profile-updated', { detail: user, bubbles: true, composed: true }),
        );
      },
      markProblem: (problem) => this.markField(problem),
      onSaved: () => (this.saved = true),
      savedStatus: '[data-testid="profile-saved"]',
    });
  }

  private markField({ field: named, message }: ProblemError['problem']): void {
    const field = typeof named === 'string' ? FIELD_NAMES[named] : undefined;
    if (field) this.problems = { ...this.problems, [field]: message };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-profile': TnProfile;
  }
  interface HTMLElementEventMap {
    'tn-profile-updated': CustomEvent<User>;
  }
}
