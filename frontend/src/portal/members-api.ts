/**
 * Members, invitations and roles of the active organization, as typed GraphQL operations.
 * Mutations return their success type or throw `ProblemError`.
 */
import type * as Schema from '../generated/graphql.js';
import { ApiError } from '../shared/api.js';
import {
  GraphQLClient,
  MAX_PAGE_SIZE,
  PAGE_INFO,
  PROBLEM_FIELDS,
  allNodes,
  operation,
  unwrap,
  type Connection,
} from './graphql.js';
import type { InvalidInput } from './portal-api.js';

export type MemberStatus = Schema.MemberStatus;
export type InvitationStatus = Schema.InvitationStatus;

export type Member = Pick<Schema.Member, 'id' | 'role' | 'status' | 'createdAt' | 'lastSignInAt'> & {
  user: Pick<Schema.User, 'id' | 'email' | 'name'>;
};

export type Invitation = Pick<Schema.Invitation, 'id' | 'email' | 'role' | 'status' | 'expiresAt'>;

export type Role = Pick<Schema.Role, 'key' | 'name'> & {
  /** What the role allows; the portal offers no action on a role the viewer does not fully hold. */
  permissions?: Schema.Role['permissions'];
};

export interface MemberFilters {
  search: string;
  role: string;
  status: MemberStatus | '';
}

export interface MemberPage {
  members: Member[];
  endCursor: string | null;
  hasNextPage: boolean;
  /** How many members the filters find over every page. */
  totalCount: number;
}

export interface MembersOverview extends MemberPage {
  invitations: Invitation[];
  roles: Role[];
}

export type InviteProblem = Pick<Schema.InviteProblem, 'email' | 'code' | 'message'>;

export interface InvitationsSent {
  invitations: Invitation[];
  problems: InviteProblem[];
}

export type LastAdmin = Schema.LastAdmin;
export type RoleNotGrantable = Schema.RoleNotGrantable;
/** The member's (or invitation's) role has permissions the viewer lacks, so they may not touch it. */
export type RoleOutranksYou = Schema.RoleOutranksYou;

/** Members per page; the server allows up to 100. */
export const PAGE_SIZE = 20;

export const ORGANIZATION_CHANGED_MESSAGE =
  'Your active organization changed in another tab. Reload the page to continue.';

const MEMBER_FIELDS = 'id role status createdAt lastSignInAt user { id email name }';
const INVITATION_FIELDS = 'id email role status expiresAt';
const MEMBERS_ARGS = `first: ${PAGE_SIZE}, after: $after, search: $search, role: $role, status: $status`;
const MEMBERS_VARIABLES = '$after: String, $search: String, $role: String, $status: MemberStatus';
/** Pending and expired invitations: the ones there is still something to do about. */
const OPEN_INVITATIONS = `invitations(
  statuses: [PENDING, EXPIRED], first: ${MAX_PAGE_SIZE}, after: $after
) { nodes { ${INVITATION_FIELDS} } ${PAGE_INFO} }`;
const ROLE_NOT_GRANTABLE = '... on RoleNotGrantable { missingPermissions }';
const ROLE_OUTRANKS_YOU = '... on RoleOutranksYou { missingPermissions }';

type MemberConnection = Pick<Schema.MemberConnection, 'totalCount'> & {
  nodes: Member[];
  pageInfo: Pick<Schema.PageInfo, 'endCursor' | 'hasNextPage'>;
};

type PageVariables = Pick<Schema.OrganizationMembersArgs, 'after' | 'search' | 'role' | 'status'>;

/*
 * Read through `viewer.organization`, not `organization(organizationId:)`: the root field needs
 * `sk_org_settings_read`, while members and invitations need only `sk_org_users_read`.
 */
const MEMBERS = operation<
  {
    viewer: {
      organization: {
        id: string;
        members: MemberConnection;
        invitations: Connection<Invitation>;
      } | null;
    };
    roles: Role[];
  },
  PageVariables
