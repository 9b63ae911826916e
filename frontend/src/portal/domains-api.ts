/**
 * The organization's claimed domains (verified by a DNS TXT record), as typed GraphQL
 * operations. Mutations return their success type or throw `ProblemError`.
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
} from './graphql.js';
import type { InvalidDomain, InvalidInput } from './portal-api.js';

export type DomainStatus = Schema.DomainStatus;

/** A domain the organization claims (`Domain` in the SDL). */
export type Domain = Pick<
  Schema.Domain,
  | 'id'
  | 'name'
  | 'status'
  | 'txtRecordName'
  | 'txtRecordValue'
  | 'verifiedAt'
  | 'lastCheckedAt'
  | 'nextCheckAt'
  | 'lastError'
  | 'createdAt'
>;

const DOMAIN_FIELDS =
  'id name status txtRecordName txtRecordValue verifiedAt lastCheckedAt nextCheckAt lastError createdAt';

const DOMAINS = operation<
  { organization: { id: string; domains: Connection<Domain> } },
  Schema.QueryOrganizationArgs & Pick<Schema.OrganizationDomainsArgs, 'after'>
>(`query Domains($organizationId: ID!, $after: String) {
  organization(organizationId: $organizationId) {
    id domains(first: ${MAX_PAGE_SIZE}, after: $after) { nodes { ${DOMAIN_FIELDS} } ${PAGE_INFO} }
  }
}`);

const ADD_DOMAIN = operation<
  { addDomain: (Domain & { __typename: 'Domain' }) | InvalidDomain | InvalidInput },
  Schema.MutationAddDomainArgs
>(`mutation AddDomain($organizationId: ID!, $name: String!) {
  addDomain(organizationId: $organizationId, name: $name) {
    ${PROBLEM_FIELDS} ... on InvalidDomain { domain } ... on InvalidInput { field }
    ... on Domain { ${DOMAIN_FIELDS} }
  }
}`);

const VERIFY_DOMAIN = operation<{ verifyDomain: Domain }, Schema.MutationVerifyDomainArgs>(
  `mutation VerifyDomain($domainId: ID!) { verifyDomain(domainId: $domainId) { ${DOMAIN_FIELDS} } }`,
);

const REMOVE_DOMAIN = operation<
  { removeDomain: { domain: Pick<Domain, 'id' | 'name'> } },
  Schema.MutationRemoveDomainArgs
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
