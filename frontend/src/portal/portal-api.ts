/**
 * The viewer, the organization's settings and session policy, the person's profile and their
 * sessions, as typed GraphQL operations. Mutations return their success type or throw `ProblemError`.
 */
import type * as Schema from '../generated/graphql.js';
import {
  GraphQLClient,
  MAX_PAGE_SIZE,
  PAGE_INFO,
  PROBLEM_FIELDS,
  allNodes,
  operation,
  unwrap,
  type Connection,
  type Problem,
} from './graphql.js';
import { effectivePermissions } from './permissions.js';

export type User = Pick<
  Schema.User,
  'id' | 'email' | 'emailVerified' | 'firstName' | 'lastName' | 'name'
>;

export type OrganizationChoice = Pick<Schema.OrganizationChoice, 'id' | 'name'>;

/** `permissions` are effective ones: each `_manage` one with the `_read` it includes. */
export interface Viewer extends Pick<Schema.Viewer, 'permissions' | 'features'> {
  user: User;
  /** Only the id: the name needs `sk_org_settings_read`, so it comes from `organizations`. */
  organization: Pick<Schema.Organization, 'id'> | null;
  organizations: OrganizationChoice[];
}

/** A session's lifetime: `idleMinutes` null means no idle timeout. */
export type SessionTimeouts = Pick<Schema.SessionTimeouts, 'absoluteMinutes' | 'idleMinutes'>;

/** The organization's session timeouts (`SessionPolicy` in the SDL). */
export type SessionPolicy = Pick<
  Schema.SessionPolicy,
  'custom' | 'absoluteMinutes' | 'idleMinutes'
> & {
  appDefault: SessionTimeouts;
  /** What sessions get: the stricter of the app's default and the organization's setting. */
  effective: SessionTimeouts;
};

/** Every argument given, the organization named: a switch in another tab cannot redirect it. */
export type SessionPolicyInput = Required<Schema.MutationUpdateSessionPolicyArgs> & {
  organizationId: string;
};

export type OrganizationSettings = Pick<Schema.Organization, 'id' | 'name' | 'allowedEmailDomains'>;

/** One of the person's signed-in browsers (`UserSession` in the SDL). */
export type UserSession = Pick<
  Schema.UserSession,
  'id' | 'device' | 'ip' | 'createdAt' | 'lastActiveAt' | 'authenticationMethods' | 'current'
>;

export type InvalidDomain = Schema.InvalidDomain;
export type InvalidInput = Schema.InvalidInput;

type Result<T, P extends Problem> = T | P;

const USER_FIELDS = 'id email emailVerified firstName lastName name';
const ORGANIZATION_CHOICES = `organizations(first: ${MAX_PAGE_SIZE}, after: $after) {
  nodes { id name } ${PAGE_INFO} }`;
const VIEWER_FIELDS = `user { ${USER_FIELDS} } organization { id } permissions features
  organizations(first: ${MAX_PAGE_SIZE}) { nodes { id name } ${PAGE_INFO} }`;
const SETTINGS_FIELDS = 'id name allowedEmailDomains';
const SESSION_FIELDS = 'id device ip createdAt lastActiveAt authenticationMethods current';
const TIMEOUT_FIELDS = 'absoluteMinutes idleMinutes';
const POLICY_FIELDS = `custom ${TIMEOUT_FIELDS} appDefault { ${TIMEOUT_FIELDS} } effective { ${TIMEOUT_FIELDS} }`;
const INVALID_INPUT = '... on InvalidInput { field }';

/** The viewer as the server sends it: their organizations are a connection. */
type ViewerData = Omit<Viewer, 'organizations'> & { organizations: Connection<OrganizationChoice> };

const VIEWER = operation<{ viewer: ViewerData }>(`query Viewer { viewer { ${VIEWER_FIELDS} } }`);

const MORE_ORGANIZATIONS = operation<
  { viewer: { organizations: Connection<OrganizationChoice> } },
  Pick<Schema.ViewerOrganizationsArgs, 'after'>