>(`query Members(${MEMBERS_VARIABLES}) {
  viewer { organization { id
    members(${MEMBERS_ARGS}) { nodes { ${MEMBER_FIELDS} } pageInfo { endCursor hasNextPage } totalCount }
    ${OPEN_INVITATIONS}
  } }
  roles { key name permissions }
}`);

const MORE_INVITATIONS = operation<
  { viewer: { organization: { id: string; invitations: Connection<Invitation> } | null } },
  { after: string | null }
>(`query MoreInvitations($after: String) {
  viewer { organization { id ${OPEN_INVITATIONS} } }
}`);

const ROLES = operation<{ roles: Role[] }>(`query Roles { roles { key name permissions } }`);

const MORE_MEMBERS = operation<
  { viewer: { organization: { id: string; members: MemberConnection } | null } },
  PageVariables
>(`query MoreMembers(${MEMBERS_VARIABLES}) {
  viewer { organization { id
    members(${MEMBERS_ARGS}) { nodes { ${MEMBER_FIELDS} } pageInfo { endCursor hasNextPage } totalCount }
  } }
}`);

const CHANGE_MEMBER_ROLE = operation<
  {
    changeMemberRole:
      | (Member & { __typename: 'Member' })
      | LastAdmin
      | RoleNotGrantable
      | RoleOutranksYou;
  },
  Schema.MutationChangeMemberRoleArgs
>(`mutation ChangeMemberRole($memberId: ID!, $role: String!) {
  changeMemberRole(memberId: $memberId, role: $role) {
    ${PROBLEM_FIELDS} ${ROLE_NOT_GRANTABLE} ${ROLE_OUTRANKS_YOU} ... on Member { ${MEMBER_FIELDS} }
  }
}`);

const REMOVE_MEMBER = operation<
  { removeMember: { __typename: 'MemberRemoved'; member: Member } | LastAdmin | RoleOutranksYou },
  Schema.MutationRemoveMemberArgs
>(`mutation RemoveMember($memberId: ID!) {
  removeMember(memberId: $memberId) {
    ${PROBLEM_FIELDS} ${ROLE_OUTRANKS_YOU} ... on MemberRemoved { member { ${MEMBER_FIELDS} } }
  }
}`);

const INVITE_MEMBERS = operation<
  {
    inviteMembers:
      (InvitationsSent & { __typename: 'InvitationsSent' }) | RoleNotGrantable | InvalidInput;
  },
  Schema.MutationInviteMembersArgs
>(`mutation InviteMembers($organizationId: ID!, $emails: [String!]!, $role: String!) {
  inviteMembers(organizationId: $organizationId, emails: $emails, role: $role) {
    ${PROBLEM_FIELDS} ${ROLE_NOT_GRANTABLE} ... on InvalidInput { field }
    ... on InvitationsSent { invitations { ${INVITATION_FIELDS} } problems { email code message } }
  }
}`);

/** An invitation that was already accepted or revoked: there is nothing to resend or revoke. */
export type InvitationNotPending = Schema.InvitationNotPending;

/** The invitation was sent again as often as a day allows (`RESEND_LIMIT_REACHED`). */
export type ResendLimitReached = Schema.ResendLimitReached;

type InvitationResult =
  | (Invitation & { __typename: 'Invitation' })
  | InvitationNotPending
  | RoleOutranksYou;
const INVITATION_RESULT = `${PROBLEM_FIELDS} ${ROLE_OUTRANKS_YOU} ... on InvitationNotPending { status } ... on Invitation { ${INVITATION_FIELDS} }`;

const RESEND_INVITATION = operation<
  { resendInvitation: InvitationResult | ResendLimitReached },
  Schema.MutationResendInvitationArgs
>(`mutation ResendInvitation($invitationId: ID!) {
  resendInvitation(invitationId: $invitationId) {
    ${INVITATION_RESULT} ... on ResendLimitReached { limit }
  }
}`);

