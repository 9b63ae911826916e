/**
 * The organization's SCIM directories, through the operations of operations/scim.graphql (typed
 * by `npm run codegen`). Mutations return their success type or throw `ProblemError`; every
 * change may answer `ReauthenticationRequired`, which recent-sign-in.ts turns into "Confirm it's
 * you". A token is in an answer only when it was just made: it is never readable again.
 */
import {
  CreateDirectoryDocument,
  DeleteDirectoryDocument,
  DirectoriesDocument,
  DirectoryGroupsDocument,
  DirectoryUsersDocument,
  ProvisioningLogDocument,
  RevokeDirectoryTokenDocument,
  RotateDirectoryTokenDocument,
  UpdateDirectoryDocument,
  type DirectoryFieldsFragment,
  type DirectoryGroupFieldsFragment,
  type DirectoryProvider as SchemaProvider,
  type DirectoryUserFieldsFragment,
  type ProvisioningEntryFieldsFragment,
  type ProvisioningOutcome,
  type RoleFieldsFragment,
} from '../generated/graphql.js';
import { ApiError } from '../shared/api.js';
import { GraphQLClient, allNodes, unwrap, type Connection } from './graphql.js';

export type DirectoryProvider = SchemaProvider;
export type Directory = DirectoryFieldsFragment;
export type DirectoryUser = DirectoryUserFieldsFragment;
export type DirectoryGroup = DirectoryGroupFieldsFragment;
export type ProvisioningEntry = ProvisioningEntryFieldsFragment;
export type ScimRole = RoleFieldsFragment;

/** Users, groups and log entries asked for at a time ("Load more" asks for the next page). */
export const PAGE_SIZE = 25;

/** Longest search the lists send (the server's input limit is higher). */
export const SEARCH_MAX = 200;

/** A directory just made or whose token was just replaced, with the token shown this once. */
export interface DirectoryWithToken {
  directory: Directory;
  token: string;
}

export interface DirectoriesOverview {
  directories: Directory[];
  /** The roles a directory may give, each with what it allows. */
  roles: ScimRole[];
}

/** A page of one of a directory's lists. */
export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface LogFilters {
  /** Only failed requests (status 400 and above). */
  failedOnly: boolean;
  search: string;
}

/** What an update changes; what it leaves out stays as it is. */
export interface DirectorySettings {
  name?: string;
  requireVerifiedDomain?: boolean;
  deprovisionWhenUnmapped?: boolean;
  defaultRole?: string;
  /** Replaces the whole ordered list: the first group a person is in decides their role. */
  groupRoles?: { groupId: string; role: string }[];
}

type Options = { signal?: AbortSignal };

function page<T>(connection: Connection<T>): Page<T> {
  return {
    nodes: connection.nodes,
    endCursor: connection.pageInfo.endCursor ?? null,
    hasNextPage: connection.pageInfo.hasNextPage,
  };
}

/** The directory a list query names, or a "not found" the element shows (deleted meanwhile). */
function found<T>(directory: T | null | undefined): T {
  if (!directory) {
    throw new ApiError({
      status: 200,
      code: 'NOT_FOUND',
      message: 'This directory no longer exists. Go back to the list of directories.',
    });
  }
  return directory;
}

