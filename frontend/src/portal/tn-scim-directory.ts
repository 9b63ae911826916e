import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController } from '../shared/request-controller.js';
import { ProblemError } from './graphql.js';
import { portalStyles } from './portal-styles.js';
import { RecentSignInController } from './recent-sign-in.js';
import { focusWhenRendered } from './save-form.js';
import { ScimApi, type Directory, type DirectorySettings, type ScimRole } from './scim-api.js';
import { scimGuideFor } from './scim-guides/index.js';
import {
  DEFAULT_OVERLAP_MINUTES,
  MAX_OVERLAP_MINUTES,
  lastRequestSentence,
  overlapProblem,
  overlapSentence,
  tokenBadge,
  tokenSentence,
} from './scim-token-state.js';
import { scimDirectoryStyles } from './tn-scim-directory.styles.js';
import type { TnScimDialog } from './tn-scim-dialog.js';
import type { CopyRequest } from './tn-scim-guide.js';
import type { TnScimLog } from './tn-scim-log.js';
import type { TnScimSettings } from './tn-scim-settings.js';
import './tn-reauthenticate.js';
import './tn-scim-dialog.js';
import './tn-scim-groups.js';
import './tn-scim-guide.js';
import './tn-scim-log.js';
import './tn-scim-settings.js';
import './tn-scim-users.js';

export const SCIM_MESSAGES = {
  copyFailed: 'Your browser did not allow copying. Select the text and copy it instead.',
  nothingChanged: 'Nothing changed.',
  tokenOnce: "Copy it now: it won't be shown again.",
} as const;

type Confirmable = 'rotate' | 'revoke' | 'delete';

declare global {
  interface HTMLElementEventMap {
    'tn-scim-directory-changed': CustomEvent<Directory>;
    'tn-scim-directory-deleted': CustomEvent<{ id: string; name: string }>;
  }
  interface HTMLElementTagNameMap {
    'tn-scim-directory': TnScimDirectory;
  }
}

/**
 * @summary One SCIM directory: its base URL and token state (the token itself shown once, right
 * after it was made, with copy buttons), Rotate token (with the minutes the old one keeps working),
 * Revoke and Delete behind confirming dialogs, the provider's guide, the settings and group → role
 * mapping, the provisioning log, and the users and groups it pushed. Read-only without
 * `sk_org_scim_manage`.
 *
 * Every change needs a recent sign-in: when the server asks, "Confirm it's you" shows and the
 * change waits.
 *
 * @event tn-scim-directory-changed - The directory changed; detail is it now.
 * @event tn-scim-directory-deleted - The directory was deleted; detail names it.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, the token box and focus ring.
 * @cssproperty --tn-danger - Errors, Revoke and Delete.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints, borders and value backgrounds.
 */
