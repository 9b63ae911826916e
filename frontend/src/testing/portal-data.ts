/** What the portal's GraphQL server answers in the unit tests: one organization, Ada its admin. */
import type { Invitation, Member, MembersOverview, Role } from '../portal/members-api.js';
import type { Passkey } from '../portal/passkeys-api.js';
import type { SessionPolicy, User, UserSession, Viewer } from '../portal/portal-api.js';
import type { ConnectionTest, SsoConnection } from '../portal/sso-api.js';

export const ALL_PERMISSIONS = [
  'sk_org_settings_manage',
  'sk_org_settings_read',
  'sk_org_users_delete',
  'sk_org_users_invite',
  'sk_org_users_read',
  'sk_org_users_role_change',
];

export const ada: User = {
  id: 'usr_ada',
  email: 'ada@example.com',
  emailVerified: true,
  firstName: 'Ada',
  lastName: 'Lovelace',
  name: 'Ada Lovelace',
};

export function viewer(overrides: Partial<Viewer> = {}): Viewer {
  return {
    user: ada,
    organization: { id: 'org_1' },
    permissions: ALL_PERMISSIONS,
    organizations: [{ id: 'org_1', name: 'Coffee Roasters' }],
    features: [],
    ...overrides,
  };
}

/** A list as the server pages it: `nodes` and a `pageInfo` naming the next page's cursor. */
export function connection<T>(nodes: T[], endCursor: string | null = null) {
  return { nodes, pageInfo: { hasNextPage: endCursor !== null, endCursor } };
}

/** The viewer as the server sends it: their organizations are a connection. */
export function viewerData(shown: Viewer) {
  return { ...shown, organizations: connection(shown.organizations) };
}

export const roles: Role[] = [
  { key: 'admin', name: 'Admin' },
  { key: 'member', name: 'Member' },
];

export function member(name: string, overrides: Partial<Member> = {}): Member {
  const slug = name.toLowerCase().split(' ')[0];
  return {
    id: `mem_${slug}`,
    role: 'member',
    status: 'ACTIVE',
    createdAt: '2026-01-05T10:00:00+00:00',
    lastSignInAt: '2026-11-20T09:30:00+00:00',
    user: { id: `usr_${slug}`, email: `${slug}@example.com`, name },
    roleManagedBy: null,
    ...overrides,
  };
}

export const adaMember = member('Ada Lovelace', { role: 'admin' });
export const grace = member('Grace Hopper');
export const linus = member('Linus Pauling', { status: 'INVITED', lastSignInAt: null });

export function invitation(email: string, overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: `inv_${email.split('@')[0]}`,
    email,
    role: 'member',
    status: 'PENDING',
    expiresAt: '2099-12-01T12:00:00+00:00',
    ...overrides,
  };
}

/** The `Members` query's data, as the server nests it. */
export function membersData(overview: Partial<MembersOverview> = {}, organizationId = 'org_1') {
  const { members = [adaMember, grace], endCursor = null, hasNextPage = false } = overview;
  const totalCount = overview.totalCount ?? members.length + (hasNextPage ? 1 : 0);
  return {
    viewer: {
      organization: {
        id: organizationId,
        members: {
          nodes: members,
          pageInfo: { endCursor: endCursor ?? members.at(-1)?.id ?? null, hasNextPage },
          totalCount,
        },
        invitations: connection(overview.invitations ?? [invitation('linus@example.com')]),
      },
    },
    roles: overview.roles ?? roles,
  };
}

/** The `MoreMembers` query's data. */
export function moreMembersData(
  members: Member[],
  hasNextPage = false,
  organizationId = 'org_1',
  totalCount = members.length,
) {
  return {
    viewer: {
      organization: {
        id: organizationId,
        members: {
          nodes: members,
          pageInfo: { endCursor: members.at(-1)?.id ?? null, hasNextPage },
          totalCount,
        },
      },
    },
  };
}

