/** What the portal's GraphQL server answers about SCIM directories in the unit tests. */
import type {
  Directory,
  DirectoryGroup,
  DirectoryUser,
  ProvisioningEntry,
  ScimRole,
} from '../portal/scim-api.js';
import { connection } from './portal-data.js';

export const SCIM_MANAGE = ['sk_org_scim_read', 'sk_org_scim_manage'];
export const SCIM_READ = ['sk_org_scim_read'];

export const scimRoles: ScimRole[] = [
  { key: 'admin', name: 'Admin', permissions: ['sk_org_scim_manage', 'sk_org_settings_manage'] },
  { key: 'member', name: 'Member', permissions: ['sk_org_settings_read'] },
];

/** An Okta directory with a token in use since the first of December and no request yet. */
export function directory(overrides: Partial<Directory> = {}): Directory {
  const id = overrides.id ?? 'dir_okta';
  return {
    id,
    name: 'Okta',
    provider: 'OKTA',
    scimBaseUrl: `https://auth.example.com/scim/v2/${id}`,
    hasToken: true,
    tokenHint: 'x7Qa',
    tokenCreatedAt: '2026-12-01T10:00:00+00:00',
    previousTokenExpiresAt: null,
    requireVerifiedDomain: true,
    deprovisionWhenUnmapped: false,
    defaultRole: 'member',
    groupRoles: [],
    lastRequestAt: null,
    userCount: 0,
    groupCount: 0,
    createdAt: '2026-12-01T10:00:00+00:00',
    updatedAt: '2026-12-01T10:00:00+00:00',
    ...overrides,
  };
}

export function directoryGroup(name: string, overrides: Partial<DirectoryGroup> = {}): DirectoryGroup {
  return {
    id: `dgr_${name.toLowerCase().replace(/\W+/g, '_')}`,
    displayName: name,
    memberCount: 3,
    createdAt: '2026-12-02T10:00:00+00:00',
    updatedAt: '2026-12-02T10:00:00+00:00',
    ...overrides,
  };
}

export function directoryUser(userName: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id: `dus_${userName.split('@')[0]}`,
    userName,
    email: userName,
    displayName: 'Grace Hopper',
    active: true,
    createdAt: '2026-12-02T10:00:00+00:00',
    updatedAt: '2026-12-02T10:00:00+00:00',
    ...overrides,
  };
}

export function logEntry(id: string, overrides: Partial<ProvisioningEntry> = {}): ProvisioningEntry {
  return {
    id,
    at: '2026-12-03T09:00:00+00:00',
    method: 'POST',
    operation: 'create',
    resourceType: 'User',
    resourceId: 'dus_grace',
    subject: 'grace@example.com',
    status: 201,
    outcome: 'SUCCEEDED',
    scimType: '',
    detail: '',
    ...overrides,
  };
}

/** The `Directories` query's data. */
export function directoriesData(directories: Directory[], roles: ScimRole[] = scimRoles) {
  return { viewer: { organization: { id: 'org_1', directories: connection(directories) } }, roles };
}

/** The data of a directory's list query (`users`, `groups` or `provisioningLog`). */
export function listData<T>(field: 'users' | 'groups' | 'provisioningLog', nodes: T[], endCursor: string | null = null, id = 'dir_okta') {
  return { directory: { id, [field]: connection(nodes, endCursor) } };
}
