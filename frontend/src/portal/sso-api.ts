/**
 * The organization's enterprise SSO connections, through the operations of
 * operations/sso.graphql (typed by `npm run codegen`). Mutations return their success type or
 * throw `ProblemError`; every change may answer `ReauthenticationRequired`, which
 * recent-sign-in.ts turns into "Confirm it's you".
 */
import {
  ConnectionsDocument,
  CreateConnectionDocument,
  DeleteConnectionDocument,
  DisableConnectionDocument,
  EnableConnectionDocument,
  RotateConnectionCertificateDocument,
  SsoConnectionDocument,
  SsoRequirementDocument,
  UpdateConnectionDocument,
  UpdateSsoRequirementDocument,
  type ConnectionFieldsFragment,
  type ConnectionProtocol as SchemaProtocol,
  type ConnectionStatus as SchemaStatus,
  type IdentityProvider as SchemaProvider,
  type SsoRequirementFieldsFragment,
  type UpdateConnectionInput,
} from '../generated/graphql.js';
import { GraphQLClient, allNodes, unwrap } from './graphql.js';

export type ConnectionProtocol = SchemaProtocol;
export type ConnectionStatus = SchemaStatus;
export type IdentityProvider = SchemaProvider;

/** What an update changes; what it leaves out stays as it is. */
export interface ConnectionSettings {
  name?: string;
  defaultRole?: string;
  /** Replaces the whole list of roles by IdP group. */
  groupRoles?: { group: string; role: string }[];
  attributeMapping?: Partial<Record<'email' | 'firstName' | 'lastName' | 'groups', string>>;
  saml?: {
    metadataXml?: string;
    metadataUrl?: string;
    entityId?: string;
    ssoUrl?: string;
    certificate?: string;
  };
  oidc?: { issuer?: string; clientId?: string; clientSecret?: string };
}

/** `settings` as the SDL's input, where "leave it as it is" is null. */
export function updateInput(settings: ConnectionSettings): UpdateConnectionInput {
  const { attributeMapping: mapping, saml, oidc } = settings;
  return {
    name: settings.name ?? null,
    defaultRole: settings.defaultRole ?? null,
    groupRoles: settings.groupRoles ?? null,
    idpInitiatedApplicationId: null, // set by integrators over the API; the widget leaves it
    attributeMapping: mapping
      ? {
          email: mapping.email ?? null,
          firstName: mapping.firstName ?? null,
          lastName: mapping.lastName ?? null,
          groups: mapping.groups ?? null,
        }
      : null,
    saml: saml
      ? {
          metadataXml: saml.metadataXml ?? null,
          metadataUrl: saml.metadataUrl ?? null,
          entityId: saml.entityId ?? null,
          ssoUrl: saml.ssoUrl ?? null,
          certificate: saml.certificate ?? null,
        }
      : null,
    oidc: oidc
      ? {
          issuer: oidc.issuer ?? null,
          clientId: oidc.clientId ?? null,
          clientSecret: oidc.clientSecret ?? null,
        }
      : null,
  };
}

/** One connection to an identity provider (`ConnectionFields` in operations/sso.graphql). */
export type SsoConnection = ConnectionFieldsFragment;

/** What the last test through the connection's test link found. */
export type ConnectionTest = NonNullable<SsoConnection['lastTest']>;

export interface RoleChoice {
  key: string;
  name: string;
}

export interface ConnectionsOverview {
  /** In the order they were made. */
  connections: SsoConnection[];
  /** The roles a connection may give on first sign-in. */
  roles: RoleChoice[];
}

/** Whether the verified domains must sign in through the IdP, and who may still sign in without it. */
export type SsoRequirement = SsoRequirementFieldsFragment;

/** An active admin of the organization, who may be kept as a break-glass account. */
export interface BreakGlassCandidate {
  id: string;
  email: string;
  name: string;
}

export interface SsoRequirementOverview {
  requirement: SsoRequirement;
  /** The organization's active admins; empty when the viewer may not read members. */
  admins: BreakGlassCandidate[];
}

type Options = { signal?: AbortSignal };