const REVOKE_INVITATION = operation<{ revokeInvitation: InvitationResult }, Schema.MutationRevokeInvitationArgs>(
  `mutation RevokeInvitation($invitationId: ID!) {
  revokeInvitation(invitationId: $invitationId) { ${INVITATION_RESULT} }
}`,
);

type Options = { signal?: AbortSignal };

export class MembersApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The first page of members matching `filters`, every invitation, and the roles to grant. */
  async overview(
    organizationId: string,
    filters: MemberFilters,
    options: Options = {},
  ): Promise<MembersOverview> {
    const data = await this.client.request(MEMBERS, pageVariables(filters, null), options);
    const organization = sameOrganization(data.viewer.organization, organizationId);
    const invitations = await allNodes(organization.invitations, async (after) => {
      const more = await this.client.request(MORE_INVITATIONS, { after }, options);
      return sameOrganization(more.viewer.organization, organizationId).invitations;
    });
    return { ...page(organization.members), invitations, roles: data.roles };
  }

  /**
   * For someone who may invite but not read the members: only the roles to grant, with no
   * members and no invitations (reading those needs `sk_org_users_read`).
   */
  async inviteOnly(options: Options = {}): Promise<MembersOverview> {
    const { roles } = await this.client.request(ROLES, {}, options);
    return { members: [], endCursor: null, hasNextPage: false, totalCount: 0, invitations: [], roles };
  }

  /** The page of members after `cursor`. */
  async more(organizationId: string, filters: MemberFilters, cursor: string): Promise<MemberPage> {
    const data = await this.client.request(MORE_MEMBERS, pageVariables(filters, cursor));
    return page(sameOrganization(data.viewer.organization, organizationId).members);
  }

  async changeMemberRole(memberId: string, role: string): Promise<Member> {
    const { changeMemberRole } = await this.client.request(CHANGE_MEMBER_ROLE, { memberId, role });
    const { __typename: _, ...member } = unwrap(changeMemberRole, 'Member');
    return member;
  }

  async removeMember(memberId: string): Promise<Member> {
    const { removeMember } = await this.client.request(REMOVE_MEMBER, { memberId });
    return unwrap(removeMember, 'MemberRemoved').member;
  }

  /** Invites each address with one role; addresses the server refused come back as `problems`. */
  async inviteMembers(input: Schema.MutationInviteMembersArgs): Promise<InvitationsSent> {
    const { inviteMembers } = await this.client.request(INVITE_MEMBERS, input);
    const { invitations, problems } = unwrap(inviteMembers, 'InvitationsSent');
    return { invitations, problems };
  }

  async resendInvitation(invitationId: string): Promise<Invitation> {
    const { resendInvitation } = await this.client.request(RESEND_INVITATION, { invitationId });
    const { __typename: _, ...invitation } = unwrap(resendInvitation, 'Invitation');
    return invitation;
  }

  async revokeInvitation(invitationId: string): Promise<Invitation> {
    const { revokeInvitation } = await this.client.request(REVOKE_INVITATION, { invitationId });
    const { __typename: _, ...invitation } = unwrap(revokeInvitation, 'Invitation');
    return invitation;
  }
}

function pageVariables(filters: MemberFilters, after: string | null): PageVariables {
  return {
    after,
    search: filters.search.trim() || null,
    role: filters.role || null,
    status: filters.status || null,
  };
}

function page(connection: MemberConnection): MemberPage {
  return {
    members: connection.nodes,
    endCursor: connection.pageInfo.endCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
    totalCount: connection.totalCount,
  };
}

/** The members query reads the session's active organization, which another tab may switch. */
function sameOrganization<T extends { id: string }>(organization: T | null, expected: string): T {
  if (organization?.id !== expected) {
    throw new ApiError({
      status: 409,
      code: 'organization_changed',
      message: ORGANIZATION_CHANGED_MESSAGE,
    });
  }
  return organization;
}
