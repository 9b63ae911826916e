import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, sentRequest, stubFetch } from '../testing/fetch-stub.js';
import { setCsrfMeta } from '../testing/fixture.js';
import {
  ApiClient,
  ApiError,
  NETWORK_ERROR_MESSAGE,
  SERVER_ERROR_MESSAGE,
  readCsrfToken,
} from './api.js';

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('ApiClient', () => {
  describe('requests', () => {
    it('posts JSON with the CSRF token, same-origin credentials and a JSON Accept', async () => {
      const fetch = stubFetch(jsonResponse(200, { ok: true }));
      const answer = await new ApiClient('tok').post('/a/auth/api/email', { email: 'a@b.com' });
      const request = sentRequest(fetch);

      expect(answer).toEqual({ ok: true });
      expect(request.method).toBe('POST');
      expect(request.headers).toMatchObject({
        'x-csrf-token': 'tok',
        'content-type': 'application/json',
        accept: 'application/json',
      });
      expect(request.credentials).toBe('same-origin');
      expect(request.body).toEqual({ email: 'a@b.com' });
    });

    it('sends an embedded widget\'s requests to Tenantry with its current token and no cookies', async () => {
      const fetch = stubFetch(jsonResponse(200, { ok: true }), jsonResponse(200, { ok: true }));
      let token = 'first';
      const client = ApiClient.remote({ origin: 'https://id.example.com', token: () => token });
      await client.post('/graphql', { query: '{ __typename }' });
      token = 'renewed';
      await client.post('/graphql', { query: '{ __typename }' });
      const [first, second] = fetch.mock.calls.map(([url, init]) => ({ url, init }));

      expect(first.url).toBe('https://id.example.com/graphql');
      expect(first.init?.credentials).toBe('omit');
      expect(first.init?.headers).toMatchObject({ Authorization: 'Bearer first' });
      expect(first.init?.headers).not.toHaveProperty('X-CSRF-Token');
      expect(second.init?.headers).toMatchObject({ Authorization: 'Bearer renewed' });
    });

    it('gets without a body or CSRF header', async () => {
      const fetch = stubFetch(jsonResponse(200, { organizations: [] }));
      await new ApiClient('tok').get('/a/auth/api/organizations');
      const request = sentRequest(fetch);

      expect(request.method).toBe('GET');
      expect(request.body).toBeUndefined();
      expect(request.headers['x-csrf-token']).toBeUndefined();
    });

    it("reads the token from the page's csrf-token meta", async () => {
      setCsrfMeta('from-meta');
      const fetch = stubFetch(jsonResponse(200, {}));
      await ApiClient.fromDocument().post('/x', {});

      expect(readCsrfToken()).toBe('from-meta');
      expect(sentRequest(fetch).headers['x-csrf-token']).toBe('from-meta');
    });

    it('reads an empty token when the page has none', () => {
      expect(readCsrfToken()).toBe('');
    });
  });

  describe('errors', () => {
    it("carries the server's status, code, message and attempts left", async () => {
      stubFetch(
        jsonResponse(400, { error: 'invalid_code', message: 'Wrong code.', attempts_left: 2 }),
      );
      const error = await caught(new ApiClient('t').post('/a/auth/api/code', {}));

      expect(error).toMatchObject({
        status: 400,
        code: 'invalid_code',
        message: 'Wrong code.',
        attemptsLeft: 2,
        retryAfter: null,
      });
    });

    it('takes retry_after from the body before the Retry-After header', async () => {
      stubFetch(
        jsonResponse(429, { error: 'rate_limited', message: 'Slow.', retry_after: 12 }, {
          'Retry-After': '60',
        }),
      );
      const error = await caught(new ApiClient('t').post('/x', {}));

      expect(error.retryAfter).toBe(12);
    });

    it('takes the Retry-After header when the body has none', async () => {
      stubFetch(jsonResponse(429, { error: 'rate_limited', message: 'Slow.' }, { 'Retry-After': '7' }));
      const error = await caught(new ApiClient('t').post('/x', {}));

      expect(error.retryAfter).toBe(7);
    });

    it('explains a failure whose body is not JSON, such as a proxy error page', async () => {
      stubFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
      const error = await caught(new ApiClient('t').post('/x', {}));

      expect(error).toMatchObject({ status: 502, code: 'server_error', message: SERVER_ERROR_MESSAGE });
    });

    it('treats a 2xx answer that is not JSON as a server error', async () => {
      stubFetch(new Response('OK', { status: 200 }));
      const error = await caught(new ApiClient('t').get('/x'));

      expect(error.code).toBe('server_error');
    });

    it('explains a lost connection', async () => {
      vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
      const error = await caught(new ApiClient('t').get('/x'));

      expect(error).toMatchObject({ status: 0, code: 'network_error', message: NETWORK_ERROR_MESSAGE });
    });

    it('lets an abort through untouched', async () => {
      const abort = new DOMException('The operation was aborted.', 'AbortError');
      vi.stubGlobal('fetch', vi.fn().mockRejectedValue(abort));

      await expect(new ApiClient('t').get('/x')).rejects.toBe(abort);
    });
  });
});
