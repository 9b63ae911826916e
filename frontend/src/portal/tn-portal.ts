import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import { ApiClient, readCsrfToken } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { RequestController, toProblem } from '../shared/request-controller.js';
import { readPortalConfig, type PortalConfig } from './config.js';
import { GraphQLClient } from './graphql.js';
import { DomainsApi } from './domains-api.js';
import { MembersApi } from './members-api.js';
import { PasskeysApi } from './passkeys-api.js';
import { PortalApi, type Viewer } from './portal-api.js';
import { ScimApi } from './scim-api.js';
import { SsoApi } from './sso-api.js';
import { portalShellStyles } from './tn-portal.styles.js';
import { portalStyles } from './portal-styles.js';
import { allowedRoutes, denialMessage, isModifiedClick, resolveRoute, type Route } from './routes.js';
import { PageLoader } from './page-loaders.js';

/**
 * @summary The self-serve portal at /ui/: header with the organization switcher and Sign out,
 * navigation to the pages the viewer may use, and the current page, routed with the History API.
 *
 * Reads its configuration from `<script type="application/json" id="tn-config">` and the CSRF
 * token from `<meta name="csrf-token">` unless `config` and the APIs are set first.
 *
 * @csspart header - The bar with the brand, organization and account.
 * @csspart logo - The app's logo, when it has one.
 * @csspart app-name - The app's name, shown when there is no logo.
 * @csspart nav - The navigation between pages.
 * @csspart main - The current page.
 *
 * @cssproperty --tn-bg - Page background.
 * @cssproperty --tn-surface - Header and panel background.
 * @cssproperty --tn-fg - Text colour.
 * @cssproperty --tn-muted - Secondary text and borders.
 * @cssproperty --tn-primary - Buttons, links, current page and focus ring.
 * @cssproperty --tn-on-primary - Text on primary buttons.
 * @cssproperty --tn-danger - Errors.
 * @cssproperty --tn-radius - Corner radius.
 * @cssproperty --tn-font - Font family.
 */
@customElement('tn-portal')
export class TnPortal extends LitElement {
  static override styles = [baseStyles, portalStyles, portalShellStyles];

  /** The page's settings; read from `#tn-config` when not set before the element connects. */
  @property({ attribute: false }) config?: PortalConfig;
  @property({ attribute: false }) api?: PortalApi;
  @property({ attribute: false }) membersApi?: MembersApi;
  @property({ attribute: false }) passkeysApi?: PasskeysApi;
  @property({ attribute: false }) domainsApi?: DomainsApi;
  @property({ attribute: false }) ssoApi?: SsoApi;
  @property({ attribute: false }) scimApi?: ScimApi;

  @state() private viewer: Viewer | null = null;
  @state() private path = window.location.pathname;
  @state() private announcement = '';

  private readonly request: RequestController = new RequestController(this);
  /** Each page's elements arrive in a chunk of their own when the page is first shown. */
  private readonly pages = new PageLoader(this);
  private csrfToken = '';

