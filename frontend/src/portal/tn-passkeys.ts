import { Task, TaskStatus } from '@lit/task';
import '@shoelace-style/shoelace/dist/components/skeleton/skeleton.js';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { cancelPasskeyPrompt, passkeysSupported } from '../shared/passkey-browser.js';
import { PasskeyCeremony } from '../shared/passkey-ceremony.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { textField } from '../shared/text-field.js';
import { confirmGroup } from './confirm-group.js';
import { ProblemError } from './graphql.js';
import { registerPasskey } from './passkey-registration.js';
import { cardListStyles } from './card-list-styles.js';
import { focusWhenRendered } from './save-form.js';
import { passkeysStyles } from './tn-passkeys.styles.js';
import { PasskeysApi, type Passkey } from './passkeys-api.js';
import { portalStyles } from './portal-styles.js';
import { timeAgo } from './relative-time.js';
import { RecentSignInController } from './recent-sign-in.js';
import './tn-reauthenticate.js';

export const PASSKEY_NAME_MESSAGE = 'Enter a name for the passkey.';

/**
 * How each passkey is named in its buttons' accessible names, by id: its name, and its place in
 * the list when another has the same name, so no two Rename or Delete buttons read alike.
 */
export function passkeyLabels(passkeys: readonly Passkey[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const { name } of passkeys) counts.set(name, (counts.get(name) ?? 0) + 1);
  return new Map(
    passkeys.map(({ id, name }, index) => [
      id,
      counts.get(name)! > 1 ? `${name} (passkey ${index + 1} of ${passkeys.length})` : name,
    ]),
  );
}

/**
 * @summary The signed-in person's passkeys (name, when added and last used, whether synced),
 * with Add a passkey, Rename and a confirmed Delete.
 *
 * Adding or deleting a passkey needs a recent sign-in; when the server says the session is too
 * old, a "Confirm it's you" panel offers a passkey or signing in again, and the change is
 * retried as soon as a passkey confirms it.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, Synced badge, status message and focus ring.
 * @cssproperty --tn-danger - Errors and the Delete buttons.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Row borders and hints.
 */
@customElement('tn-passkeys')
export class TnPasskeys extends LitElement {
  static override styles = [baseStyles, portalStyles, cardListStyles, passkeysStyles];

  @property({ attribute: false }) api = new PasskeysApi();

  /** Signs the "Confirm it's you" challenge; shared with the panel. */
  @property({ attribute: false }) ceremony = new PasskeyCeremony();

  @state() private passkeys: Passkey[] = [];
  @state() private email = '';
  @state() private loaded = false;
  @state() private notice = '';
  /** The new passkey's name while the Add form is open, else null. */
  @state() private newName: string | null = null;
  /** The passkey being renamed and the name typed so far. */
  @state() private renaming: { id: string; name: string } | null = null;
  /** The passkey whose deletion waits for confirmation. */
  @state() private deleting: string | null = null;
  /** The name field the client or server refused, and why. */
  @state() private refused: { field: 'new' | 'rename'; message: string } | null = null;

  private readonly request: RequestController = new RequestController(this);
  private readonly recentSignIn: RecentSignInController = new RecentSignInController(
    this,
    this.request,
  );
  private readonly supported = passkeysSupported();

  private readonly passkeysTask = new Task(this, {
    args: () => [this.api] as const,
    task: ([api], { signal }) => api.overview({ signal }),
    onComplete: ({ email, passkeys }) => {
      this.email = email;
      this.passkeys = passkeys;
      this.loaded = true;
    },
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.request.running('add')) cancelPasskeyPrompt();
  }

