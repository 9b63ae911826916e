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
      text: 'Users at /Users (with the enterprise extension) and Groups at /Groups: create with POST, read, list with filter, sortBy and paging (startIndex and count, 200 a page at most), replace with PUT, change with PATCH (add, remove, replace, with value filters), delete with DELETE; discovery at /ServiceProviderConfig, /ResourceTypes and /Schemas. Filters: eq, ne, co, sw, ew, pr, gt, ge, lt, le with and, or, not, such as userName eq "ada@example.com". meta.version is a weak ETag and If-Match is honoured. Not offered: /Bulk, /Me, passwords and nested groups.',
    },
    {
      title: 'Test the connection',
      text: 'Test with GET /Users?filter=userName eq "…" (or count=1): it needs the token, so a wrong or revoked one is answered 401. /ServiceProviderConfig answers without a token, so it shows only that the address is right.',
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
