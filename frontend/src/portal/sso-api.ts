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
  UpdateConnectionDocument,
  type ConnectionFieldsFragment,
  type ConnectionProtocol as SchemaProtocol,
  type ConnectionStatus as SchemaStatus,
  type IdentityProvider as SchemaProvider,
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
