import { localized, msg } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, type Problem } from '../shared/request-controller.js';
import { retryCountdown } from '../shared/retry-countdown.js';
import { navigateTo } from '../shared/navigation.js';
import { textField } from '../shared/text-field.js';
import { AuthApi, type CodeSent, type Intent } from './auth-api.js';
import { nameFields, nameProblems, trimmedName, type Name, type NameProblems } from './name-fields.js';
import './tn-passkey-sign-in.js';
import { emailStepStyles } from './tn-email-step.styles.js';

/** Read when shown, so each is in the page's language. */
export const EMAIL_MESSAGES = {
  get missing(): string {
    return msg('Enter your email address.', { id: 'auth.email.missing' });
  },
  get malformed(): string {
    return msg('Enter an email address like name@example.com.', { id: 'auth.email.malformed' });
  },
};

/** A loose shape check so typos are caught early; the server decides what it accepts. */
export function emailProblem(email: string): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return EMAIL_MESSAGES.missing;
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) return EMAIL_MESSAGES.malformed;
  return undefined;
}

/**
 * @summary Asks for an email address (and, to sign up, a name) and emails a sign-in code; or,
 * signing in, signs in with a passkey (the email field's autofill, or its button). Signing up
 * offers no passkey: a person making an account has none here yet.
 *
 * @event tn-code-sent - The code was emailed. `detail` is `{flow, email, expiresIn}`.
 *
 * @csspart field - Each label and input pair.
 * @csspart submit - The Continue button.
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Button and focus ring colour.
 * @cssproperty --tn-on-primary - Button text colour.
 * @cssproperty --tn-danger - Error colour.
 */
@localized()
@customElement('tn-email-step')
export class TnEmailStep extends LitElement {
  static override styles = [baseStyles, emailStepStyles];

  /** `signup` also asks for first and last name. */
  @property({ reflect: true }) mode: Intent = 'login';

  /** The address to start with, such as the OIDC `login_hint`. */
  @property() email = '';

  /** The pending authorization request, sent along so the server can continue it. */
  @property({ attribute: false }) req: string | null = null;

  /** Where to go after signing in when there is no authorization request. */
  @property({ attribute: false }) returnTo: string | null = null;

  /** A message the page was rendered with, shown until the next request. */
  @property({ attribute: false }) notice: Problem | null = null;

  @property({ attribute: false }) api = new AuthApi();

  @state() private name: Name = { firstName: '', lastName: '' };
  @state() private problems: NameProblems & { email?: string } = {};

  @query('input') private firstInput?: HTMLInputElement;

  private readonly request: RequestController = new RequestController(this);

  /** Moves focus to the first field. */
  override focus(options?: FocusOptions): void {
    this.firstInput?.focus(options);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('notice') && this.notice) void this.request.show(this.notice);
  }

  protected override render() {
    const signup = this.mode === 'signup';
    const busy = this.request.running('send');
    return html`
      ${errorAlert(this.request.error)}
      <p class="intro">
        ${signup
          ? msg('Enter your name and email. We will send you a code to confirm it.', {
              id: 'auth.email.intro.signup',
            })
          : msg('Enter your email and we will send you a code to sign in.', {
              id: 'auth.email.intro.login',
            })}
      </p>
      <form novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.submit}>
        ${signup
          ? nameFields(this.name, this.problems, (field, value) => {
              this.name = { ...this.name, [field]: value };
              this.problems = { ...this.problems, [field]: undefined };
            })
          : nothing}
        ${textField({
          id: 'email',
          label: msg('Email address', { id: 'auth.email.label' }),
          type: 'email',
          value: this.email,
          testid: 'email-input',
          // "webauthn" lets the browser offer passkeys in this field's autofill.
          autocomplete: signup ? 'email' : 'username webauthn',
          inputmode: 'email',
          error: this.problems.email,
          onInput: (value) => {
            this.email = value;
            this.problems = { ...this.problems, email: undefined };
          },
        })}
        <button
          class="primary"
          part="submit"
          type="submit"
          data-testid="email-submit"
          aria-busy=${busy ? 'true' : 'false'}
          ?disabled=${!this.request.canRun('send')}
        >
          ${msg('Continue', { id: 'auth.email.submit' })}
        </button>
        ${retryCountdown(this.request.countdown('send'))}
      </form>
      ${signup
        ? nothing
        : html`<tn-passkey-sign-in
            autofill
            .req=${this.req}
            .returnTo=${this.returnTo}
          ></tn-passkey-sign-in>`}
    `;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const signup = this.mode === 'signup';
    const problems = { ...(signup ? nameProblems(this.name) : {}), email: emailProblem(this.email) };
    this.problems = problems;
    if (Object.values(problems).some(Boolean)) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    await this.request.run('send', async () => {
      const sent = await this.api.sendCode({
        email: this.email.trim(),
        intent: this.mode,
        ...(signup ? trimmedName(this.name) : {}),
        req: this.req,
        returnTo: this.returnTo,
      });
      if ('location' in sent) {
        navigateTo(sent.location); // home-realm discovery: the organization's identity provider
        return;
      }
      this.dispatchEvent(
        new CustomEvent<CodeSent>('tn-code-sent', { detail: sent, bubbles: true, composed: true }),
      );
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-email-step': TnEmailStep;
  }
  interface HTMLElementEventMap {
    'tn-code-sent': CustomEvent<CodeSent>;
  }
}
