import { describe, expect, it, vi } from 'vitest';
import { TypedDocumentString } from '../generated/graphql.js';
import { ApiClient, ApiError, NETWORK_ERROR_MESSAGE, SERVER_ERROR_MESSAGE } from '../shared/api.js';
import { jsonResponse, sentRequest, stubFetch } from '../testing/fetch-stub.js';
import { graphqlError } from '../testing/graphql-stub.js';
import {
  FORBIDDEN_MESSAGE,
  GraphQLClient,
  MAX_PAGES,
  ProblemError,
  RELOAD_GUARD_MS,
  SESSION_ENDED_MESSAGE,
  SESSION_UNCONFIRMED_MESSAGE,
  allNodes,
  rateLimitedMessage,
  reloadForSignIn,
  unwrap,
} from './graphql.js';

/** Not a portal operation: the transport sends any typed document as written. */
const HELLO = new TypedDocumentString<{ hello: string }, { name: string }>(
  'query Hello($name: String!) { hello(name: $name) }',
);

function client(onSessionEnded = vi.fn(() => true)) {
  return { client: new GraphQLClient(new ApiClient('tok'), onSessionEnded), onSessionEnded };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('GraphQLClient', () => {
  describe('requests', () => {
    it('posts the query and variables as JSON with the CSRF token and same-origin credentials', async () => {
      const fetch = stubFetch(jsonResponse(200, { data: { hello: 'Ada' } }));
      const data = await client().client.request(HELLO, { name: 'Ada' });
      const request = sentRequest(fetch);

      expect(data).toEqual({ hello: 'Ada' });
      expect(request.url).toBe('/graphql');
      expect(request.method).toBe('POST');
      expect(request.credentials).toBe('same-origin');
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'x-csrf-token': 'tok',
      });
      expect(request.body).toEqual({ query: HELLO.toString(), variables: { name: 'Ada' } });
    });
  });

  describe('errors', () => {
    it("shows the server's words for NOT_FOUND and BAD_REQUEST", async () => {
      stubFetch(graphqlError('NOT_FOUND', 'No such member.'));
      const error = await failure(client().client.request(HELLO, { name: 'x' }));

      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No such member.' });
    });

    it('explains FORBIDDEN in plain words rather than naming a permission key', async () => {
      stubFetch(graphqlError('FORBIDDEN', 'You need the sk_org_users_read permission.'));
      const error = await failure(client().client.request(HELLO, { name: 'x' }));

      expect(error).toMatchObject({ code: 'FORBIDDEN', message: FORBIDDEN_MESSAGE });
    });

    it('apologises for an error without a code, such as a masked one', async () => {
      stubFetch(graphqlError(null, 'Unexpected error.'));
      const error = await failure(client().client.request(HELLO, { name: 'x' }));

      expect(error).toMatchObject({ code: 'server_error', message: SERVER_ERROR_MESSAGE });
    });

    it('treats an answer without data as a server error', async () => {
      stubFetch(jsonResponse(200, { data: null }));
      const error = await failure(client().client.request(HELLO, { name: 'x' }));

      expect(error.message).toBe(SERVER_ERROR_MESSAGE);
    });

    it('passes transport failures through', async () => {
      vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
      const error = await failure(client().client.request(HELLO, { name: 'x' }));

      expect(error.message).toBe(NETWORK_ERROR_MESSAGE);
    });
  });

  describe('an ended session', () => {
    it('reloads the page on an UNAUTHENTICATED error', async () => {
      stubFetch(graphqlError('UNAUTHENTICATED', 'Sign in to use this.'));
      const { client: graphql, onSessionEnded } = client();
      const error = await failure(graphql.request(HELLO, { name: 'x' }));

      expect(onSessionEnded).toHaveBeenCalledOnce();
      expect(error.message).toBe(SESSION_ENDED_MESSAGE);
    });

    it.each([401, 403])('reloads the page on HTTP %i', async (status) => {
      stubFetch(jsonResponse(status, { detail: 'Missing or wrong X-CSRF-Token header' }));
      const { client: graphql, onSessionEnded } = client();
      await failure(graphql.request(HELLO, { name: 'x' }));

      expect(onSessionEnded).toHaveBeenCalledOnce();
    });

    it('reloads with window.location.reload by default', async () => {
      window.sessionStorage.clear();
      const reload = vi.spyOn(window.location, 'reload').mockImplementation(() => undefined);
      stubFetch(jsonResponse(401, {}));
      await failure(new GraphQLClient(new ApiClient('t')).request(HELLO, { name: 'x' }));

      expect(reload).toHaveBeenCalledOnce();
    });

    it('does not reload again moments after a reload, and says what to do instead', async () => {
      window.sessionStorage.clear();
      const reload = vi.spyOn(window.location, 'reload').mockImplementation(() => undefined);

      expect(reloadForSignIn(1_000_000)).toBe(true);
      expect(reloadForSignIn(1_000_000 + RELOAD_GUARD_MS - 1)).toBe(false);
      expect(reload).toHaveBeenCalledOnce();
      expect(reloadForSignIn(1_000_000 + RELOAD_GUARD_MS)).toBe(true);

      window.sessionStorage.clear();
      expect(reloadForSignIn()).toBe(true);
      stubFetch(graphqlError('UNAUTHENTICATED', 'Sign in.'));
      const error = await failure(
        new GraphQLClient(new ApiClient('t')).request(HELLO, { name: 'x' }),
      );
      expect(error.message).toBe(SESSION_UNCONFIRMED_MESSAGE);
    });
  });
});