>(`query MoreOrganizations($after: String) { viewer { ${ORGANIZATION_CHOICES} } }`);

const SESSION_POLICY = operation<{
  viewer: { organization: (Pick<Schema.Organization, 'id'> & { sessionPolicy: SessionPolicy }) | null };
}>(`query SessionPolicy { viewer { organization { id sessionPolicy { ${POLICY_FIELDS} } } } }`);

const UPDATE_SESSION_POLICY = operation<
  {
    updateSessionPolicy: Result<SessionPolicy & { __typename: 'SessionPolicy' }, InvalidInput>;
  },
  SessionPolicyInput
>(`mutation UpdateSessionPolicy(
  $organizationId: ID!, $custom: Boolean!, $absoluteMinutes: Int, $idleMinutes: Int
) {
  updateSessionPolicy(
    organizationId: $organizationId, custom: $custom,
    absoluteMinutes: $absoluteMinutes, idleMinutes: $idleMinutes
  ) {
    ${PROBLEM_FIELDS} ${INVALID_INPUT} ... on SessionPolicy { ${POLICY_FIELDS} }
  }
}`);

const SWITCH_ORGANIZATION = operation<
  { switchOrganization: Result<ViewerData & { __typename: 'Viewer' }, InvalidInput> },
  Schema.MutationSwitchOrganizationArgs
>(`mutation SwitchOrganization($organizationId: ID!) {
  switchOrganization(organizationId: $organizationId) {
    ${PROBLEM_FIELDS} ${INVALID_INPUT} ... on Viewer { ${VIEWER_FIELDS} }
  }
}`);

const ORGANIZATION_SETTINGS = operation<
  { organization: OrganizationSettings },
  Schema.QueryOrganizationArgs
>(`query OrganizationSettings($organizationId: ID!) {
  organization(organizationId: $organizationId) { ${SETTINGS_FIELDS} }
}`);

const UPDATE_ORGANIZATION = operation<
  {
    updateOrganization: Result<
      OrganizationSettings & { __typename: 'Organization' },
      InvalidDomain | InvalidInput
    >;
  },
  Schema.MutationUpdateOrganizationArgs
>(`mutation UpdateOrganization($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    ${PROBLEM_FIELDS} ${INVALID_INPUT} ... on InvalidDomain { domain }
    ... on Organization { ${SETTINGS_FIELDS} }
  }
}`);

const PROFILE = operation<{ viewer: { user: User } }>(
  `query Profile { viewer { user { ${USER_FIELDS} } } }`,
);

const UPDATE_PROFILE = operation<
  { updateProfile: Result<User & { __typename: 'User' }, InvalidInput> },
  Schema.MutationUpdateProfileArgs
>(`mutation UpdateProfile($firstName: String!, $lastName: String!) {
  updateProfile(firstName: $firstName, lastName: $lastName) {
    ${PROBLEM_FIELDS} ${INVALID_INPUT} ... on User { ${USER_FIELDS} }
  }
}`);

const SESSIONS = operation<
  { viewer: { sessions: Connection<UserSession> } },
  Pick<Schema.ViewerSessionsArgs, 'after'>
>(`query Sessions($after: String) { viewer {
  sessions(first: ${MAX_PAGE_SIZE}, after: $after) { nodes { ${SESSION_FIELDS} } ${PAGE_INFO} }
} }`);

const REVOKE_SESSION = operation<
  Pick<Schema.Mutation, 'revokeSession'>,
  Schema.MutationRevokeSessionArgs
>(
  `mutation RevokeSession($sessionId: ID!) { revokeSession(sessionId: $sessionId) }`,
);

const REVOKE_OTHER_SESSIONS = operation<Pick<Schema.Mutation, 'revokeOtherSessions'>>(
  `mutation RevokeOtherSessions { revokeOtherSessions }`,
);

type Options = { signal?: AbortSignal };