export class ScimApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The active organization's directories and the roles (`sk_org_scim_read` and the SCIM feature). */
  async overview(options: Options = {}): Promise<DirectoriesOverview> {
    const first = await this.client.request(DirectoriesDocument, { after: null }, options);
    const organization = first.viewer.organization;
    if (!organization) return { directories: [], roles: first.roles };
    const directories = await allNodes(organization.directories, async (after) => {
      const next = await this.client.request(DirectoriesDocument, { after }, options);
      return next.viewer.organization?.directories ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    });
    return { directories, roles: first.roles };
  }

  async users(
    directoryId: string,
    search: string,
    after: string | null,
    options: Options = {},
  ): Promise<Page<DirectoryUser>> {
    const { directory } = await this.client.request(
      DirectoryUsersDocument,
      { directoryId, first: PAGE_SIZE, after, search: search || null },
      options,
    );
    return page(found(directory).users);
  }

  async groups(
    directoryId: string,
    search: string,
    after: string | null,
    options: Options = {},
  ): Promise<Page<DirectoryGroup>> {
    const { directory } = await this.client.request(
      DirectoryGroupsDocument,
      { directoryId, first: PAGE_SIZE, after, search: search || null },
      options,
    );
    return page(found(directory).groups);
  }

  /** Every pushed group (up to `MAX_PAGES` pages), for the role mapping's choices. */
  async allGroups(directoryId: string, options: Options = {}): Promise<DirectoryGroup[]> {
    const first = await this.groups(directoryId, '', null, options);
    return allNodes(
      { nodes: first.nodes, pageInfo: { hasNextPage: first.hasNextPage, endCursor: first.endCursor } },
      async (after) => {
        const next = await this.groups(directoryId, '', after, options);
        return { nodes: next.nodes, pageInfo: { hasNextPage: next.hasNextPage, endCursor: next.endCursor } };
      },
    );
  }

  /** The provisioning log, newest first. */
  async log(
    directoryId: string,
    filters: LogFilters,
    after: string | null,
    options: Options = {},
  ): Promise<Page<ProvisioningEntry>> {
    const outcome: ProvisioningOutcome | null = filters.failedOnly ? 'FAILED' : null;
    const { directory } = await this.client.request(
      ProvisioningLogDocument,
      { directoryId, first: PAGE_SIZE, after, outcome, search: filters.search || null },
      options,
    );
    return page(found(directory).provisioningLog);
  }

  /** A directory for `provider`, named after it, with its first token. */
  async createDirectory(
    organizationId: string,
    provider: DirectoryProvider,
  ): Promise<DirectoryWithToken> {
    const { createDirectory } = await this.client.request(CreateDirectoryDocument, {
      organizationId,
      input: { provider, name: null },
    });
    const { directory, token } = unwrap(createDirectory, 'DirectoryWithToken');
    return { directory, token };
  }

  async updateDirectory(directoryId: string, settings: DirectorySettings): Promise<Directory> {
    const { updateDirectory } = await this.client.request(UpdateDirectoryDocument, {
      directoryId,
      input: {
        name: settings.name ?? null,
        requireVerifiedDomain: settings.requireVerifiedDomain ?? null,
        deprovisionWhenUnmapped: settings.deprovisionWhenUnmapped ?? null,
        defaultRole: settings.defaultRole ?? null,
        groupRoles: settings.groupRoles ?? null,
      },
    });
    return strip(unwrap(updateDirectory, 'Directory'));
  }

  /** A new token; the old one keeps working for `overlapMinutes` (0: it stops now). */
  async rotateToken(directoryId: string, overlapMinutes: number): Promise<DirectoryWithToken> {
    const { rotateDirectoryToken } = await this.client.request(RotateDirectoryTokenDocument, {
      directoryId,
      overlapMinutes,
    });
    const { directory, token } = unwrap(rotateDirectoryToken, 'DirectoryWithToken');
    return { directory, token };
  }

  /** No token works any more: the identity provider's requests are refused until a rotation. */
  async revokeToken(directoryId: string): Promise<Directory> {
    const { revokeDirectoryToken } = await this.client.request(RevokeDirectoryTokenDocument, {
      directoryId,
    });
    return strip(unwrap(revokeDirectoryToken, 'Directory'));
  }

  /** Answers the deleted directory's id. */
  async deleteDirectory(directoryId: string): Promise<string> {
    const { deleteDirectory } = await this.client.request(DeleteDirectoryDocument, { directoryId });
    return unwrap(deleteDirectory, 'DirectoryDeleted').directory.id;
  }
}

function strip<T extends { __typename: string }>(result: T): Omit<T, '__typename'> {
  const { __typename: _, ...rest } = result;
  return rest;
}
