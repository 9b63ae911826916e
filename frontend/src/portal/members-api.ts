/**
 * Members, invitations and roles of the active organization, through the operations of
 * operations/members.graphql (typed by `npm run codegen`).
 * Mutations return their success type or throw `ProblemError`.
 */
import {
  ChangeMemberRoleDocument,
  InviteMembersDocument,
  MembersDocument,
  MoreInvitationsDocument,
  MoreMembersDocument,
  RemoveMemberDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  RolesDocument,
  type ChangeMemberRoleMutation,
  type InvitationFieldsFragment,
  type InvitationStatus as SchemaInvitationStatus,
  type InviteMembersMutation,
  type InviteMembersMutationVariables,
  type MemberFieldsFragment,
  type MemberPageFieldsFragment,
  type MemberStatus as SchemaMemberStatus,
  type MembersQueryVariables,
  type ResendInvitationMutation,
  type RoleFieldsFragment,
} from '../generated/graphql.js';
import { ApiError } from '../shared/api.js';
import { GraphQLClient, allNodes, unwrap } from './graphql.js';

/*
 * The result types below are the fragments of operations/members.graphql, as `npm run codegen`
 * types them from the SDL. Members and invitations are read through `viewer.organization`, so
 * each answer is checked to be the organization the page shows.
 */

export type MemberStatus = SchemaMemberStatus;
export type InvitationStatus = SchemaInvitationStatus;

export type Member = MemberFieldsFragment;

export type Invitation = InvitationFieldsFragment;

export type Role = Omit<RoleFieldsFragment, 'permissions'> & {
  /** What the role allows; the portal offers no action on a role the viewer does not fully hold. */
  permissions?: RoleFieldsFragment['permissions'];
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

type InvitationsSentResult = Extract<
  InviteMembersMutation['inviteMembers'],
  { __typename: 'InvitationsSent' }
>;

export type InviteProblem = InvitationsSentResult['problems'][number];

export interface InvitationsSent {
  invitations: Invitation[];
  problems: InviteProblem[];
}

type ChangeMemberRoleResult = ChangeMemberRoleMutation['changeMemberRole'];
type ResendInvitationResult = ResendInvitationMutation['resendInvitation'];

export type LastAdmin = Extract<ChangeMemberRoleResult, { __typename: 'LastAdmin' }>;
export type RoleNotGrantable = Extract<ChangeMemberRoleResult, { __typename: 'RoleNotGrantable' }>;
/** The member's (or invitation's) role has permissions the viewer lacks, so they may not touch it. */
export type RoleOutranksYou = Extract<ChangeMemberRoleResult, { __typename: 'RoleOutranksYou' }>;

/** An invitation that was already accepted or revoked: there is nothing to resend or revoke. */
export type InvitationNotPending = Extract<
  ResendInvitationResult,
  { __typename: 'InvitationNotPending' }
>;

/** The invitation was sent again as often as a day allows (`RESEND_LIMIT_REACHED`). */
export type ResendLimitReached = Extract<
  ResendInvitationResult,
  { __typename: 'ResendLimitReached' }
>;

/** Members per page, as `first: 20` in operations/members.graphql; the server allows up to 100. */
export const PAGE_SIZE = 20;

export const ORGANIZATION_CHANGED_MESSAGE =
  'Your active organization changed in another tab. Reload the page to continue.';

type MemberConnection = MemberPageFieldsFragment;

type PageVariables = Required<MembersQueryVariables>;

type Options = { signal?: AbortSignal };

export class MembersApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The first page of members matching `filters`, every invitation, and the roles to grant. */
  async overview(
    organizationId: string,
    filters: MemberFilters,
    options: Options = {},
  ): Promise<MembersOverview> {
    const data = await this.client.request(MembersDocument, pageVariables(filters, null), options);
    const organization = sameOrganization(data.viewer.organization, organizationId);
    const invitations = await allNodes(organization.invitations, async (after) => {
      const more = await this.client.request(MoreInvitationsDocument, { after }, options);
      return sameOrganization(more.viewer.organization, organizationId).invitations;
    });
    return { ...page(organization.members), invitations, roles: data.roles };
  }

  /**
   * For someone who may invite but not read the members: only the roles to grant, with no
   * members and no invitations (reading those needs `sk_org_users_read`).
   */
  async inviteOnly(options: Options = {}): Promise<MembersOverview> {
    const { roles } = await this.client.request(RolesDocument, {}, options);
    return { members: [], endCursor: null, hasNextPage: false, totalCount: 0, invitations: [], roles };
  }

  /** The page of members after `cursor`. */
  async more(organizationId: string, filters: MemberFilters, cursor: string): Promise<MemberPage> {
    const data = await this.client.request(MoreMembersDocument, pageVariables(filters, cursor));
    return page(sameOrganization(data.viewer.organization, organizationId).members);
  }

  async changeMemberRole(memberId: string, role: string): Promise<Member> {
    const { changeMemberRole } = await this.client.request(ChangeMemberRoleDocument, { memberId, role });
    const { __typename: _, ...member } = unwrap(changeMemberRole, 'Member');
    return member;
  }

  async removeMember(memberId: string): Promise<Member> {
    const { removeMember } = await this.client.request(RemoveMemberDocument, { memberId });
    return unwrap(removeMember, 'MemberRemoved').member;
  }

  /** Invites each address with one role; addresses the server refused come back as `problems`. */
  async inviteMembers(input: InviteMembersMutationVariables): Promise<InvitationsSent> {
    const { inviteMembers } = await this.client.request(InviteMembersDocument, input);
    const { invitations, problems } = unwrap(inviteMembers, 'InvitationsSent');
    return { invitations, problems };
  }

  async resendInvitation(invitationId: string): Promise<Invitation> {
    const { resendInvitation } = await this.client.request(ResendInvitationDocument, { invitationId });
    const { __typename: _, ...invitation } = unwrap(resendInvitation, 'Invitation');
    return invitation;
  }

  async revokeInvitation(invitationId: string): Promise<Invitation> {
    const { revokeInvitation } = await this.client.request(RevokeInvitationDocument, { invitationId });
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
