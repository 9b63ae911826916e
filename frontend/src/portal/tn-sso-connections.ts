import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { toProblem } from '../shared/request-controller.js';
import { portalStyles } from './portal-styles.js';
import { focusWhenRendered } from './save-form.js';
import { SsoApi, type RoleChoice, type SsoConnection } from './sso-api.js';
import { guideFor } from './sso-guides/index.js';
import {
  CONNECTION_STATUS_LABELS,
  CONNECTION_STATUS_TONES,
  NOT_TESTED_SINCE_CHANGE,
  PROTOCOL_LABELS,
  certificateExpirySentence,
  firstCertificateExpiry,
} from './sso-status.js';
import { TnSsoProviderPicker } from './tn-sso-provider-picker.js';
import './tn-sso-requirement.js';
import './tn-sso-setup.js';

/** What is shown: the list, the provider picker for a new connection, or one connection. */
type View = { kind: 'list' } | { kind: 'new' } | { kind: 'connection'; id: string };

/** Whether the list should say the connection was not tested since its last change. */
export function untestedSinceChange(connection: SsoConnection): boolean {
  return connection.lastTest !== null && !connection.testedWithCurrentSettings;
}

/**
 * @summary The organization's SSO connections (name, provider, protocol, status, the IdP
 * certificate's expiry, "Not tested since last change"), each opening `<tn-sso-setup>`; with
 * `sk_org_sso_manage`, "Add connection" opens `<tn-sso-provider-picker>`. Below the list,
 * `<tn-sso-requirement>` says whether SSO is required.
 *
 * Shown only when the organization has the SSO feature and the viewer `sk_org_sso_read`.
 *
 * @csspart error - The alert showing a failed request.
 *
 * @cssproperty --tn-primary - Buttons, Active badge and focus ring.
 * @cssproperty --tn-danger - Errors and the Disabled badge.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-muted - Hints and borders.
 */
