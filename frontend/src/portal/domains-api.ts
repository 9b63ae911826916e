/**
 * The organization's claimed domains (verified by a DNS TXT record), through the operations of
 * operations/domains.graphql (typed by `npm run codegen`). Mutations return their success type
 * or throw `ProblemError`.
 */
import {
  AddDomainDocument,
  DomainsDocument,
  RemoveDomainDocument,
  VerifyDomainDocument,
  type DomainFieldsFragment,
  type DomainStatus as SchemaDomainStatus,
} from '../generated/graphql.js';
import { GraphQLClient, allNodes, unwrap } from './graphql.js';

export type DomainStatus = SchemaDomainStatus;

/** A domain the organization claims (`DomainFields` in operations/domains.graphql). */
export type Domain = DomainFieldsFragment;

type Options = { signal?: AbortSignal };

export class DomainsApi {
  constructor(private readonly client: GraphQLClient = new GraphQLClient()) {}

  /** The organization's domains, by name (`sk_org_settings_read` and the feature). */
  async domains(organizationId: string, options: Options = {}): Promise<Domain[]> {
    const read = async (after: string | null) =>
      (await this.client.request(DomainsDocument, { organizationId, after }, options)).organization.domains;
    return allNodes(await read(null), read);
  }

  /** Claims `name`: a pending domain with the TXT record to publish. */
  async addDomain(input: { organizationId: string; name: string }): Promise<Domain> {
    const { addDomain } = await this.client.request(AddDomainDocument, input);
    const { __typename: _, ...domain } = unwrap(addDomain, 'Domain');
    return domain;
  }

  /** Looks for the TXT record now; answers the domain as it stands afterwards. */
  async verifyDomain(domainId: string): Promise<Domain> {
    return (await this.client.request(VerifyDomainDocument, { domainId })).verifyDomain;
  }

  async removeDomain(domainId: string): Promise<void> {
    await this.client.request(RemoveDomainDocument, { domainId });
  }
}
