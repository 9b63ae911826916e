import { describe, expect, it } from 'vitest';
import { jsonResponse, sentRequest, stubFetch } from '../testing/fetch-stub.js';
import { setCsrfMeta } from '../testing/fixture.js';
import { graphqlFetcher } from './fetcher.js';

describe('graphqlFetcher', () => {
  it("posts the query with the page's CSRF token and the session cookie, as the portal does", async () => {
    setCsrfMeta('page-token');
    const fetch = stubFetch(jsonResponse(200, { data: { viewer: null } }));

    await graphqlFetcher(document)({ query: '{ viewer { user { email } } }', variables: { a: 1 } });
    const request = sentRequest(fetch);

    expect(request.url).toBe('/graphql');
    expect(request.method).toBe('POST');
    expect(request.credentials).toBe('same-origin');
    expect(request.headers).toMatchObject({
      'x-csrf-token': 'page-token',
      'content-type': 'application/json',
    });
    expect(request.body).toEqual({ query: '{ viewer { user { email } } }', variables: { a: 1 } });
  });

  it("hands GraphiQL the server's answer as sent, errors included", async () => {
    setCsrfMeta('page-token');
    const refusal = { errors: [{ message: 'No.', extensions: { code: 'FORBIDDEN' } }] };
    stubFetch(jsonResponse(403, refusal));

    await expect(graphqlFetcher(document)({ query: '{ roles { key } }' })).resolves.toEqual(refusal);
  });
});
