import { attributes, type ScimGuide } from './guide.js';

/** Any SCIM 2.0 client (RFC 7643, 7644): what we speak, for a provider or connector not listed. */
export const generic: ScimGuide = {
  id: 'GENERIC',
  label: 'Other (SCIM 2.0)',
  fieldLabels: { baseUrl: 'SCIM base URL', token: 'Bearer token' },
  steps: [
    {
      title: 'Give your provider our address and token',
      text: 'In your identity provider or provisioning connector, create a SCIM 2.0 connection. Give it our base URL, and have it authenticate every request with the HTTP header "Authorization: Bearer" followed by the token.',
      values: ['baseUrl', 'token'],
    },
    {
      title: 'What we support',
      text: 'Users at /Users and Groups at /Groups (create with POST, read, list with filter and paging, replace with PUT, change with PATCH, delete with DELETE), and discovery at /ServiceProviderConfig, /ResourceTypes and /Schemas. Filters: eq, ne, co, sw, ew, pr, gt, ge, lt, le with and, or, not, such as userName eq "ada@example.com". No bulk operations, no sorting, no ETags.',
    },
    {
      title: 'Test the connection',
      text: 'Most clients test with GET /Users?filter=userName eq "…" or GET /ServiceProviderConfig. A wrong or revoked token is answered 401; the request then shows in the provisioning log below as failed.',
    },
  ],
  attributes: attributes({
    userName: 'the person\'s sign-in email',
    'emails[type eq "work"].value': 'the work email',
    'name.givenName': 'first name',
    'name.familyName': 'last name',
    active: 'true, or false to suspend',
    externalId: 'your provider\'s stable id',
  }),
  groups:
    'Push groups as Group resources with their members (members[].value is our User id); PATCH add and remove of members is supported.',
  firstPush:
    'Create one user with POST /Users: it appears in the provisioning log and under Users below, and the person becomes a member with the default role. Then push the rest.',
};