  private readonly viewerTask = new Task(this, {
    args: () => [this.api!] as const,
    task: ([api], { signal }) => api.viewer({ signal }),
    onComplete: (viewer) => (this.viewer = viewer),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    if (this.hasUpdated) return;
    this.config ??= readPortalConfig(document);
    this.csrfToken = readCsrfToken(document);
    const client = new GraphQLClient(new ApiClient(this.csrfToken));
    this.api ??= new PortalApi(client);
    this.membersApi ??= new MembersApi(client);
    this.passkeysApi ??= new PasskeysApi(client);
    this.domainsApi ??= new DomainsApi(client);
    this.ssoApi ??= new SsoApi(client);
    this.scimApi ??= new ScimApi(client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
  }

  protected override render() {
    const config = this.config!;
    const viewer = this.viewer;
    return html`
      <header class="bar" part="header">
        <div class="brand">
          ${config.logoUrl
            ? html`<img part="logo" src=${config.logoUrl} alt=${config.appName} />`
            : html`<span class="app-name" part="app-name">${config.appName}</span>`}
        </div>
        ${viewer ? this.renderOrganization(viewer) : nothing} ${this.renderAccount(config, viewer)}
      </header>
      <div class="layout">
        ${viewer ? this.renderNav(viewer) : nothing}
        <main part="main" aria-busy=${this.request.running('switch') ? 'true' : 'false'}>
          ${this.renderMain(viewer)}
        </main>
      </div>
      <div class="visually-hidden" role="status" data-testid="portal-status">${this.announcement}</div>
    `;
  }

  private renderOrganization(viewer: Viewer) {
    const active = viewer.organization?.id ?? '';
    const name = viewer.organizations.find(({ id }) => id === active)?.name;
    if (viewer.organizations.length <= 1) {
      return name
        ? html`<p class="org" data-testid="active-organization">
            <span class="label">Organization</span> <strong>${name}</strong>
          </p>`
        : nothing;
    }
    const busy = this.request.running('switch');
    return html`<div class="org switcher">
      <label for="org-switcher">Organization</label>
      <select
        id="org-switcher"
        data-testid="org-switcher"
        aria-busy=${busy ? 'true' : 'false'}
        ?disabled=${!this.request.canRun('switch')}
        .value=${live(active)}
        @change=${(event: Event) => this.switchOrganization((event.target as HTMLSelectElement).value)}
      >
        ${active ? nothing : html`<option value="" selected disabled>Choose an organization</option>`}
        ${viewer.organizations.map(
          (organization) =>
            html`<option value=${organization.id} ?selected=${organization.id === active}>${organization.name}</option>`,
        )}
      </select>
    </div>`;
  }

  private renderAccount(config: PortalConfig, viewer: Viewer | null) {
    return html`<div class="account">
      ${viewer
        ? html`<span class="user" data-testid="user-name">${viewer.user.name || viewer.user.email}</span>`
        : nothing}
      <form method="post" action=${config.logoutUrl}>
        <input type="hidden" name="csrf_token" value=${this.csrfToken} />
        <button class="secondary" type="submit" data-testid="sign-out">Sign out</button>
      </form>
    </div>`;
  }

  private renderNav(viewer: Viewer) {
    const current = this.route(viewer);
    return html`<nav part="nav" aria-label="Account">
      <ul>
        ${allowedRoutes(viewer.permissions, viewer.features).map(
          (route) => html`<li>
            <a
              href=${route.path}
              data-testid="nav-${route.id}"
              aria-current=${route.id === current.id ? 'page' : 'false'}
              @click=${(event: MouseEvent) => this.follow(event, route)}
              >${route.label}</a
            >
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderMain(viewer: Viewer | null) {
    if (!viewer) {
      if (this.viewerTask.status === TaskStatus.ERROR) {
        return html`${errorAlert(toProblem(this.viewerTask.error))}
          <button class="secondary" type="button" @click=${() => this.viewerTask.run()}>Try again</button>`;
      }
      return html`<p class="status" role="status" aria-busy="true" data-testid="portal-loading">
        Loading your account…
      </p>`;
    }
    const { route, denied } = resolveRoute(this.path, viewer.permissions, viewer.features);
    const organizationId = viewer.organization?.id ?? '';
    return html`
      ${errorAlert(this.request.error)}
      <h1 tabindex="-1" data-testid="page-heading">${route.label}</h1>
      ${
        denied
          ? html`<p class="status" data-testid="page-denied">${denialMessage(route, viewer.features)}</p>`
          : this.pages.ready(route.id)
            ? keyed(`${organizationId}/${route.id}`, this.renderPage(route, viewer, organizationId))
            : this.pages.placeholder(route.id)
      }
    `;
  }

  private renderPage(route: Route, viewer: Viewer, organizationId: string) {
    switch (route.id) {
      case 'organization':
        return html`<tn-organization-settings
          .api=${this.api!}
          .organizationId=${organizationId}
          .permissions=${viewer.permissions}
          @tn-organization-updated=${(event: HTMLElementEventMap['tn-organization-updated']) =>
            this.renameOrganization(event.detail.id, event.detail.name)}
        ></tn-organization-settings>`;
      case 'domains':
        return html`<tn-domains
          .api=${this.domainsApi!}
          .organizationId=${organizationId}
          .permissions=${viewer.permissions}
        ></tn-domains>`;
      case 'sso':
        return html`<tn-sso-connections
          .api=${this.ssoApi!}
          .organizationId=${organizationId}
          .permissions=${viewer.permissions}
          .email=${viewer.user.email}
        ></tn-sso-connections>`;
      case 'scim':
        return html`<tn-scim-directories
          .api=${this.scimApi!}
          .organizationId=${organizationId}
          .permissions=${viewer.permissions}
          .email=${viewer.user.email}
        ></tn-scim-directories>`;
      case 'members':
        return html`<tn-members
          .api=${this.membersApi!}
          .organizationId=${organizationId}
          .viewerId=${viewer.user.id}
          .permissions=${viewer.permissions}
        ></tn-members>`;
      case 'session-policy':
        return html`<tn-session-policy
          .api=${this.api!}
          .organizationId=${organizationId}
          .permissions=${viewer.permissions}
        ></tn-session-policy>`;
      case 'profile':
        return html`<tn-profile
          .api=${this.api!}
          @tn-profile-updated=${(event: HTMLElementEventMap['tn-profile-updated']) =>
            (this.viewer = { ...viewer, user: event.detail })}
        ></tn-profile>`;
      case 'security':
        return html`<tn-passkeys .api=${this.passkeysApi!}></tn-passkeys>
          <tn-security .api=${this.api!}></tn-security>`;
    }
  }

  /**
   * Keeps the address bar on a page the viewer may use: /ui/, an unknown page, or one the
   * active organization does not allow is replaced by the first page they may use.
   */
  protected override willUpdate(): void {
    const viewer = this.viewer;
    if (!viewer) return;
    const { route, redirected } = resolveRoute(this.path, viewer.permissions, viewer.features);
    if (redirected) {
      window.history.replaceState(null, '', route.path);
      this.path = route.path;
    }
    document.title = `${route.label} · ${this.config!.appName} · Account`;
  }

  private route(viewer: Viewer): Route {
    return resolveRoute(this.path, viewer.permissions, viewer.features).route;
  }

  private follow(event: MouseEvent, route: Route): void {
    if (isModifiedClick(event)) return;
    event.preventDefault();
    if (route.path !== this.path) window.history.pushState(null, '', route.path);
    void this.arrive(route.path);
  }

  private readonly onPopState = (): void => void this.arrive(window.location.pathname);

  /** Shows the page at `path` and moves focus to its heading, as a page load would. */
  private async arrive(path: string): Promise<void> {
    this.path = path;
    this.request.clearError();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private async switchOrganization(organizationId: string): Promise<void> {
    const switched = await this.request.run('switch', async () => {
      const viewer = await this.api!.switchOrganization(organizationId);
      this.viewer = viewer;
      const name = viewer.organizations.find(({ id }) => id === viewer.organization?.id)?.name;
      this.announcement = name ? `Switched to ${name}.` : 'Switched organization.';
    });
    if (!switched) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLSelectElement>('#org-switcher')?.focus();
  }

  private renameOrganization(id: string, name: string): void {
    const viewer = this.viewer;
    if (!viewer) return;
    this.viewer = {
      ...viewer,
      organizations: viewer.organizations.map((choice) => (choice.id === id ? { ...choice, name } : choice)),
    };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tn-portal': TnPortal;
  }
}
