import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, type Problem } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { AuthApi } from './auth-api.js';
import { signInAgainLink } from './auth-links.js';
import { nameFields, nameProblems, trimmedName, type Name, type NameProblems } from './name-fields.js';

/**
 * @summary Asks a signed-in person who has no name yet for one, then continues the sign-in.
 *
 * @csspart field - Each label and input pair.
 * @csspart submit - The Continue button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Button and focus ring colour.
 * @cssproperty --tn-danger - Error colour.
 */
@localized()
@customElement('tn-profile-step')
export class TnProfileStep extends LitElement {
  static override styles = baseStyles;

  @property({ attribute: false }) req: string | null = null;
  @property({ attribute: false }) returnTo: string | null = null;

  /** A message the page was rendered with, shown until the next request. */
  @property({ attribute: false }) notice: Problem | null = null;

  @property({ attribute: false }) api = new AuthApi();

  @state() private name: Name = { firstName: '', lastName: '' };
  @state() private problems: NameProblems = {};

  @query('input') private firstInput?: HTMLInputElement;

  private readonly request: RequestController = new RequestController(this);

  /** Moves focus to the first name field. */
  override focus(options?: FocusOptions): void {
    this.firstInput?.focus(options);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('notice') && this.notice) void this.request.show(this.notice);
  }

  protected override render() {
    const busy = this.request.running('save');
    const error = this.request.error;
    return html`
      ${errorAlert(error, signInAgainLink(error, this))}
      <h2>${msg('What should we call you?', { id: 'auth.profile.heading' })}</h2>
      <p>${msg('Add your name to finish setting up your account.', { id: 'auth.profile.intro' })}</p>
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
        ${nameFields(this.name, this.problems, (field, value) => {
          this.name = { ...this.name, [field]: value };
          this.problems = { ...this.problems, [field]: undefined };
        })}
        <button
          class="primary"
          part="submit"
          type="submit"
          data-testid="profile-submit"
          aria-busy=${busy ? 'true' : 'false'}
          ?disabled=${!this.request.canRun('save')}
        >
          ${msg('Continue', { id: 'auth.profile.submit' })}
        </button>
        ${retryCountdown(this.request.countdown('save'))}
      </form>
    `;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.problems = nameProblems(this.name);
    if (Object.values(this.problems).some(Boolean)) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    await this.request.run('save', async () => {
      const { req, returnTo } = this;
      this.request.leave(await this.api.saveProfile({ ...trimmedName(this.name), req, returnTo }));
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-profile-step': TnProfileStep;
  }
}
