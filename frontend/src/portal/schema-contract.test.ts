/**
 * The backend's committed SDL is the contract: every document the portal sends, with the
 * variables it sends, must validate against it, so a schema change that breaks the portal
 * fails here rather than in a person's browser.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, getOperationAST, getVariableValues, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../shared/api.js';
import { GraphQLClient } from './graphql.js';
import { DomainsApi } from './domains-api.js';
import { MembersApi } from './members-api.js';
import { PasskeysApi } from './passkeys-api.js';
import { PortalApi } from './portal-api.js';
import { ScimApi } from './scim-api.js';
import { SsoApi } from './sso-api.js';

const SDL = resolve(import.meta.dirname, '../../../schema/schema.graphql');

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

/** Calls every API method once and keeps what would have gone over the wire. */
async function sendEverything(): Promise<Sent[]> {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((_url: string, init: RequestInit) => {
      sent.push(JSON.parse(init.body as string) as Sent);
      return Promise.resolve(new Response('{}', { status: 500 }));
    }),
  );
  const client = new GraphQLClient(new ApiClient('token'), () => false);
  const portal = new PortalApi(client);
  const members = new MembersApi(client);
  const passkeys = new PasskeysApi(client);
  const domains = new DomainsApi(client);
  const sso = new SsoApi(client);
  const scim = new ScimApi(client);
  const filters = { search: 'ada', role: 'admin', status: 'ACTIVE' as const };
  await Promise.allSettled([
    portal.viewer(),
    portal.switchOrganization('org_2'),
    portal.organizationSettings('org_1'),
    portal.updateOrganization({
      organizationId: 'org_1',
      name: 'Coffee',
      allowedEmailDomains: ['coffee.example'],
    }),
    portal.profile(),
    portal.updateProfile({ firstName: 'Ada', lastName: 'Lovelace' }),
    portal.sessions(),
    portal.revokeSession('ses_2'),
    portal.revokeOtherSessions(),
    portal.sessionPolicy(),
    portal.updateSessionPolicy({
      organizationId: 'org_1',
      custom: true,
      absoluteMinutes: 480,
      idleMinutes: null,
    }),
    members.overview('org_1', filters),
    members.overview('org_1', { search: '', role: '', status: '' }),
    members.more('org_1', filters, 'mem_2'),
    members.inviteOnly(),
    members.changeMemberRole('mem_2', 'admin'),
    members.removeMember('mem_2'),
    members.inviteMembers({
      organizationId: 'org_1',
      emails: ['grace@example.com'],
      role: 'member',
    }),
    members.resendInvitation('inv_1'),
    members.revokeInvitation('inv_1'),
    passkeys.overview(),
    passkeys.beginPasskeyRegistration(),
    passkeys.finishPasskeyRegistration({
      flowId: 'flow_1',
      credential: {
        id: 'cred',
        rawId: 'cred',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'e30', attestationObject: 'o2Nm' },
      },
      name: 'Passkey on Mac',
    }),
    passkeys.renamePasskey('pk_1', 'Work laptop'),
    passkeys.deletePasskey('pk_1'),
    domains.domains('org_1'),
    domains.addDomain({ organizationId: 'org_1', name: 'coffee.example' }),
    domains.verifyDomain('dom_1'),
    domains.removeDomain('dom_1'),
    sso.overview('org_1'),
    sso.connection('conn_1'),
    sso.createConnection('org_1', 'OKTA'),
    sso.updateConnection('conn_1', { saml: { metadataXml: '<EntityDescriptor/>' } }),
    sso.updateConnection('conn_1', {
      saml: { entityId: 'https://idp.example.com', ssoUrl: 'https://idp.example.com/sso', certificate: 'MIIC' },
    }),
    sso.updateConnection('conn_1', {
      oidc: { issuer: 'https://idp.example.com', clientId: 'client', clientSecret: 'secret' },
      attributeMapping: { email: 'mail' },
      defaultRole: 'member',
    }),
    sso.enableConnection('conn_1'),
    sso.disableConnection('conn_1'),
    sso.rotateCertificate('conn_1'),
    sso.deleteConnection('conn_1'),
    scim.overview(),
    scim.users('dir_1', 'grace', 'cursor'),
    scim.groups('dir_1', '', null),
    scim.log('dir_1', { failedOnly: true, search: 'grace' }, null),
    scim.log('dir_1', { failedOnly: false, search: '' }, 'cursor'),
    scim.createDirectory('org_1', 'OKTA'),
    scim.updateDirectory('dir_1', {
      requireVerifiedDomain: false,
      deprovisionWhenUnmapped: true,
      defaultRole: 'member',
      groupRoles: [{ groupId: 'dgr_1', role: 'admin' }],
    }),
    scim.updateDirectory('dir_1', { name: 'Okta' }),
    scim.rotateToken('dir_1', 60),
    scim.revokeToken('dir_1'),
    scim.deleteDirectory('dir_1'),
  ]);
  return sent;
}

describe('the GraphQL contract', () => {
  let sent: Sent[] = [];
  beforeAll(async () => {
    sent = await sendEverything();
  });

  it('sends one named operation per API call', () => {
    expect(sent).toHaveLength(50);
    expect(sent.every(({ query }) => getOperationAST(parse(query))?.name)).toBe(true);
  });

  it('sends only documents and variables that schema/schema.graphql accepts', () => {
    const schema = buildSchema(readFileSync(SDL, 'utf8'));
    const problems = sent.flatMap(({ query, variables }) => {
      const document = parse(query);
      const operation = getOperationAST(document)!;
      const name = operation.name?.value ?? 'anonymous';
      const invalid = validate(schema, document).map((error) => `${name}: ${error.message}`);
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      const badVariables = (coerced.errors ?? []).map((error) => `${name}: ${error.message}`);
      return [...invalid, ...badVariables];
    });

    expect(problems).toEqual([]);
  });
});