export class SsoApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The organization's connections and the roles (`sk_org_sso_read` and the SSO feature). */
  async overview(organizationId: string, options: Options = {}): Promise<ConnectionsOverview> {
    const first = await this.client.request(
      ConnectionsDocument,
      { organizationId, after: null },
      options,
    );
    const connections = await allNodes(
      first.organization.connections,
      async (after) =>
        (await this.client.request(ConnectionsDocument, { organizationId, after }, options))
          .organization.connections,
    );
    return { connections, roles: first.roles };
  }

  /** The connection as it stands now, such as after a test in another tab. */
  async connection(connectionId: string, options: Options = {}): Promise<SsoConnection> {
    return (await this.client.request(SsoConnectionDocument, { connectionId }, options)).connection;
  }

  /** A DRAFT connection for `provider`, named after it. */
  async createConnection(
    organizationId: string,
    provider: IdentityProvider,
  ): Promise<SsoConnection> {
    const { createConnection } = await this.client.request(CreateConnectionDocument, {
      organizationId,
      input: { provider, protocol: null, name: null, defaultRole: 'member' },
    });
    return strip(unwrap(createConnection, 'Connection'));
  }

  /** Changes what `settings` names; an IdP or mapping change needs a new test. */
  async updateConnection(
    connectionId: string,
    settings: ConnectionSettings,
  ): Promise<SsoConnection> {
    const { updateConnection } = await this.client.request(UpdateConnectionDocument, {
      connectionId,
      input: updateInput(settings),
    });
    return strip(unwrap(updateConnection, 'Connection'));
  }

  /** Lets people sign in through it; refused with NotTested until a test of these settings passed. */
  async enableConnection(connectionId: string): Promise<SsoConnection> {
    const { enableConnection } = await this.client.request(EnableConnectionDocument, {
      connectionId,
    });
    return strip(unwrap(enableConnection, 'Connection'));
  }

  async disableConnection(connectionId: string): Promise<SsoConnection> {
    const { disableConnection } = await this.client.request(DisableConnectionDocument, {
      connectionId,
    });
    return strip(unwrap(disableConnection, 'Connection'));
  }

  /** A new SP signing certificate: the IdP needs it, the connection a new test. */
  async rotateCertificate(connectionId: string): Promise<SsoConnection> {
    const { rotateConnectionCertificate } = await this.client.request(
      RotateConnectionCertificateDocument,
      {
        connectionId,
      },
    );
    return strip(unwrap(rotateConnectionCertificate, 'Connection'));
  }

  /**
   * Whether SSO is required (`sk_org_sso_read`), with the active admins when `withAdmins`
   * (the viewer holds `sk_org_users_read`): the people who may be kept as break-glass accounts.
   */
  async ssoRequirement(
    organizationId: string,
    withAdmins: boolean,
    options: Options = {},
  ): Promise<SsoRequirementOverview> {
    const page = (after: string | null) =>
      this.client.request(SsoRequirementDocument, { organizationId, withAdmins, after }, options);
    const { organization } = await page(null);
    const { required, breakGlassUserIds } = organization.ssoRequirement;
    const members = organization.members
      ? await allNodes(organization.members, async (after) => {
          const next = (await page(after)).organization.members;
          return next ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
        })
      : [];
    return {
      requirement: { required, breakGlassUserIds },
      admins: members.map(({ user }) => ({ id: user.id, email: user.email, name: user.name })),
    };
  }

  /**
   * Requires SSO or not, keeping `breakGlassUserIds` as break-glass admins; refused with
   * `InvalidInput` (field `required` or `breakGlassUserIds`) when it cannot be so.
   */
  async updateSsoRequirement(
    organizationId: string,
    requirement: SsoRequirement,
  ): Promise<SsoRequirement> {
    const { updateSsoRequirement } = await this.client.request(UpdateSsoRequirementDocument, {
      organizationId,
      required: requirement.required,
      breakGlassUserIds: requirement.breakGlassUserIds,
    });
    return strip(unwrap(updateSsoRequirement, 'SsoRequirement'));
  }

  /** Answers the deleted connection's id. */
  async deleteConnection(connectionId: string): Promise<string> {
    const { deleteConnection } = await this.client.request(DeleteConnectionDocument, {
      connectionId,
    });
    return unwrap(deleteConnection, 'ConnectionDeleted').connection.id;
  }
}

function strip<T extends { __typename: string }>(result: T): Omit<T, '__typename'> {
  const { __typename: _, ...rest } = result;
  return rest;
}
