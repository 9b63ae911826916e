import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { toProblem } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';
import { focusWhenRendered } from './save-form.js';
import { ScimApi, type Directory, type DirectoryWithToken, type ScimRole } from './scim-api.js';
import { scimGuideFor } from './scim-guides/index.js';
import { lastRequestSentence, tokenBadge } from './scim-token-state.js';
import { TnScimProviderPicker } from './tn-scim-provider-picker.js';
import './tn-scim-directory.js';

/** What is shown: the list, the provider picker for a new directory, or one directory. */
type View = { kind: 'list' } | { kind: 'new' } | { kind: 'directory'; id: string };

/**
 * @summary Directory sync: the organization's SCIM directories (name, provider, token state,
 * last request, how many users and groups), each opening `<tn-scim-directory>`; with
 * `sk_org_scim_manage`, "Add directory" opens `<tn-scim-provider-picker>`, and the directory it
 * makes opens with its token shown once.
 *
 * Shown only when the organization has the SCIM feature and the viewer `sk_org_scim_read`.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, the Connected badge and focus ring.
 * @cssproperty --tn-danger - Errors and the No token badge.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints and borders.
 */
@customElement('tn-scim-directories')
export class TnScimDirectories extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      .directories {
        display: grid;
        gap: 0.75rem;
        margin: 0 0 1rem;
        padding: 0;
        list-style: none;
      }
      .directory {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.75rem 1rem;
        border: 1px solid color-mix(in srgb, var(--_muted) 35%, var(--_surface));
        border-radius: var(--_radius);
      }
      .summary {
        display: grid;
        gap: 0.125rem;
        min-width: 0;
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: center;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      .summary p {
        margin: 0;
      }
      .back {
        margin-block-end: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api = new ScimApi();
  @property({ attribute: false }) organizationId = '';
  @property({ attribute: false }) permissions: readonly string[] = [];
  /** The signed-in person's email, for "Confirm it's you". */
  @property() email = '';

  @state() private directories: Directory[] | null = null;
  @state() private roles: ScimRole[] = [];
  @state() private view: View = { kind: 'list' };
  @state() private notice = '';
  /** The token of the directory just made, shown once on its page. */
  @state() private freshToken: { directoryId: string; token: string } | null = null;
  @state() private directoryNotice = '';

  private readonly directoriesTask = new Task(this, {
    args: () => [this.api, this.organizationId] as const,
    task: ([api], { signal }) => api.overview({ signal }),
    onComplete: ({ directories, roles }) => {
      this.directories = directories;
      this.roles = roles;
    },
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_scim_manage');
  }

  protected override render() {
    const directories = this.directories;
    if (!directories) {
      if (this.directoriesTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.directoriesTask.error))}
          <button class="secondary" type="button" @click=${() => this.directoriesTask.run()}>Try again</button>`;
      }
      return html`<p class="status" role="status" aria-busy="true" data-testid="scim-loading">
        Loading the directories…
      </p>`;
    }
    if (this.view.kind !== 'list') return this.renderOne(this.view, directories);
    return html`<section class="panel" aria-labelledby="scim-heading">
      <h2 id="scim-heading" tabindex="-1">Directories</h2>
      <p class="hint">
        Let your identity provider create, update and suspend the people of this organization, and
        set their roles from its groups, over SCIM 2.0.
      </p>
      <div role="status">
        ${this.notice ? html`<p class="success" tabindex="-1" data-testid="scim-list-status">${this.notice}</p>` : nothing}
      </div>
      ${
        directories.length === 0
          ? html`<p class="hint" data-testid="scim-empty">No directories yet.</p>`
          : html`<ul class="directories" aria-labelledby="scim-heading" data-testid="scim-directory-list">
              ${directories.map((directory) => this.renderDirectory(directory))}
            </ul>`
      }
      ${
        this.canManage
          ? html`<button class="primary" type="button" data-testid="scim-add" @click=${() => this.open({ kind: 'new' })}>
              Add directory
            </button>`
          : html`<p class="hint" data-testid="scim-list-read-only">Only an organization admin can add or change directories.</p>`
      }
    </section>`;
  }

  private renderDirectory(directory: Directory) {
    const { id, name } = directory;
    const badge = tokenBadge(directory);
    return html`<li class="directory" data-testid="scim-directory-${id}">
      <div class="summary">
        <div class="title">
          <h3>${name}</h3>
          <span class="badge ${badge.tone}" data-testid="scim-directory-badge">${badge.label}</span>
        </div>
        <p class="hint">
          ${scimGuideFor(directory.provider).label} · ${count(directory.userCount, 'user')} ·
          ${count(directory.groupCount, 'group')}
        </p>
        <p class="hint">${lastRequestSentence(directory)}</p>
      </div>
      <button class="secondary" type="button" id="open-${id}" data-testid="scim-open-${id}" @click=${() => this.open({ kind: 'directory', id })}>
        ${this.canManage ? 'Manage' : 'View'}<span class="visually-hidden"> ${name}</span>
      </button>
    </li>`;
  }

  private renderOne(view: Exclude<View, { kind: 'list' }>, directories: Directory[]) {
    const id = view.kind === 'directory' ? view.id : null;
    const shown = id ? directories.find((directory) => directory.id === id) : undefined;
    const back = html`<button class="link back" type="button" data-testid="scim-back" @click=${() => this.showList(id)}>
      ← All directories
    </button>`;
    if (!shown) {
      return html`${back}
        <tn-scim-provider-picker
          .api=${this.api}
          .organizationId=${this.organizationId}
          .email=${this.email}
          @tn-scim-directory-created=${(event: CustomEvent<DirectoryWithToken>) => this.created(event.detail)}
        ></tn-scim-provider-picker>`;
    }
    const token = this.freshToken?.directoryId === shown.id ? this.freshToken.token : '';
    return html`${back}
      <tn-scim-directory
        .api=${this.api}
        .directory=${shown}
        .roles=${this.roles}
        .permissions=${this.permissions}
        .email=${this.email}
        .token=${token}
        .notice=${this.directoryNotice}
        @tn-scim-directory-changed=${(event: CustomEvent<Directory>) => this.remember(event.detail)}
        @tn-scim-directory-deleted=${(event: CustomEvent<{ id: string; name: string }>) => this.forget(event.detail)}
      ></tn-scim-directory>`;
  }

  private async open(view: View, notice = ''): Promise<void> {
    this.notice = '';
    this.directoryNotice = notice;
    this.view = view;
    await this.updateComplete;
    const opened = this.renderRoot.querySelector<LitElement>('tn-scim-directory, tn-scim-provider-picker');
    if (!opened) return;
    await opened.updateComplete;
    if (opened instanceof TnScimProviderPicker) opened.focus();
    else opened.renderRoot.querySelector<HTMLElement>('#scim-directory-heading')?.focus();
  }

  private async created({ directory, token }: DirectoryWithToken): Promise<void> {
    this.directories = [...(this.directories ?? []), directory];
    this.freshToken = { directoryId: directory.id, token };
    await this.open(
      { kind: 'directory', id: directory.id },
      `${directory.name} was added. Copy the token below now, then follow the steps.`,
    );
  }

  private async showList(openedId: string | null): Promise<void> {
    this.view = { kind: 'list' };
    this.freshToken = null; // shown once: leaving the directory forgets it
    await focusWhenRendered(this, openedId ? `#open-${CSS.escape(openedId)}` : '#scim-heading');
  }

  private remember(directory: Directory): void {
    const known = this.directories ?? [];
    this.directories = known.map((each) => (each.id === directory.id ? directory : each));
  }

  private async forget(deleted: { id: string; name: string }): Promise<void> {
    this.directories = (this.directories ?? []).filter(({ id }) => id !== deleted.id);
    this.view = { kind: 'list' };
    this.freshToken = null;
    this.notice = `${deleted.name} was deleted.`;
    await focusWhenRendered(this, '[data-testid="scim-list-status"]');
  }
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-scim-directories': TnScimDirectories;
  }
}