@customElement('tn-scim-directory')
export class TnScimDirectory extends LitElement {
  static override styles = [baseStyles, portalStyles, scimDirectoryStyles];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) directory!: Directory;
  @property({ attribute: false }) roles: readonly ScimRole[] = [];
  @property({ attribute: false }) permissions: readonly string[] = [];
  /** The signed-in person's email, for "Sign in again". */
  @property() email = '';
  /** The token just made (on creation), shown once; empty otherwise. */
  @property({ attribute: false }) token = '';
  /** The status message shown under the heading, such as what the last change did. */
  @property({ attribute: false }) notice = '';

  @state() private confirming: Confirmable | null = null;
  @state() private overlap = String(DEFAULT_OVERLAP_MINUTES);
  @state() private overlapError: string | null = null;
  @state() private settingsRefusal: { field: string; message: string } | null = null;

  @query('tn-scim-dialog') private dialog?: TnScimDialog;

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(this, this.request);

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_scim_manage');
  }

  protected override render() {
    const directory = this.directory;
    const guide = scimGuideFor(directory.provider);
    return html`
      ${this.renderHeader(directory, guide.label)}
      <section class="panel" aria-labelledby="scim-guide-heading">
        <h3 id="scim-guide-heading">Set up ${guide.label}</h3>
        <tn-scim-guide
          .directory=${directory}
          .token=${this.token}
          @tn-scim-copy=${(event: CustomEvent<CopyRequest>) => this.copy(event.detail.text, event.detail.what)}
        ></tn-scim-guide>
      </section>
      <section class="panel" aria-labelledby="scim-settings-heading">
        <h3 id="scim-settings-heading">Settings and roles</h3>
        <tn-scim-settings
          .api=${this.api}
          .directory=${directory}
          .roles=${this.roles}
          .permissions=${this.permissions}
          .refusal=${this.settingsRefusal}
          ?busy=${this.request.running('save-settings')}
          ?read-only=${!this.canManage}
          @tn-scim-settings-save=${(event: CustomEvent<DirectorySettings>) => this.saveSettings(event.detail)}
        ></tn-scim-settings>
      </section>
      <section class="panel" aria-labelledby="scim-log-heading">
        <h3 id="scim-log-heading">Provisioning log</h3>
        <tn-scim-log .api=${this.api} .directoryId=${directory.id}></tn-scim-log>
      </section>
      <section class="panel" aria-labelledby="scim-users-heading">
        <h3 id="scim-users-heading">Users <span class="hint">(${directory.userCount})</span></h3>
        <tn-scim-users .api=${this.api} .directoryId=${directory.id}></tn-scim-users>
      </section>
      <section class="panel" aria-labelledby="scim-groups-heading">
        <h3 id="scim-groups-heading">Groups <span class="hint">(${directory.groupCount})</span></h3>
        <tn-scim-groups .api=${this.api} .directoryId=${directory.id}></tn-scim-groups>
      </section>
      ${this.canManage ? this.renderDelete(directory) : nothing} ${this.renderDialog(directory, guide.label)}
    `;
  }

  private renderHeader(directory: Directory, providerLabel: string) {
    const badge = tokenBadge(directory);
    const overlap = overlapSentence(directory);
    return html`<section class="panel" aria-labelledby="scim-directory-heading">
      <div class="head">
        <h2 id="scim-directory-heading" tabindex="-1">${directory.name}</h2>
        <span class="badge ${badge.tone}" data-testid="scim-token-badge">${badge.label}</span>
      </div>
      <p class="hint">${providerLabel} · SCIM 2.0 · <span data-testid="scim-last-request">${lastRequestSentence(directory)}</span></p>
      ${
        this.canManage
          ? nothing
          : html`<p class="hint" data-testid="scim-read-only">Only an organization admin can change directories.</p>`
      }
      ${this.renderConfirmation()} ${errorAlert(this.request.error)}
      <div role="status">
        ${this.notice ? html`<p class="success" tabindex="-1" data-testid="scim-status">${this.notice}</p>` : nothing}
      </div>
      <dl class="credentials">
        <div>
          <dt>SCIM base URL</dt>
          <dd>
            <code data-testid="scim-base-url">${directory.scimBaseUrl}</code>
            <button class="secondary copy" type="button" data-testid="scim-copy-base-url" @click=${() => this.copy(directory.scimBaseUrl, 'the base URL')}>
              Copy<span class="visually-hidden"> the base URL</span>
            </button>
          </dd>
        </div>
        <div>
          <dt>Bearer token</dt>
          <dd data-testid="scim-token-state">${tokenSentence(directory)} ${overlap}</dd>
        </div>
      </dl>
      ${this.token ? this.renderTokenOnce(this.token) : nothing}
      ${this.canManage ? this.renderTokenButtons(directory) : nothing}
    </section>`;
  }

  private renderTokenOnce(token: string) {
    return html`<div class="token-once" role="group" aria-labelledby="token-once-heading" data-testid="scim-token-once">
      <p id="token-once-heading"><strong>Your new token</strong></p>
      <p class="warning" id="token-once-warning">${SCIM_MESSAGES.tokenOnce}</p>
      <p>
        <code data-testid="scim-token-value" aria-describedby="token-once-warning">${token}</code>
      </p>
      <div class="buttons">
        <button class="primary" type="button" data-testid="scim-copy-token" @click=${() => this.copy(token, 'the token')}>
          Copy the token
        </button>
        <button class="link" type="button" data-testid="scim-token-hide" @click=${this.hideToken}>
          I have saved it: hide the token
        </button>
      </div>
    </div>`;
  }

  private renderTokenButtons(directory: Directory) {
    const idle = !this.request.busy && !this.recentSignIn.waiting;
    return html`<div class="buttons">
      <button
        class="secondary"
        type="button"
        data-testid="scim-rotate"
        ?disabled=${!idle}
        @click=${(event: Event) => this.ask('rotate', event)}
      >
        ${directory.hasToken ? 'Rotate token' : 'Make a token'}
      </button>
      ${
        directory.hasToken
          ? html`<button class="danger" type="button" data-testid="scim-revoke" ?disabled=${!idle} @click=${(event: Event) => this.ask('revoke', event)}>
              Revoke token
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderDelete(directory: Directory) {
    return html`<section class="panel danger-zone" aria-labelledby="scim-delete-heading">
      <h3 id="scim-delete-heading">Delete the directory</h3>
      <p class="hint">
        Its users, groups and log go with it. People it provisioned keep their accounts and
        memberships, and their roles can be changed by hand again.
      </p>
      <button
        class="danger"
        type="button"
        data-testid="scim-delete"
        ?disabled=${this.request.busy || Boolean(this.recentSignIn.waiting)}
        @click=${(event: Event) => this.ask('delete', event)}
      >
        Delete<span class="visually-hidden"> ${directory.name}</span>
      </button>
    </section>`;
  }

  private renderDialog(directory: Directory, provider: string) {
    const confirming = this.confirming;
    const texts = {
      rotate: {
        heading: directory.hasToken ? 'Rotate the token?' : 'Make a token?',
        confirm: directory.hasToken ? 'Rotate token' : 'Make a token',
        tone: 'primary' as const,
      },
      revoke: { heading: 'Revoke the token?', confirm: 'Revoke token', tone: 'danger' as const },
      delete: { heading: `Delete ${directory.name}?`, confirm: 'Delete directory', tone: 'danger' as const },
    };
    const shown = texts[confirming ?? 'rotate'];
    return html`<tn-scim-dialog
      heading=${shown.heading}
      confirm-label=${shown.confirm}
      tone=${shown.tone}
      confirm-testid="scim-dialog-confirm"
      cancel-testid="scim-dialog-cancel"
      ?busy=${confirming !== null && this.request.running(confirming)}
      @tn-dialog-confirm=${() => this.confirmed()}
      @tn-dialog-cancel=${() => (this.confirming = null)}
    >
      ${confirming === 'rotate' ? this.renderRotateBody(directory, provider) : nothing}
      ${
        confirming === 'revoke'
          ? html`<p>
              ${provider} can no longer provision: every request is refused, and the previous token
              stops working too. People already provisioned stay as they are. Make a new token to
              connect it again.
            </p>`
          : nothing
      }
      ${
        confirming === 'delete'
          ? html`<p>
              ${provider} can no longer provision, and the directory's users, groups, role mapping
              and log are deleted. People it provisioned keep their accounts and memberships.
            </p>`
          : nothing
      }
    </tn-scim-dialog>`;
  }

  private renderRotateBody(directory: Directory, provider: string) {
    if (!directory.hasToken) {
      return html`<p>A new token is made and shown once. Paste it into ${provider}.</p>`;
    }
    return html`<p>
        A new token is made and shown once. The current token keeps working for the minutes you
        choose, so you can paste the new one into ${provider} without a failed push.
      </p>
      <div class="field overlap">
        <label for="overlap-minutes">Minutes the current token keeps working</label>
        <input
          id="overlap-minutes"
          type="number"
          inputmode="numeric"
          min="0"
          max=${MAX_OVERLAP_MINUTES}
          step="1"
          autofocus
          data-testid="scim-overlap"
          aria-describedby=${ifDefined(this.overlapError ? 'overlap-error overlap-hint' : 'overlap-hint')}
          aria-invalid=${this.overlapError ? 'true' : 'false'}
          .value=${live(this.overlap)}
          @input=${(event: InputEvent) => {
            this.overlap = (event.target as HTMLInputElement).value;
            this.overlapError = null;
          }}
        />
        <p class="hint" id="overlap-hint">0 stops it now; at most ${MAX_OVERLAP_MINUTES} (7 days).</p>
        ${this.overlapError ? html`<p class="field-error" id="overlap-error" data-testid="scim-overlap-error">${this.overlapError}</p>` : nothing}
      </div>`;
  }

  private renderConfirmation() {
    const waiting = this.recentSignIn.waiting;
    if (!waiting) return nothing;
    return html`<tn-reauthenticate
      data-testid="reauthenticate"
      .email=${this.email}
      .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
      .purpose=${waiting.purpose}
      return-to="/ui/scim"
      @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
      @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
    ></tn-reauthenticate>`;
  }

  private async ask(what: Confirmable, event: Event): Promise<void> {
    const opener = event.currentTarget as HTMLElement; // gone once the event is dispatched
    this.notice = '';
    this.request.clearError();
    this.confirming = what;
    this.overlap = String(DEFAULT_OVERLAP_MINUTES);
    this.overlapError = null;
    await this.updateComplete;
    await this.dialog?.show(opener);
  }

  private async confirmed(): Promise<void> {
    const what = this.confirming;
    const directory = this.directory;
    if (what === 'rotate') {
      const problem = directory.hasToken ? overlapProblem(this.overlap) : null;
      if (problem) {
        this.overlapError = problem;
        await focusWhenRendered(this, '#overlap-minutes');
        return;
      }
      const minutes = directory.hasToken ? Number(this.overlap.trim()) : 0;
      await this.guarded('rotate', 'rotate the token', '[data-testid="scim-rotate"]', () =>
        this.api.rotateToken(directory.id, minutes),
        (rotated) => {
          this.token = rotated.token;
          this.changed(rotated.directory, 'A new token was made. Paste it into your identity provider.');
          return '[data-testid="scim-copy-token"]';
        },
      );
    } else if (what === 'revoke') {
      await this.guarded('revoke', 'revoke the token', '[data-testid="scim-revoke"]', () =>
        this.api.revokeToken(directory.id),
        (revoked) => {
          this.token = '';
          this.changed(revoked, 'The token was revoked: the identity provider cannot provision until you make a new one.');
          return '[data-testid="scim-status"]';
        },
      );
    } else if (what === 'delete') {
      await this.guarded('delete', 'delete the directory', '[data-testid="scim-delete"]', () =>
        this.api.deleteDirectory(directory.id),
        (id) => {
          this.dispatchEvent(
            new CustomEvent('tn-scim-directory-deleted', {
              detail: { id, name: directory.name },
              bubbles: true,
              composed: true,
            }),
          );
          return null;
        },
      );
    }
  }

  /**
   * Runs a confirmed change: the dialog closes once it is answered (or when "Confirm it's you"
   * takes over), and focus moves to what `done` names.
   */
  private async guarded<T>(
    action: Confirmable,
    purpose: string,
    origin: string,
    change: () => Promise<T>,
    done: (result: T) => string | null,
  ): Promise<void> {
    await this.recentSignIn.run({
      action,
      purpose,
      origin,
      change: async () => {
        try {
          return await change();
        } catch (error) {
          if (error instanceof ProblemError && error.problem.field === 'overlapMinutes') {
            this.overlapError = error.problem.message;
          }
          throw error;
        }
      },
      done: async (result) => {
        this.confirming = null;
        this.dialog?.close();
        const focus = done(result);
        if (focus) await focusWhenRendered(this, focus);
      },
    });
    if (this.recentSignIn.waiting) {
      this.confirming = null;
      this.dialog?.close();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('tn-reauthenticate')?.focus();
    } else if (this.overlapError) {
      // Refused at the field: the dialog stays, with the reason under it.
      this.request.clearError();
      await focusWhenRendered(this, '#overlap-minutes');
    } else if (this.request.error && this.confirming) {
      // The refusal shows in the page's alert: close the dialog so it can be read.
      this.confirming = null;
      this.dialog?.close();
      await focusWhenRendered(this, '[data-testid="error-message"]');
    }
  }

  private async saveSettings(settings: DirectorySettings): Promise<void> {
    this.settingsRefusal = null;
    if (Object.keys(settings).length === 0) {
      this.notice = SCIM_MESSAGES.nothingChanged;
      await focusWhenRendered(this, '[data-testid="scim-status"]');
      return;
    }
    const directory = this.directory;
    await this.recentSignIn.run({
      action: 'save-settings',
      purpose: 'change the directory’s settings',
      origin: '#scim-settings-heading',
      change: () => this.api.updateDirectory(directory.id, settings),
      failed: (error) => {
        if (error instanceof ProblemError) {
          const field = typeof error.problem.field === 'string' ? error.problem.field : 'groupRoles';
          this.settingsRefusal = { field, message: error.message };
        }
      },
      done: async (updated) => {
        this.renderRoot.querySelector<TnScimSettings>('tn-scim-settings')?.clear();
        this.changed(updated, 'The settings were saved.');
        await focusWhenRendered(this, '[data-testid="scim-status"]');
      },
    });
  }

  private changed(directory: Directory, notice: string): void {
    this.directory = directory;
    this.notice = notice;
    this.dispatchEvent(
      new CustomEvent('tn-scim-directory-changed', { detail: directory, bubbles: true, composed: true }),
    );
  }

  private readonly hideToken = async (): Promise<void> => {
    this.token = '';
    this.notice = 'The token is hidden. If you lose it, rotate the token to make a new one.';
    await focusWhenRendered(this, '[data-testid="scim-status"]');
  };

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    if (origin) await focusWhenRendered(this, origin);
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
    } catch {
      await this.request.show({ code: 'copy_failed', message: SCIM_MESSAGES.copyFailed });
      return;
    }
    this.request.clearError();
    this.notice = `Copied ${what}.`;
  }

  /** Reads the log again, such as after the identity provider's first push. */
  refreshLog(): Promise<void> {
    return this.renderRoot.querySelector<TnScimLog>('tn-scim-log')?.refresh() ?? Promise.resolve();
  }
}
