import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { formatDateTime } from './dates.js';
import { PortalApi, type UserSession } from './portal-api.js';
import { cardListStyles } from './card-list-styles.js';
import { portalStyles } from './portal-styles.js';
import { securityStyles } from './tn-security.styles.js';

/** Words for the `authenticationMethods` (OIDC `amr`) values the sign-in pages record. */
export const METHOD_NAMES: Readonly<Record<string, string>> = {
  otp: 'one-time code',
  email: 'email',
  pop: 'passkey',
  mfa: 'multi-factor authentication',
};

const METHOD_LIST = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** How a session signed in, in words ("one-time code and email"); unknown values as they are. */
export function describeMethods(methods: readonly string[]): string {
  return METHOD_LIST.format(methods.map((method) => METHOD_NAMES[method] ?? method));
}

function otherSessionsNotice(count: number): string {
  return `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}.`;
}

/**
 * @summary The signed-in person's active sessions (device, IP address, when and how they
 * signed in, when last active), with Sign out for each other session and for all of them.
 *
 * Signing out this device is the portal header's Sign out, so the current session, marked
 * "This device", has no button here.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - This device badge, status message and focus ring.
 * @cssproperty --tn-danger - Errors and the Sign out buttons.
 */
@customElement('tn-security')
export class TnSecurity extends LitElement {
  static override styles = [baseStyles, portalStyles, cardListStyles, securityStyles];

  @property({ attribute: false }) api = new PortalApi();

  @state() private sessions: UserSession[] = [];
  @state() private loaded = false;
  @state() private reloads = 0;
  @state() private notice = '';

  private readonly request: RequestController = new RequestController(this);

  private readonly sessionsTask = new Task(this, {
    args: () => [this.api, this.reloads] as const,
    task: ([api], { signal }) => api.sessions({ signal }),
    onComplete: (sessions) => {
      this.sessions = sessions;
      this.loaded = true;
    },
  });

  protected override render() {
    if (!this.loaded) {
      if (this.sessionsTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.sessionsTask.error))}
          <button class="secondary" type="button" @click=${() => this.sessionsTask.run()}>Try again</button>`;
      }
      return html`<p class="status" role="status" aria-busy="true" data-testid="sessions-loading">
        Loading your sessions…
      </p>`;
    }
    const reloading = this.sessionsTask.status === TaskStatus.PENDING;
    const failedReload =
      this.sessionsTask.status === TaskStatus.ERROR ? toProblem(this.sessionsTask.error) : null;
    return html`
      <section class="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Active sessions</h2>
        <p class="intro">
          These are the browsers signed in to your account. Sign out any you do not recognize.
        </p>
        ${errorAlert(this.request.error ?? failedReload)}
        <div role="status" data-testid="sessions-status">
          ${this.notice ? html`<p class="success notice" tabindex="-1">${this.notice}</p>` : nothing}
        </div>
        ${this.sessions.length === 0
          ? html`<p class="hint" data-testid="sessions-empty">No active sessions.</p>`
          : html`<ul aria-labelledby="sessions-heading" aria-busy=${reloading ? 'true' : 'false'}>
              ${this.sessions.map((session) => this.renderSession(session, reloading))}
            </ul>`}
        ${this.sessions.length > 1
          ? html`<div class="buttons">
              <button
                class="danger"
                type="button"
                data-testid="sessions-revoke-others"
                aria-busy=${this.request.running('revoke-others') ? 'true' : 'false'}
                ?disabled=${this.request.busy || reloading}
                @click=${this.revokeOthers}
              >
                Sign out all other sessions
              </button>
            </div>`
          : nothing}
      </section>
    `;
  }

  private renderSession(session: UserSession, reloading: boolean) {
    const { id, device, ip, createdAt, lastActiveAt, authenticationMethods, current } = session;
    const methods = authenticationMethods.length ? describeMethods(authenticationMethods) : '';
    return html`<li data-testid="session-row-${id}">
      <div class="session">
        <span class="device">
          <strong>${device}</strong>
          ${current
            ? html`<span class="badge good" data-testid="session-current">This device</span>`
            : nothing}
        </span>
        <span class="details">IP address ${ip}</span>
        <span class="details">
          Signed in <time datetime=${createdAt}>${formatDateTime(createdAt)}</time>${methods
            ? ` with ${methods}`
            : nothing}
        </span>
        <span class="details">
          Last active <time datetime=${lastActiveAt}>${formatDateTime(lastActiveAt)}</time>
        </span>
      </div>
      ${current
        ? nothing
        : html`<button
            class="danger"
            type="button"
            data-testid="session-revoke-${id}"
            aria-busy=${this.request.running(`revoke-${id}`) ? 'true' : 'false'}
            ?disabled=${this.request.busy || reloading}
            @click=${() => this.revoke(session)}
          >
            Sign out<span class="visually-hidden"> ${device} at ${ip}</span>
          </button>`}
    </li>`;
  }

  private revoke(session: UserSession): Promise<void> {
    return this.act(`revoke-${session.id}`, async () =>
      (await this.api.revokeSession(session.id))
        ? `Signed out ${session.device} at ${session.ip}.`
        : 'That session had already ended.',
    );
  }

  private readonly revokeOthers = (): Promise<void> =>
    this.act('revoke-others', async () => otherSessionsNotice(await this.api.revokeOtherSessions()));

  /** Runs a sign-out, reloads the list, then moves focus to the message saying what happened. */
  private async act(action: string, change: () => Promise<string>): Promise<void> {
    this.notice = '';
    const done = await this.request.run(action, async () => {
      this.notice = await change();
    });
    if (!done) return;
    this.reloads += 1;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="sessions-status"] > .success')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-security': TnSecurity;
  }
}