@customElement('tn-sso-connections')
export class TnSsoConnections extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      .connections {
        display: grid;
        gap: 0.75rem;
        margin: 0 0 1rem;
        padding: 0;
        list-style: none;
      }
      .connection {
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
      tn-sso-requirement {
        display: block;
        margin-block-start: 2rem;
      }
    `,
  ];

  @property({ attribute: false }) api = new SsoApi();
  @property({ attribute: false }) organizationId = '';
  @property({ attribute: false }) permissions: readonly string[] = [];
  /** The signed-in person's email, for "Confirm it's you". */
  @property() email = '';

  @state() private connections: SsoConnection[] | null = null;
  @state() private roles: RoleChoice[] = [];
  @state() private view: View = { kind: 'list' };
  @state() private notice = '';
  /** What the set-up page says first, such as that its connection was just added. */
  @state() private setupNotice = '';

  private readonly connectionsTask = new Task(this, {
    args: () => [this.api, this.organizationId] as const,
    task: ([api, organizationId], { signal }) => api.overview(organizationId, { signal }),
    onComplete: ({ connections, roles }) => {
      this.connections = connections;
      this.roles = roles;
    },
  });

  private get canManage(): boolean {
    return this.permissions.includes('sk_org_sso_manage');
  }

  protected override render() {
    const connections = this.connections;
    if (!connections) {
      if (this.connectionsTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.connectionsTask.error))}
          <button class="secondary" type="button" @click=${() => this.connectionsTask.run()}>
            Try again
          </button>`;
      }
      return html`<p class="status" role="status" aria-busy="true" data-testid="sso-loading">
        Loading the SSO connections…
      </p>`;
    }
    if (this.view.kind !== 'list') return this.renderOne(this.view, connections);
    return html`<section class="panel" aria-labelledby="sso-heading">
      <h2 id="sso-heading" tabindex="-1">Connections</h2>
      <p class="hint">
        Let people at your verified domains sign in through your organization's identity provider,
        such as Okta or Microsoft Entra ID.
      </p>
      <div role="status">
        ${this.notice ? html`<p class="success" tabindex="-1" data-testid="sso-list-status">${this.notice}</p>` : nothing}
      </div>
      ${
        connections.length === 0
          ? html`<p class="hint" data-testid="sso-empty">No connections yet.</p>`
          : html`<ul
              class="connections"
              aria-labelledby="sso-heading"
              data-testid="sso-connection-list"
            >
              ${connections.map((connection) => this.renderConnection(connection))}
            </ul>`
      }
      ${
        this.canManage
          ? html`<button
              class="primary"
              type="button"
              data-testid="sso-add"
              @click=${() => this.open({ kind: 'new' })}
            >
              Add connection
            </button>`
          : html`<p class="hint" data-testid="sso-list-read-only">
              Only an organization admin can add or change connections.
            </p>`
      }
    </section>
    <tn-sso-requirement
      .api=${this.api}
      .organizationId=${this.organizationId}
      .permissions=${this.permissions}
      .connections=${connections}
      .email=${this.email}
    ></tn-sso-requirement>`;
  }

  private renderOne(view: Exclude<View, { kind: 'list' }>, connections: SsoConnection[]) {
    const id = view.kind === 'connection' ? view.id : null;
    const shown = id ? connections.find((connection) => connection.id === id) : undefined;
    const back = html`<button
      class="link back"
      type="button"
      data-testid="sso-back"
      @click=${() => this.showList(id)}
    >
      ← All connections
    </button>`;
    if (!shown) {
      return html`${back}
        <tn-sso-provider-picker
          .api=${this.api}
          .organizationId=${this.organizationId}
          .email=${this.email}
          @tn-sso-connection-created=${(event: CustomEvent<SsoConnection>) =>
            this.created(event.detail)}
        ></tn-sso-provider-picker>`;
    }
    return html`${back}
      <tn-sso-setup
        .api=${this.api}
        .organizationId=${this.organizationId}
        .connection=${shown}
        .roles=${this.roles}
        .permissions=${this.permissions}
        .email=${this.email}
        .notice=${this.setupNotice}
        @tn-sso-connection-changed=${(event: CustomEvent<SsoConnection>) =>
          this.remember(event.detail)}
        @tn-sso-connection-deleted=${(event: CustomEvent<{ id: string; name: string }>) =>
          this.forget(event.detail)}
      ></tn-sso-setup>`;
  }

  private renderConnection(connection: SsoConnection) {
    const { id, name, status } = connection;
    const expiry = firstCertificateExpiry(connection);
    return html`<li class="connection" data-testid="sso-connection-${id}">
      <div class="summary">
        <div class="title">
          <h3>${name}</h3>
          <span class="badge ${CONNECTION_STATUS_TONES[status]}" data-testid="sso-connection-status"
            >${CONNECTION_STATUS_LABELS[status]}</span
          >
        </div>
        <p class="hint">
          ${guideFor(connection.provider).label} · ${PROTOCOL_LABELS[connection.protocol]}
        </p>
        ${expiry ? html`<p class="hint">${certificateExpirySentence(expiry)}</p>` : nothing}
        ${
          untestedSinceChange(connection)
            ? html`<p data-testid="sso-connection-untested">${NOT_TESTED_SINCE_CHANGE}</p>`
            : connection.lastTest === null
              ? html`<p class="hint" data-testid="sso-connection-never-tested">Not tested yet</p>`
              : nothing
        }
      </div>
      <button
        class="secondary"
        type="button"
        id="open-${id}"
        data-testid="sso-open-${id}"
        @click=${() => this.open({ kind: 'connection', id })}
      >
        ${this.canManage ? 'Set up' : 'View'}<span class="visually-hidden"> ${name}</span>
      </button>
    </li>`;
  }

  private async open(view: View, setupNotice = ''): Promise<void> {
    this.notice = '';
    this.setupNotice = setupNotice;
    this.view = view;
    await this.updateComplete;
    const opened = this.renderRoot.querySelector<LitElement>('tn-sso-setup, tn-sso-provider-picker');
    if (!opened) return;
    await opened.updateComplete;
    if (opened instanceof TnSsoProviderPicker) opened.focus();
    else opened.renderRoot.querySelector<HTMLElement>('#sso-setup-heading')?.focus();
  }

  private async created(connection: SsoConnection): Promise<void> {
    this.connections = [...(this.connections ?? []), connection];
    await this.open(
      { kind: 'connection', id: connection.id },
      `${connection.name} was added as a draft. Follow the steps below.`,
    );
  }

  private async showList(openedId: string | null): Promise<void> {
    this.view = { kind: 'list' };
    await focusWhenRendered(this, openedId ? `#open-${CSS.escape(openedId)}` : '#sso-heading');
  }

  private remember(connection: SsoConnection): void {
    const known = this.connections ?? [];
    this.connections = known.some(({ id }) => id === connection.id)
      ? known.map((each) => (each.id === connection.id ? connection : each))
      : [...known, connection];
    this.view = { kind: 'connection', id: connection.id };
  }

  private async forget(deleted: { id: string; name: string }): Promise<void> {
    this.connections = (this.connections ?? []).filter(({ id }) => id !== deleted.id);
    this.view = { kind: 'list' };
    this.notice = `${deleted.name} was deleted.`;
    await focusWhenRendered(this, '[data-testid="sso-list-status"]');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-sso-connections': TnSsoConnections;
  }
}