  protected override render() {
    if (!this.loaded) {
      if (this.passkeysTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.passkeysTask.error))}
          <button class="secondary" type="button" @click=${() => this.passkeysTask.run()}>
            Try again
          </button>`;
      }
      return html`<section
        class="panel"
        aria-labelledby="passkeys-heading"
        aria-busy="true"
        data-testid="passkeys-loading"
      >
        <h2 id="passkeys-heading">Passkeys</h2>
        <p class="visually-hidden" role="status">Loading your passkeys…</p>
        <ul class="skeletons" aria-hidden="true">
          <li>
            <div class="passkey">
              <sl-skeleton effect="sheen" class="line wide"></sl-skeleton>
              <sl-skeleton effect="sheen" class="line"></sl-skeleton>
            </div>
          </li>
        </ul>
      </section>`;
    }
    return html`
      <section class="panel" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        <p class="intro">
          A passkey signs you in with your fingerprint, face, screen lock or security key, instead
          of a code sent by email.
        </p>
        ${this.renderConfirmation()} ${errorAlert(this.request.error)}
        <div role="status" data-testid="passkeys-status">
          ${this.notice
            ? html`<p class="success notice" tabindex="-1">${this.notice}</p>`
            : nothing}
        </div>
        ${this.passkeys.length === 0
          ? html`<p class="hint" data-testid="passkeys-empty">
              You have no passkeys yet. Add one to sign in without waiting for an email code.
            </p>`
          : html`<ul aria-labelledby="passkeys-heading">
              ${this.renderPasskeys()}
            </ul>`}
        ${this.renderAdd()}
      </section>
    `;
  }

  private renderConfirmation() {
    const waiting = this.recentSignIn.waiting;
    if (!waiting) return nothing;
    return html`<tn-reauthenticate
      data-testid="reauthenticate"
      .email=${this.email}
      .maxAgeSeconds=${waiting.problem.maxAgeSeconds}
      .purpose=${waiting.purpose}
      .offerPasskey=${this.supported && this.passkeys.length > 0}
      .ceremony=${this.ceremony}
      @tn-reauthenticated=${() => this.recentSignIn.confirmed()}
      @tn-reauthenticate-cancel=${() => this.cancelConfirmation(waiting.origin)}
    ></tn-reauthenticate>`;
  }

  private renderPasskeys() {
    const labels = passkeyLabels(this.passkeys);
    return this.passkeys.map((passkey) => this.renderPasskey(passkey, labels.get(passkey.id)!));
  }

  private renderPasskey(passkey: Passkey, label: string) {
    const { id, name, createdAt, lastUsedAt, synced } = passkey;
    return html`<li data-testid="passkey-row" data-passkey-id=${id}>
      <div class="passkey">
        <span class="name">
          <strong>${name}</strong>
          ${synced
            ? html`<span class="badge good" data-testid="passkey-synced">Synced</span>`
            : nothing}
        </span>
        <span class="details">
          Added ${timeAgo(createdAt)}
        </span>
        <span class="details" data-testid="passkey-last-used">
          ${lastUsedAt
            ? html`Last used ${timeAgo(lastUsedAt)}`
            : 'Never used'}
        </span>
      </div>
      ${this.renaming?.id === id
        ? this.renderRename(passkey)
        : this.deleting === id
          ? this.renderDelete(passkey)
          : this.renderRowButtons(passkey, label)}
    </li>`;
  }

  private renderRowButtons({ id, name }: Passkey, label: string) {
    const idle = !this.request.busy && !this.recentSignIn.waiting;
    return html`<div class="buttons">
      <button
        class="secondary"
        type="button"
        id="rename-${id}"
        data-testid="rename-passkey"
        ?disabled=${!idle}
        @click=${() => this.startRename(id, name)}
      >
        Rename<span class="visually-hidden"> ${label}</span>
      </button>
      <button
        class="danger"
        type="button"
        id="delete-${id}"
        data-testid="delete-passkey"
        ?disabled=${!idle}
        @click=${() => this.askToDelete(id)}
      >
        Delete<span class="visually-hidden"> ${label}</span>
      </button>
    </div>`;
  }

  private renderRename(passkey: Passkey) {
    const busy = this.request.running(`rename-${passkey.id}`);
    const refused = this.refused?.field === 'rename' ? this.refused : null;
    return html`<form
      class="edit"
      novalidate
      aria-busy=${busy ? 'true' : 'false'}
      @submit=${(event: SubmitEvent) => this.rename(event, passkey)}
      @keydown=${(event: KeyboardEvent) =>
        this.escape(event, busy, () => this.stopRename(passkey.id))}
    >
      ${textField({
        id: 'rename-passkey-name',
        label: 'Passkey name',
        value: this.renaming!.name,
        testid: 'rename-passkey-name',
        error: refused?.message,
        onInput: (value) => {
          this.renaming = { id: passkey.id, name: value };
          this.refused = null;
        },
      })}
      <div class="buttons">
        <button
          class="primary"
          type="submit"
          data-testid="save-passkey-name"
          aria-busy=${busy ? 'true' : 'false'}
          ?disabled=${!this.request.canRun(`rename-${passkey.id}`)}
        >
          Save
        </button>
        <button
          class="secondary"
          type="button"
          data-testid="cancel-rename-passkey"
          ?disabled=${busy}
          @click=${() => this.stopRename(passkey.id)}
        >
          Cancel
        </button>
      </div>
    </form>`;
  }

  private renderDelete({ id, name }: Passkey) {
    return confirmGroup({
      questionId: 'delete-question',
      question: `Delete the passkey “${name}”? You can no longer sign in with it. It stays on your
        device until you remove it there too.`,
      confirmLabel: 'Delete passkey',
      confirmTestId: 'confirm-delete-passkey',
      cancelTestId: 'cancel-delete-passkey',
      busy: this.request.running(`delete-${id}`),
      confirmDisabled: this.request.busy || Boolean(this.recentSignIn.waiting),
      onConfirm: () => this.delete(id, name),
      onCancel: () => this.stopDelete(id),
    });
  }

  private renderAdd() {
    if (!this.supported) {
      return html`<p class="hint" data-testid="passkeys-unsupported">
        This browser can't make passkeys. To add one, open this page in a browser that can.
      </p>`;
    }
    if (this.newName === null) {
      return html`<div class="buttons add">
        <button
          class="primary"
          type="button"
          data-testid="add-passkey"
          ?disabled=${this.request.busy || Boolean(this.recentSignIn.waiting)}
          @click=${this.startAdd}
        >
          Add a passkey
        </button>
      </div>`;
    }
    const busy = this.request.running('add');
    const refused = this.refused?.field === 'new' ? this.refused : null;
    return html`<form
      class="add"
      novalidate
      aria-busy=${busy ? 'true' : 'false'}
      @submit=${this.add}
      @keydown=${(event: KeyboardEvent) => this.escape(event, busy, this.stopAdd)}
    >
      ${textField({
        id: 'passkey-name',
        label: 'Passkey name',
        value: this.newName,
        testid: 'passkey-name',
        hint: 'Optional. Leave it empty to name the passkey after your password manager or device, such as “iCloud Keychain” or “Chrome on Windows”.',
        autocomplete: 'off',
        optional: true,
        error: refused?.message,
        onInput: (value) => {
          this.newName = value;
          this.refused = null;
        },
      })}
      <div class="buttons">
        <button
          class="primary"
          type="submit"
          data-testid="create-passkey"
          aria-busy=${busy ? 'true' : 'false'}
          ?disabled=${!this.request.canRun('add') || Boolean(this.recentSignIn.waiting)}
        >
          Create passkey
        </button>
        <button
          class="secondary"
          type="button"
          data-testid="cancel-add-passkey"
          ?disabled=${busy}
          @click=${this.stopAdd}
        >
          Cancel
        </button>
      </div>
    </form>`;
  }

  private readonly startAdd = async (): Promise<void> => {
    this.notice = '';
    this.renaming = null;
    this.deleting = null;
    this.newName = '';
    await focusWhenRendered(this, '#passkey-name');
  };

  private readonly stopAdd = async (): Promise<void> => {
    this.newName = null;
    this.refused = null;
    this.request.clearError();
    await focusWhenRendered(this, '[data-testid="add-passkey"]');
  };

  private async startRename(id: string, name: string): Promise<void> {
    this.notice = '';
    this.newName = null;
    this.deleting = null;
    this.refused = null;
    this.renaming = { id, name };
    await focusWhenRendered(this, '#rename-passkey-name');
    this.renderRoot.querySelector<HTMLInputElement>('#rename-passkey-name')?.select();
  }

  private async stopRename(id: string): Promise<void> {
    this.renaming = null;
    this.refused = null;
    this.request.clearError();
    await focusWhenRendered(this, `#rename-${CSS.escape(id)}`);
  }

  private async askToDelete(id: string): Promise<void> {
    this.notice = '';
    this.newName = null;
    this.renaming = null;
    this.deleting = id;
    await focusWhenRendered(this, '[data-testid="cancel-delete-passkey"]');
  }

  private async stopDelete(id: string): Promise<void> {
    this.deleting = null;
    this.request.clearError();
    await focusWhenRendered(this, `#delete-${CSS.escape(id)}`);
  }

  private readonly add = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const name = (this.newName ?? '').trim();
    this.notice = '';
    await this.recentSignIn.run({
      action: 'add',
      purpose: 'add a passkey',
      origin: '[data-testid="create-passkey"]',
      change: () => registerPasskey(this.api, name || undefined),
      done: async (passkey) => {
        if (!passkey) return; // The person dismissed the browser's prompt.
        this.passkeys = [passkey, ...this.passkeys.filter(({ id }) => id !== passkey.id)];
        this.newName = null;
        await this.announce(`Added the passkey “${passkey.name}”.`);
      },
      failed: (error) => this.markRefused('new', error),
    });
  };

  private async rename(event: SubmitEvent, passkey: Passkey): Promise<void> {
    event.preventDefault();
    const name = (this.renaming?.name ?? '').trim();
    if (!name) {
      this.refused = { field: 'rename', message: PASSKEY_NAME_MESSAGE };
      await focusWhenRendered(this, '#rename-passkey-name');
      return;
    }
    this.notice = '';
    await this.recentSignIn.run({
      action: `rename-${passkey.id}`,
      purpose: 'rename a passkey',
      change: () => this.api.renamePasskey(passkey.id, name),
      done: async (updated) => {
        this.passkeys = this.passkeys.map((each) => (each.id === updated.id ? updated : each));
        this.renaming = null;
        this.notice = `Renamed the passkey to “${updated.name}”.`;
        // Back where the person started, while the status says what happened.
        await focusWhenRendered(this, `#rename-${CSS.escape(passkey.id)}`);
      },
      failed: (error) => this.markRefused('rename', error),
    });
  }

  private async delete(id: string, name: string): Promise<void> {
    this.notice = '';
    await this.recentSignIn.run({
      action: `delete-${id}`,
      purpose: `delete the passkey “${name}”`,
      origin: '[data-testid="confirm-delete-passkey"]',
      change: () => this.api.deletePasskey(id),
      done: async () => {
        this.passkeys = this.passkeys.filter((passkey) => passkey.id !== id);
        this.deleting = null;
        await this.announce(`Deleted the passkey “${name}”.`);
      },
      failed: (error) => this.markRefused(null, error),
    });
  }

  /** Says what happened in the status, and moves focus there. */
  private async announce(notice: string): Promise<void> {
    this.notice = notice;
    await focusWhenRendered(this, '[data-testid="passkeys-status"] > .success');
  }

  /** Marks the name a server refused, or reloads the list when a passkey is already gone. */
  private markRefused(field: 'new' | 'rename' | null, error: unknown): void {
    if (field && error instanceof ProblemError && error.problem.field === 'name') {
      this.refused = { field, message: error.problem.message };
    }
    if (error instanceof ApiError && error.code === 'NOT_FOUND') {
      this.renaming = null;
      this.deleting = null;
      void this.passkeysTask.run();
    }
  }

  private async cancelConfirmation(origin: string | undefined): Promise<void> {
    this.recentSignIn.dismiss();
    await focusWhenRendered(this, origin ?? '[data-testid="add-passkey"]');
  }

  private escape(event: KeyboardEvent, busy: boolean, close: () => unknown): void {
    if (event.key !== 'Escape' || busy) return;
    event.preventDefault();
    void close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-passkeys': TnPasskeys;
  }
}
