/**
 * The organization's claimed domains (verified by a DNS TXT record), as typed GraphQL
 * operations. Mutations return their success type or throw `ProblemError`.
 */
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
import type { InvalidDomain, InvalidInput } from './portal-api.js';

export type DomainStatus = 'PENDING' | 'VERIFIED' | 'FAILED' | 'LAPSED';

/** A domain the organization claims (`Domain` in the SDL). */
export interface Domain {
  id: string;
  name: string;
  status: DomainStatus;
  /** Where to publish the TXT record, such as `_tenantry-challenge.example.com`. */
  txtRecordName: string;
  /** The exact value of the TXT record. */
  txtRecordValue: string;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  /** Null when no check is scheduled (failed and lapsed domains wait for "Verify now"). */
  nextCheckAt: string | null;
  /** What the last check found, in plain words. */
  lastError: string | null;
  createdAt: string;
}

const DOMAIN_FIELDS =
  'id name status txtRecordName txtRecordValue verifiedAt lastCheckedAt nextCheckAt lastError createdAt';

const DOMAINS = operation<
  { organization: { id: string; domains: Connection<Domain> } },
  { organizationId: string; after: string | null }
>(`query Domains($organizationId: ID!, $after: String) {
  organization(organizationId: $organizationId) {
    id domains(first: ${MAX_PAGE_SIZE}, after: $after) { nodes { ${DOMAIN_FIELDS} } ${PAGE_INFO} }
  }
}`);

const ADD_DOMAIN = operation<
  { addDomain: (Domain & { __typename: 'Domain' }) | InvalidDomain | InvalidInput },
  { organizationId: string; name: string }
>(`mutation AddDomain($organizationId: ID!, $name: String!) {
  addDomain(organizationId: $organizationId, name: $name) {
    ${PROBLEM_FIELDS} ... on InvalidDomain { domain } ... on InvalidInput { field }
    ... on Domain { ${DOMAIN_FIELDS} }
  }
}`);

const VERIFY_DOMAIN = operation<{ verifyDomain: Domain }, { domainId: string }>(
  `mutation VerifyDomain($domainId: ID!) { verifyDomain(domainId: $domainId) { ${DOMAIN_FIELDS} } }`,
);

const REMOVE_DOMAIN = operation<
  { removeDomain: { domain: Pick<Domain, 'id' | 'name'> } },
  { domainId: string }
>(`mutation RemoveDomain($domainId: ID!) { removeDomain(domainId: $domainId) { domain { id name } } }`);

type Options = { signal?: AbortSignal };

export class DomainsApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The organization's domains, by name (`sk_org_settings_read` and the feature). */
  async domains(organizationId: string, options: Options = {}): Promise<Domain[]> {
    const read = async (after: string | null) =>
      (await this.client.request(DOMAINS, { organizationId, after }, options)).organization.domains;
    return allNodes(await read(null), read);
  }

  /** Claims `name`: a pending domain with the TXT record to publish. */
  async addDomain(input: { organizationId: string; name: string }): Promise<Domain> {
    const { addDomain } = await this.client.request(ADD_DOMAIN, input);
    const { __typename: _, ...domain } = unwrap(addDomain, 'Domain');
    return domain;
  }

  /** Looks for the TXT record now; answers the domain as it stands afterwards. */
  async verifyDomain(domainId: string): Promise<Domain> {
    return (await this.client.request(VERIFY_DOMAIN, { domainId })).verifyDomain;
  }

  async removeDomain(domainId: string): Promise<void> {
    await this.client.request(REMOVE_DOMAIN, { domainId });
  }
}
