/**
 * The viewer, the organization's settings and session policy, the person's profile and their
 * sessions, through the operations of operations/portal.graphql (typed by `npm run codegen`).
 * Mutations return their success type or throw `ProblemError`.
 */
import {
  MoreOrganizationsDocument,
  OrganizationSettingsDocument,
  ProfileDocument,
  RevokeOtherSessionsDocument,
  RevokeSessionDocument,
  SessionPolicyDocument,
  SessionsDocument,
  SwitchOrganizationDocument,
  UpdateOrganizationDocument,
  UpdateProfileDocument,
  UpdateSessionPolicyDocument,
  ViewerDocument,
  type OrganizationChoiceFieldsFragment,
  type OrganizationSettingsFieldsFragment,
  type SessionPolicyFieldsFragment,
  type SessionTimeoutsFieldsFragment,
  type UpdateOrganizationMutation,
  type UpdateProfileMutationVariables,
  type UpdateSessionPolicyMutationVariables,
  type UserFieldsFragment,
  type UserSessionFieldsFragment,
  type ViewerFieldsFragment,
} from '../generated/graphql.js';
import { GraphQLClient, allNodes, unwrap } from './graphql.js';
import { effectivePermissions } from './permissions.js';

/*
 * The result types below are the fragments of operations/portal.graphql, as `npm run codegen`
 * types them from the SDL.
 */

export type User = UserFieldsFragment;

export type OrganizationChoice = OrganizationChoiceFieldsFragment;

/**
 * `permissions` are effective ones: each `_manage` one with the `_read` it includes.
 * `organization` is only the id: the name needs `sk_org_settings_read`, so it comes from
 * `organizations`, which holds every page of them.
 */
export type Viewer = Omit<ViewerData, 'organizations'> & { organizations: OrganizationChoice[] };

/** A session's lifetime: `idleMinutes` null means no idle timeout. */
export type SessionTimeouts = SessionTimeoutsFieldsFragment;

/**
 * The organization's session timeouts (`SessionPolicy` in the SDL); `effective` is what
 * sessions get: the stricter of the app's default and the organization's setting.
 */
export type SessionPolicy = SessionPolicyFieldsFragment;

/** Every argument given, the organization named: a switch in another tab cannot redirect it. */
export type SessionPolicyInput = Required<UpdateSessionPolicyMutationVariables>;

export type OrganizationSettings = OrganizationSettingsFieldsFragment;

/** One of the person's signed-in browsers (`UserSession` in the SDL). */
export type UserSession = UserSessionFieldsFragment;

type UpdateOrganizationResult = UpdateOrganizationMutation['updateOrganization'];
export type InvalidDomain = Extract<UpdateOrganizationResult, { __typename: 'InvalidDomain' }>;
export type InvalidInput = Extract<UpdateOrganizationResult, { __typename: 'InvalidInput' }>;

/** The viewer as the server sends it: their organizations are a connection. */
type ViewerData = ViewerFieldsFragment;

type Options = { signal?: AbortSignal };

export class PortalApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The viewer, their effective permissions and the active organization's features. */
  async viewer(options: Options = {}): Promise<Viewer> {
    const { viewer } = await this.client.request(ViewerDocument, {}, options);
    return withEffectivePermissions(await this.withAllOrganizations(viewer, options));
  }

  /** The active organization's session policy (`sk_org_session_policy_read`). */
  async sessionPolicy(options: Options = {}): Promise<SessionPolicy> {
    const { organization } = (await this.client.request(SessionPolicyDocument, {}, options)).viewer;
    if (!organization) throw new Error('No active organization.');
    return organization.sessionPolicy;
  }

  /**
   * The app's defaults (`custom` false) or custom timeouts in minutes; answers the new policy.
   * Names the organization, so a switch in another tab cannot redirect the change.
   */
  async updateSessionPolicy(input: SessionPolicyInput): Promise<SessionPolicy> {
    const { updateSessionPolicy } = await this.client.request(UpdateSessionPolicyDocument, input);
    const { __typename: _, ...policy } = unwrap(updateSessionPolicy, 'SessionPolicy');
    return policy;
  }

  /** Makes another of the person's organizations the active one; answers the new viewer. */
  async switchOrganization(organizationId: string): Promise<Viewer> {
    const { switchOrganization } = await this.client.request(SwitchOrganizationDocument, {
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
        (await this.client.request(MoreOrganizationsDocument, { after }, options)).viewer.organizations,
    );
    return { ...viewer, organizations };
  }

  async organizationSettings(
    organizationId: string,
    options: Options = {},
  ): Promise<OrganizationSettings> {
    return (await this.client.request(OrganizationSettingsDocument, { organizationId }, options))
      .organization;
  }

  /** Names the organization explicitly, so a switch in another tab cannot redirect the change. */
  async updateOrganization(input: {
    organizationId: string;
    name: string;
    allowedEmailDomains: string[];
  }): Promise<OrganizationSettings> {
    const { updateOrganization } = await this.client.request(UpdateOrganizationDocument, { input });
    const { __typename: _, ...settings } = unwrap(updateOrganization, 'Organization');
    return settings;
  }

  async profile(options: Options = {}): Promise<User> {
    return (await this.client.request(ProfileDocument, {}, options)).viewer.user;
  }

  async updateProfile(name: UpdateProfileMutationVariables): Promise<User> {
    const { updateProfile } = await this.client.request(UpdateProfileDocument, name);
    const { __typename: _, ...user } = unwrap(updateProfile, 'User');
    return user;
  }

  /** The person's live sessions, newest first; `current` marks this one. */
  async sessions(options: Options = {}): Promise<UserSession[]> {
    const read = async (after: string | null) =>
      (await this.client.request(SessionsDocument, { after }, options)).viewer.sessions;
    return allNodes(await read(null), read);
  }

  /**
   * Signs out one of the person's sessions (refused at its next request). Answers false when
   * it is not theirs or had already ended.
   */
  async revokeSession(sessionId: string): Promise<boolean> {
    return (await this.client.request(RevokeSessionDocument, { sessionId })).revokeSession;
  }

  /** Signs out every session but this one; answers how many ended. */
  async revokeOtherSessions(): Promise<number> {
    return (await this.client.request(RevokeOtherSessionsDocument, {})).revokeOtherSessions;
  }
}

/** Every widget decides by `permissions`, so a manage permission shows what its read does. */
function withEffectivePermissions(viewer: Viewer): Viewer {
  return { ...viewer, permissions: effectivePermissions(viewer.permissions) };
}
