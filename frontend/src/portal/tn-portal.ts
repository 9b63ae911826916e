import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import '@shoelace-style/shoelace/dist/components/avatar/avatar.js';
import type SlDrawer from '@shoelace-style/shoelace/dist/components/drawer/drawer.js';
import '@shoelace-style/shoelace/dist/components/dropdown/dropdown.js';
import '@shoelace-style/shoelace/dist/components/icon/icon.js';
import '@shoelace-style/shoelace/dist/components/menu/menu.js';
import '@shoelace-style/shoelace/dist/components/menu-item/menu-item.js';
import type SlMenuItem from '@shoelace-style/shoelace/dist/components/menu-item/menu-item.js';
import '@shoelace-style/shoelace/dist/components/menu-label/menu-label.js';
import { ApiClient, readCsrfToken } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { initials } from '../shared/initials.js';
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

/** Where the navigation moves into a drawer (the styles' breakpoint). */
const NARROW = '(max-width: 48rem)';

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
  /** Phone-sized: the navigation moves into a drawer. */
  @state() private narrow = false;
  @state() private drawerOpen = false;
  @query('sl-drawer') private drawer?: SlDrawer;
  private readonly narrowQuery = window.matchMedia(NARROW);
  private readonly onWidth = (): void => {
    this.narrow = this.narrowQuery.matches;
    // only phones show the drawer: its code loads when the screen is narrow, not on every load
    if (this.narrow) void import('@shoelace-style/shoelace/dist/components/drawer/drawer.js');
  };

  /** Set while a page is being opened from the drawer, which then focuses its heading. */
  private arriving = false;

  /** Closed without choosing a page (Escape, the close button): focus goes back to Menu. */
  private readonly onDrawerHidden = (event: Event): void => {
    if (event.target !== event.currentTarget) return;
    this.drawerOpen = false;
    if (!this.arriving) this.renderRoot.querySelector<HTMLElement>('[data-testid="nav-menu"]')?.focus();
  };

  private async openDrawer(): Promise<void> {
    await customElements.whenDefined('sl-drawer');
    await this.drawer?.show();
  }

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
    this.narrowQuery.addEventListener('change', this.onWidth);
    this.onWidth();
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
    this.narrowQuery.removeEventListener('change', this.onWidth);
  }

  protected override render() {
    const config = this.config!;
    const viewer = this.viewer;
    return html`
      <a class="skip-link" href="#main" data-testid="skip-link" @click=${this.skipToContent}
        >Skip to content</a
      >
      <header class="bar" part="header">
        ${viewer && this.narrow
          ? html`<button
              class="icon-button"
              type="button"
              aria-label="Menu"
              aria-controls="nav-drawer"
              aria-expanded=${this.drawerOpen ? 'true' : 'false'}
              data-testid="nav-menu"
              @click=${() => void this.openDrawer()}
            >
              <sl-icon name="list" aria-hidden="true"></sl-icon>
            </button>`
          : nothing}
        <div class="brand">
          ${config.logoUrl
            ? html`<img part="logo" src=${config.logoUrl} alt=${config.appName} />`
            : html`<span class="app-name" part="app-name">${config.appName}</span>`}
        </div>
        ${viewer && !this.narrow ? this.renderOrganization(viewer) : nothing}
        ${this.renderAccount(config, viewer)}
      </header>
      <div class="layout">
        ${viewer
          ? this.narrow
            ? this.renderDrawer(viewer)
            : html`<div class="sidebar">${this.renderNav(viewer)}</div>`
          : html`<div class="sidebar placeholder" aria-hidden="true"></div>`}
        <main id="main" tabindex="-1" part="main" aria-busy=${this.request.running('switch') ? 'true' : 'false'}>
          ${this.renderMain(viewer)}
        </main>
      </div>
      <div class="visually-hidden" role="status" data-testid="portal-status">${this.announcement}</div>
    `;
  }

  /** The skip link moves focus to the page's heading (or the main region while it loads). */
  private readonly skipToContent = (event: Event): void => {
    event.preventDefault();
    const target = this.renderRoot.querySelector<HTMLElement>('main h1') ?? this.renderRoot.querySelector('main');
    target?.focus();
  };

  /**
   * The active organization; with several, a menu of them. A menu, not a `<select>`: Chromium
   * fires `change` on each arrow key of a closed select, which would switch the whole portal on a
   * keystroke (WCAG 3.2.2). In the menu, arrows move and Enter or a click chooses.
   */
  private renderOrganization(viewer: Viewer) {
    const active = viewer.organization?.id ?? '';
    const name = viewer.organizations.find(({ id }) => id === active)?.name;
    if (viewer.organizations.length <= 1) {
      return name
        ? html`<p class="org" data-testid="active-organization">
            <sl-icon name="building" aria-hidden="true"></sl-icon> <strong>${name}</strong>
          </p>`
        : nothing;
    }
    const busy = this.request.running('switch');
    return html`<sl-dropdown class="org switcher" placement="bottom-start" hoist>
      <button
        slot="trigger"
        class="menu-trigger"
        type="button"
        data-testid="org-switcher"
        aria-busy=${busy ? 'true' : 'false'}
        ?disabled=${!this.request.canRun('switch')}
      >
        <sl-icon name="building" aria-hidden="true"></sl-icon>
        ${name ? html`<span class="visually-hidden">Organization: </span>` : nothing}
        <span class="trigger-text" data-testid="active-organization">${name ?? 'Choose an organization'}</span>
        ${name ? html`<span class="visually-hidden">. Switch organization</span>` : nothing}
        <span class="caret" aria-hidden="true"></span>
      </button>
      <sl-menu
        aria-label="Organizations"
        @sl-select=${(event: CustomEvent<{ item: SlMenuItem }>) => this.choose(event.detail.item.value)}
      >
        <sl-menu-label>Switch organization</sl-menu-label>
        ${viewer.organizations.map(
          (organization) =>
            html`<sl-menu-item
              type="checkbox"
              value=${organization.id}
              .checked=${live(organization.id === active)}
              data-testid="org-option-${organization.id}"
              >${organization.name}</sl-menu-item
            >`,
        )}
      </sl-menu>
    </sl-dropdown>`;
  }

  private choose(organizationId: string): void {
    if (organizationId === this.viewer?.organization?.id) return;
    void this.drawer?.hide();
    void this.switchOrganization(organizationId);
  }

  /**
   * The signed-in person's menu: who they are, Profile and Sign out. Signing out posts the form
   * (with the CSRF token) the menu item submits; before the viewer loads, Sign out is a button.
   */
  private renderAccount(config: PortalConfig, viewer: Viewer | null) {
    const form = html`<form method="post" action=${config.logoutUrl} id="sign-out-form">
      <input type="hidden" name="csrf_token" value=${this.csrfToken} />
      ${viewer ? nothing : html`<button class="secondary" type="submit" data-testid="sign-out">Sign out</button>`}
    </form>`;
    if (!viewer) return html`<div class="account">${form}</div>`;
    const name = viewer.user.name || viewer.user.email;
    return html`<div class="account">
      ${form}
      <sl-dropdown placement="bottom-end" hoist>
        <button slot="trigger" class="menu-trigger" type="button" data-testid="account-menu">
          <sl-avatar initials=${initials(viewer.user.name, viewer.user.email)} aria-hidden="true"></sl-avatar>
          <span class="visually-hidden">Account: </span>
          <span class="trigger-text user" data-testid="user-name">${name}</span>
          <span class="caret" aria-hidden="true"></span>
        </button>
        <sl-menu aria-label="Account" @sl-select=${(event: CustomEvent<{ item: SlMenuItem }>) => this.account(event.detail.item.value)}>
          <sl-menu-label
            ><span class="who">${viewer.user.name || 'Signed in'}</span
            ><span class="who-email">${viewer.user.email}</span></sl-menu-label
          >
          <sl-menu-item value="profile" data-testid="account-profile">Profile</sl-menu-item>
          <sl-menu-item value="sign-out" data-testid="sign-out">
            <sl-icon slot="prefix" name="box-arrow-right" aria-hidden="true"></sl-icon>Sign out</sl-menu-item
          >
        </sl-menu>
      </sl-dropdown>
    </div>`;
  }

  private account(choice: string): void {
    if (choice === 'sign-out') {
      this.renderRoot.querySelector<HTMLFormElement>('#sign-out-form')?.requestSubmit();
      return;
    }
    const profile = allowedRoutes(this.viewer!.permissions, this.viewer!.features).find(({ id }) => id === 'profile');
    if (profile) this.go(profile);
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

  /** On a phone the navigation (and the organization) live in a drawer behind the Menu button,
   * so the page starts right under a one-line header. */
  private renderDrawer(viewer: Viewer) {
    return html`<sl-drawer
      id="nav-drawer"
      label="Menu"
      placement="start"
      @sl-show=${(event: Event) => event.target === event.currentTarget && (this.drawerOpen = true)}
      @sl-after-hide=${this.onDrawerHidden}
    >
      <div class="drawer-org">${this.renderOrganization(viewer)}</div>
      ${this.renderNav(viewer)}
    </sl-drawer>`;
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
    this.go(route);
  }

  private go(route: Route): void {
    if (route.path !== this.path) window.history.pushState(null, '', route.path);
    void this.arrive(route.path);
  }

  private readonly onPopState = (): void => void this.arrive(window.location.pathname);

  /** Shows the page at `path` and moves focus to its heading, as a page load would. */
  private async arrive(path: string): Promise<void> {
    // the drawer gives focus back to its Menu button as it closes: close it first, then focus
    this.arriving = true;
    try {
      if (this.drawer?.open) await this.drawer.hide();
    } finally {
      this.arriving = false;
    }
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
    if (!this.narrow) this.renderRoot.querySelector<HTMLElement>('[data-testid="org-switcher"]')?.focus();
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
