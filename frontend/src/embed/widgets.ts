import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { DomainsApi } from '../portal/domains-api.js';
import { MembersApi } from '../portal/members-api.js';
import { PortalApi, type Viewer } from '../portal/portal-api.js';
import { TenantryWidget } from './tenantry-widget.js';

/**
 * @summary The organization's members (list, invite, change roles, remove), as the portal's
 * Members page shows them, for a token with the MEMBERS widget.
 */
@customElement('tenantry-members')
export class TenantryMembers extends TenantryWidget {
  protected readonly page = 'members' as const;

  protected renderWidget(viewer: Viewer, organizationId: string) {
    return html`<tn-members
      .api=${new MembersApi(this.graphql())}
      .organizationId=${organizationId}
      .viewerId=${viewer.user.id}
      .permissions=${viewer.permissions}
    ></tn-members>`;
  }
}

/** @summary The organization's name and allowed email domains (ORGANIZATION_SETTINGS). */
@customElement('tenantry-organization-settings')
export class TenantryOrganizationSettings extends TenantryWidget {
  protected readonly page = 'organization' as const;

  protected renderWidget(viewer: Viewer, organizationId: string) {
    return html`<tn-organization-settings
      .api=${new PortalApi(this.graphql())}
      .organizationId=${organizationId}
      .permissions=${viewer.permissions}
    ></tn-organization-settings>`;
  }
}

/** @summary Domain verification by DNS TXT record (DOMAINS, and the organization's feature). */
@customElement('tenantry-domains')
export class TenantryDomains extends TenantryWidget {
  protected readonly page = 'domains' as const;

  protected renderWidget(viewer: Viewer, organizationId: string) {
    return html`<tn-domains
      .api=${new DomainsApi(this.graphql())}
      .organizationId=${organizationId}
      .permissions=${viewer.permissions}
    ></tn-domains>`;
  }
}

/** @summary Session timeouts (SESSION_POLICY, and the organization's feature). */
@customElement('tenantry-session-policy')
export class TenantrySessionPolicy extends TenantryWidget {
  protected readonly page = 'session-policy' as const;

  protected renderWidget(viewer: Viewer, organizationId: string) {
    return html`<tn-session-policy
      .api=${new PortalApi(this.graphql())}
      .organizationId=${organizationId}
      .permissions=${viewer.permissions}
    ></tn-session-policy>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tenantry-members': TenantryMembers;
    'tenantry-organization-settings': TenantryOrganizationSettings;
    'tenantry-domains': TenantryDomains;
    'tenantry-session-policy': TenantrySessionPolicy;
  }
}