/** One of Ada's sessions: another browser unless `current` says it is this one. */
export function session(id: string, overrides: Partial<UserSession> = {}): UserSession {
  return {
    id,
    device: 'Firefox on Linux',
    ip: '203.0.113.7',
    createdAt: '2026-11-20T09:30:00+00:00',
    lastActiveAt: '2026-11-27T16:45:00+00:00',
    authenticationMethods: ['otp', 'email'],
    current: false,
    ...overrides,
  };
}

/** A union member implementing `Problem`. */
export function problem(typename: string, message: string, extra: Record<string, unknown> = {}) {
  return { __typename: typename, code: typename.toUpperCase(), message, ...extra };
}

/** The organization's session policy: the app's defaults (7 days, no idle timeout) unless overridden. */
export function sessionPolicy(overrides: Partial<SessionPolicy> = {}): SessionPolicy {
  return {
    custom: false,
    absoluteMinutes: null,
    idleMinutes: null,
    appDefault: { absoluteMinutes: 7 * 24 * 60, idleMinutes: null },
    effective: { absoluteMinutes: 7 * 24 * 60, idleMinutes: null },
    ...overrides,
  };
}

/** One of Ada's passkeys: not synced, last used a day ago, unless overridden. */
export function passkey(id: string, overrides: Partial<Passkey> = {}): Passkey {
  return {
    id,
    name: 'Passkey on Mac',
    createdAt: '2026-11-01T10:00:00+00:00',
    lastUsedAt: '2026-11-27T16:45:00+00:00',
    synced: false,
    ...overrides,
  };
}

/** An Okta SAML connection as the server sends it: a draft with its IdP settings saved, untested. */
export function ssoConnection(overrides: Partial<SsoConnection> = {}): SsoConnection {
  const id = overrides.id ?? 'conn_okta';
  const base = 'https://auth.example.com/sso';
  return {
    id,
    name: 'Okta',
    protocol: 'SAML',
    provider: 'OKTA',
    status: 'DRAFT',
    defaultRole: 'member',
    groupRoles: [],
    attributeMapping: { email: 'email', firstName: 'firstName', lastName: 'lastName', groups: 'groups' },
    testedWithCurrentSettings: false,
    testUrl: `${base}/test/${id}`,
    serviceProvider: {
      entityId: `${base}/saml/${id}`,
      acsUrl: `${base}/callback/saml/${id}`,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      redirectUri: `${base}/callback/oidc/${id}`,
      metadataUrl: `${base}/saml/${id}`,
      certificate: '-----BEGIN CERTIFICATE-----\nMIIBsp\n-----END CERTIFICATE-----\n',
      certificateExpiresAt: '2036-12-01T10:00:00+00:00',
      metadataXml: `<md:EntityDescriptor entityID="${base}/saml/${id}"/>`,
    },
    saml: {
      entityId: 'http://www.okta.com/exk1',
      ssoUrl: 'https://example.okta.com/app/exk1/sso/saml',
      certificates: [{ fingerprintSha256: 'AB:CD', notValidAfter: '2031-01-02T00:00:00+00:00' }],
    },
    oidc: null,
    lastTest: null,
    createdAt: '2026-12-01T10:00:00+00:00',
    updatedAt: '2026-12-01T10:00:00+00:00',
    ...overrides,
  };
}

/** A successful test sign-in of Grace through a connection. */
export function passedTest(overrides: Partial<ConnectionTest> = {}): ConnectionTest {
  return {
    succeeded: true,
    testedAt: '2026-12-02T09:00:00+00:00',
    reason: null,
    message: null,
    details: [],
    identity: {
      subject: 'grace@example.com',
      email: 'grace@example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
      groups: ['Engineering', 'Admins'],
      attributes: [
        { name: 'email', values: ['grace@example.com'] },
        { name: 'groups', values: ['Engineering', 'Admins'] },
        { name: 'department', values: ['Compilers'] },
      ],
    },
    ...overrides,
  };
}
