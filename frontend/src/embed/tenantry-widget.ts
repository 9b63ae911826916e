import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiClient } from '../shared/api.js';
import { baseStyles } from '../shared/base-styles.js';
import { errorAlert } from '../shared/error-alert.js';
import { toProblem } from '../shared/request-controller.js';
import { GraphQLClient } from '../portal/graphql.js';
import { PageLoader } from '../portal/page-loaders.js';
import { PortalApi, type Viewer } from '../portal/portal-api.js';
import { portalStyles } from '../portal/portal-styles.js';
import type { RouteId } from '../portal/routes.js';

declare global {
  interface HTMLElementEventMap {
    'tenantry-token-expired': CustomEvent<void>;
  }
}

export const TOKEN_REFUSED =
  'This access has ended. Reload the page to continue, or ask an administrator if it persists.';

/** Where this script came from: Tenantry's origin, unless the page says otherwise. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/**
 * What every embeddable widget shares: it reads the person and their permissions with the widget
 * token, loads its portal element on demand and renders it with APIs that call Tenantry's
 * `/graphql` from the app's page (CORS, bearer token, no cookies).
 *
 * @fires tenantry-token-expired - Tenantry refused the token (expired, or the person's access
 * ended): set a fresh one on `token` and the widget carries on.
 *
 * @cssproperty --tn-primary - Buttons, links and the focus ring (the app's brand colour).
 * @cssproperty --tn-fg - Text colour.
 * @cssproperty --tn-surface - Panel background.
 * @cssproperty --tn-font - Font family.
 */
export abstract class TenantryWidget extends LitElement {
  static override styles = [
    baseStyles,
    portalStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** The widget token the app's backend minted with `createWidgetToken`. */
  @property() token = '';

  /** Tenantry's address; by default the origin this script was loaded from. */
  @property({ attribute: 'tenantry-url' }) tenantryUrl = SCRIPT_ORIGIN;

  /** The portal page whose element this widget shows. */
  protected abstract readonly page: RouteId;

  private readonly loader = new PageLoader(this);
  /** Tenantry refused the token: nothing of the organization shows until a new one is set. */
  @state() private refused = false;
  private client: GraphQLClient | null = null;
  private clientFor = '';

  protected readonly viewerTask = new Task(this, {
    args: () => [this.token, this.tenantryUrl] as const,
    task: async ([token], { signal }) => (token ? new PortalApi(this.graphql()).viewer({ signal }) : null),
  });

  /** The GraphQL client for the current address; the token is read as each request is sent. */
  protected graphql(): GraphQLClient {
    const origin = new URL(this.tenantryUrl).origin;
    if (!this.client || this.clientFor !== origin) {
      const api = ApiClient.remote({ origin, token: () => this.token });
      this.client = new GraphQLClient(api, () => this.expired(), '/graphql');
      this.clientFor = origin;
    }
    return this.client;
  }

  private expired(): boolean {
    this.refused = true;
    this.dispatchEvent(new CustomEvent('tenantry-token-expired', { bubbles: true, composed: true }));
    return false;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('token')) this.refused = false;
  }

  protected abstract renderWidget(viewer: Viewer, organizationId: string): TemplateResult;

  protected override render() {
    if (!this.token) {
      return html`<p class="status" data-testid="widget-no-token">This widget has no token yet.</p>`;
    }
    if (this.refused) {
      return errorAlert({ code: 'UNAUTHENTICATED', message: TOKEN_REFUSED });
    }
    if (this.viewerTask.status === TaskStatus.ERROR) {
      return html`${errorAlert(toProblem(this.viewerTask.error))}
        <button class="secondary" type="button" @click=${() => this.viewerTask.run()}>Try again</button>`;
    }
    const viewer = this.viewerTask.value;
    const organizationId = viewer?.organization?.id;
    if (!viewer || !organizationId || !this.loader.ready(this.page)) {
      return viewer && !organizationId ? nothing : this.loader.placeholder(this.page);
    }
    return this.renderWidget(viewer, organizationId);
  }
}