describe('unwrap', () => {
  type Result =
    | { __typename: 'Member'; id: string }
    | { __typename: 'LastAdmin'; code: string; message: string };

  it('returns the success member', () => {
    const result = { __typename: 'Member', id: 'mem_1' } as Result;

    expect(unwrap(result, 'Member')).toBe(result);
  });

  it('throws a Problem as a ProblemError carrying its fields', () => {
    const result = {
      __typename: 'LastAdmin',
      code: 'LAST_ADMIN',
      message: 'Keep one admin.',
    } as Result;
    let thrown: unknown;
    try {
      unwrap(result, 'Member');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ProblemError);
    expect(thrown).toMatchObject({ code: 'LAST_ADMIN', message: 'Keep one admin.' });
    expect((thrown as ProblemError).problem.__typename).toBe('LastAdmin');
  });

  it('treats an unknown union member as a failure, not a success', () => {
    expect(() => unwrap({ __typename: 'Surprise' } as unknown as Result, 'Member')).toThrow(
      SERVER_ERROR_MESSAGE,
    );
  });
});

describe('allNodes', () => {
  const page = (nodes: number[], endCursor: string | null) => ({
    nodes,
    pageInfo: { hasNextPage: endCursor !== null, endCursor },
  });

  it('follows endCursor until the last page', async () => {
    const asked: string[] = [];
    const nodes = await allNodes(page([1, 2], 'c2'), (after) => {
      asked.push(after);
      return Promise.resolve(after === 'c2' ? page([3, 4], 'c4') : page([5], null));
    });

    expect(nodes).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual(['c2', 'c4']);
  });

  it(`stops after ${MAX_PAGES} pages of a list that never ends`, async () => {
    const next = vi.fn(() => Promise.resolve(page([0], 'again')));
    const nodes = await allNodes(page([0], 'again'), next);

    expect(nodes).toHaveLength(MAX_PAGES);
    expect(next).toHaveBeenCalledTimes(MAX_PAGES - 1);
  });
});

describe('a refusal for too many requests', () => {
  it('says when to try again, and keeps Retry-After for the buttons to wait', async () => {
    stubFetch(
      new Response(
        JSON.stringify({ errors: [{ message: 'Too many', extensions: { code: 'RATE_LIMITED' } }] }),
        { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '12' } },
      ),
    );
    const { client: graphql, onSessionEnded } = client();

    const error = await failure(graphql.request(HELLO, { name: 'Ada' }));

    expect(error.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfter).toBe(12);
    expect(error.message).toBe(rateLimitedMessage(12));
    expect(error.message).toContain('Try again in 12 seconds');
    expect(onSessionEnded).not.toHaveBeenCalled();
  });
});