export class PortalApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The viewer, their effective permissions and the active organization's features. */
  async viewer(options: Options = {}): Promise<Viewer> {
    const { viewer } = await this.client.request(VIEWER, {}, options);
    return withEffectivePermissions(await this.withAllOrganizations(viewer, options));
  }

  /** The active organization's session policy (`sk_org_session_policy_read`). */
  async sessionPolicy(options: Options = {}): Promise<SessionPolicy> {
    const { organization } = (await this.client.request(SESSION_POLICY, {}, options)).viewer;
    if (!organization) throw new Error('No active organization.');
    return organization.sessionPolicy;
  }

  /**
   * The app's defaults (`custom` false) or custom timeouts in minutes; answers the new policy.
   * Names the organization, so a switch in another tab cannot redirect the change.
   */
  async updateSessionPolicy(input: SessionPolicyInput): Promise<SessionPolicy> {
    const { updateSessionPolicy } = await this.client.request(UPDATE_SESSION_POLICY, input);
    const { __typename: _, ...policy } = unwrap(updateSessionPolicy, 'SessionPolicy');
    return policy;
  }

  /** Makes another of the person's organizations the active one; answers the new viewer. */
  async switchOrganization(organizationId: string): Promise<Viewer> {
    const { switchOrganization } = await this.client.request(SWITCH_ORGANIZATION, {
      organizationId,
    });
    const { __typename: _, ...viewer } = unwrap(switchOrganization, 'Viewer');
    return withEffectivePermissions(await this.withAllOrganizations(viewer));
  }

  /** The viewer with every organization they may switch to, past the first page too. */
  private async withAllOrganizations(viewer: ViewerData, options: Options = {}): Promise<Viewer> {
    const organizations = await allNodes(
      viewer.organizations,
      async (after) =>
        (await this.client.request(MORE_ORGANIZATIONS, { after }, options)).viewer.organizations,
    );
    return { ...viewer, organizations };
  }

  async organizationSettings(
    organizationId: string,
    options: Options = {},
  ): Promise<OrganizationSettings> {
    return (await this.client.request(ORGANIZATION_SETTINGS, { organizationId }, options))
      .organization;
  }

  /** Names the organization explicitly, so a switch in another tab cannot redirect the change. */
  async updateOrganization(input: {
    organizationId: string;
    name: string;
    allowedEmailDomains: string[];
  }): Promise<OrganizationSettings> {
    const { updateOrganization } = await this.client.request(UPDATE_ORGANIZATION, { input });
    const { __typename: _, ...settings } = unwrap(updateOrganization, 'Organization');
    return settings;
  }

  async profile(options: Options = {}): Promise<User> {
    return (await this.client.request(PROFILE, {}, options)).viewer.user;
  }

  async updateProfile(name: Schema.MutationUpdateProfileArgs): Promise<User> {
    const { updateProfile } = await this.client.request(UPDATE_PROFILE, name);
    const { __typename: _, ...user } = unwrap(updateProfile, 'User');
    return user;
  }

  /** The person's live sessions, newest first; `current` marks this one. */
  async sessions(options: Options = {}): Promise<UserSession[]> {
    const read = async (after: string | null) =>
      (await this.client.request(SESSIONS, { after }, options)).viewer.sessions;
    return allNodes(await read(null), read);
  }

  /**
   * Signs out one of the person's sessions (refused at its next request). Answers false when
   * it is not theirs or had already ended.
   */
  async revokeSession(sessionId: string): Promise<boolean> {
    return (await this.client.request(REVOKE_SESSION, { sessionId })).revokeSession;
  }

  /** Signs out every session but this one; answers how many ended. */
  async revokeOtherSessions(): Promise<number> {
    return (await this.client.request(REVOKE_OTHER_SESSIONS, {})).revokeOtherSessions;
  }
}

/** Every widget decides by `permissions`, so a manage permission shows what its read does. */
function withEffectivePermissions(viewer: Viewer): Viewer {
  return { ...viewer, permissions: effectivePermissions(viewer.permissions) };
}
