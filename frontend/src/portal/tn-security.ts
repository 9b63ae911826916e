import { Task, TaskStatus } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { PortalApi, type UserSession } from './portal-api.js';
import { timeAgo } from './relative-time.js';
import { relativeTime } from './scim-time.js';
import { cardListStyles } from './card-list-styles.js';
import { portalStyles } from './portal-styles.js';
import { securityStyles } from './tn-security.styles.js';

/**
 * How a session signed in, in words, from its `authenticationMethods` (OIDC `amr`) as the
 * sign-in pages record them: ["pop", "mfa"] a passkey, ["otp", "email"] a code sent by email,
 * ["email"] a magic link, ["fed"] single sign-on. Null when the methods say nothing we know.
 */
export function describeSignIn(methods: readonly string[]): string | null {
  if (methods.includes('pop') || methods.includes('hwk')) return 'with a passkey';
  if (methods.includes('fed')) return 'with single sign-on (SSO)';
  if (methods.includes('otp')) return 'with an email code';
  if (methods.includes('email')) return 'with a magic link';
  return null;
}

/**
 * The Sign out button's accessible name for each session, by id: the device, when it signed in
 * and from where, and, when two would still read the same, its place in the list.
 */
export function signOutLabels(sessions: readonly UserSession[], now?: Date): Map<string, string> {
  const labels = new Map(
    sessions.map((session) => [
      session.id,
      `Sign out ${session.device}, signed in ${relativeTime(session.createdAt, now)} from ${session.ip}`,
    ]),
  );
  const counts = new Map<string, number>();
  for (const label of labels.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  sessions.forEach((session, index) => {
    const label = labels.get(session.id)!;
    if (counts.get(label)! > 1) {
      labels.set(session.id, `${label} (session ${index + 1} of ${sessions.length})`);
    }
  });
  return labels;
}

function otherSessionsNotice(count: number): string {
  return `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}.`;
}

/**
 * @summary The signed-in person's active sessions (device, when and how they signed in, when
 * last active, IP address), with Sign out for each other session and for all of them.
 *
 * Two sessions in the same browser differ by their sign-in time, activity and IP address; each
 * Sign out button's accessible name says which session it ends. Signing out this one is the
 * portal header's Sign out, so the current session, marked "This session", has no button here.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - This session badge, status message and focus ring.
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
      return html`<section
        class="panel"
        aria-labelledby="sessions-heading"
        aria-busy="true"
        data-testid="sessions-loading"
      >
        <h2 id="sessions-heading">Active sessions</h2>
        <p class="visually-hidden" role="status">Loading your sessions…</p>
        <ul class="skeletons" aria-hidden="true">
          ${[0, 1].map(
            () => html`<li>
              <div class="session">
                <sl-skeleton effect="sheen" class="line wide"></sl-skeleton>
                <sl-skeleton effect="sheen" class="line"></sl-skeleton>
                <sl-skeleton effect="sheen" class="line"></sl-skeleton>
              </div>
            </li>`,
          )}
        </ul>
      </section>`;
    }
    const reloading = this.sessionsTask.status === TaskStatus.PENDING;
    const failedReload =
      this.sessionsTask.status === TaskStatus.ERROR ? toProblem(this.sessionsTask.error) : null;
    return html`
      <section class="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Active sessions</h2>
        <p class="intro">
          These are the browsers signed in to your account. If you don't recognize one, sign it out
          and check your passkeys.
        </p>
        ${errorAlert(this.request.error ?? failedReload)}
        <div role="status" data-testid="sessions-status">
          ${this.notice ? html`<p class="success notice" tabindex="-1">${this.notice}</p>` : nothing}
        </div>
        ${this.sessions.length === 0
          ? html`<p class="hint" data-testid="sessions-empty">
              No browser is signed in to your account. Sessions appear here when you sign in.
            </p>`
          : html`<ul aria-labelledby="sessions-heading" aria-busy=${reloading ? 'true' : 'false'}>
              ${this.renderSessions(reloading)}
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

  private renderSessions(reloading: boolean) {
    const labels = signOutLabels(this.sessions);
    return this.sessions.map((session) =>
      this.renderSession(session, labels.get(session.id)!, reloading),
    );
  }

  private renderSession(session: UserSession, label: string, reloading: boolean) {
    const { id, device, ip, createdAt, lastActiveAt, authenticationMethods, current } = session;
    const how = describeSignIn(authenticationMethods);
    return html`<li data-testid="session-row-${id}" ?data-current=${current}>
      <div class="session">
        <span class="device">
          <strong>${device}</strong>
          ${current
            ? html`<span class="badge good" data-testid="session-current">This session</span>`
            : nothing}
        </span>
        <span class="details" data-testid="session-signed-in">
          Signed in ${timeAgo(createdAt)}${how ? ` ${how}` : nothing}
        </span>
        <span class="details" data-testid="session-last-active">
          ${current ? 'Active now' : html`Last active ${timeAgo(lastActiveAt)}`}
        </span>
        <span class="details">IP address ${ip}</span>
      </div>
      ${current
        ? nothing
        : html`<button
            class="danger"
            type="button"
            data-testid="session-revoke-${id}"
            aria-label=${label}
            aria-busy=${this.request.running(`revoke-${id}`) ? 'true' : 'false'}
            ?disabled=${this.request.busy || reloading}
            @click=${() => this.revoke(session)}
          >
            Sign out
          </button>`}
    </li>`;
  }

  private revoke(session: UserSession): Promise<void> {
    return this.act(`revoke-${session.id}`, async () =>
      (await this.api.revokeSession(session.id))
        ? `Signed out ${session.device} (IP address ${session.ip}).`
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
