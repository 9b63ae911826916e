/**
 * A fake /graphql at the fetch boundary: answers each operation by its name, so a test states
 * what the server says to `Viewer` or `RemoveMember` whatever order the elements ask in. A
 * request to another endpoint, such as `/a/auth/api/passkey/verify`, is named by its path,
 * answered with plain JSON, and its body read back as its `variables`.
 */
import { vi } from 'vitest';
import { jsonResponse, requestUrl, type FetchMock } from './fetch-stub.js';

type Variables = Record<string, unknown>;

/** `data` to wrap as `{data}`, a whole `Response`, or a function of the variables giving either. */
export type Answer =
  | Response
  | Record<string, unknown>
  | ((variables: Variables) => Response | Record<string, unknown> | Promise<Response>);

export interface SentOperation {
  name: string;
  query: string;
  variables: Variables;
  headers: Record<string, string>;
}

/**
 * Replaces fetch with a GraphQL server answering `answers[operationName]`. A list is answered
 * in order, its last entry repeating; an operation with no answer fails the test.
 */
export function stubGraphQL(answers: Record<string, Answer | Answer[]>): FetchMock {
  const calls = new Map<string, number>();
  const mock: FetchMock = vi.fn(async (url, init) => {
    const { name, variables } = parse(requestUrl(url), init?.body);
    const planned = answers[name];
    if (planned === undefined) throw new Error(`No stubbed answer for the ${name} operation`);
    const count = calls.get(name) ?? 0;
    calls.set(name, count + 1);
    const list = Array.isArray(planned) ? planned : [planned];
    const answer = list[Math.min(count, list.length - 1)];
    const given = typeof answer === 'function' ? await answer(variables) : answer;
    if (given instanceof Response) return given.clone();
    return jsonResponse(200, name.startsWith('/') ? given : { data: given });
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** A GraphQL error as Strawberry sends it: HTTP 200 with `errors[].extensions.code`. */
export function graphqlError(code: string | null, message = 'Something failed.'): Response {
  return jsonResponse(200, {
    data: null,
    errors: [{ message, ...(code ? { extensions: { code } } : {}) }],
  });
}

/** An answer that waits until `resolve` is called, to observe busy states. */
export function deferred(): {
  answer: () => Promise<Response>;
  resolve: (response: Response) => void;
} {
  let resolve!: (response: Response) => void;
  const promise = new Promise<Response>((done) => (resolve = done));
  return { answer: () => promise, resolve };
}

/** Every operation the fake server received, in order. */
export function sentOperations(mock: FetchMock): SentOperation[] {
  return mock.mock.calls.map(([url, init]) => ({
    ...parse(requestUrl(url), init?.body),
    headers: Object.fromEntries(
      [...new Headers(init?.headers).entries()].map(([key, value]) => [key.toLowerCase(), value]),
    ),
  }));
}

/** The operations named `name` that the fake server received. */
export function sentNamed(mock: FetchMock, name: string): SentOperation[] {
  return sentOperations(mock).filter((operation) => operation.name === name);
}

function parse(url: string, body: unknown): { name: string; query: string; variables: Variables } {
  // an embedded widget calls Tenantry's /graphql by its full address
  if (url !== '/graphql' && !/^https?:\/\/[^/]+\/graphql$/.test(url)) {
    return { name: url, query: '', variables: body ? (JSON.parse(bodyText(body)) as Variables) : {} };
  }
  const { query, variables } = JSON.parse(bodyText(body)) as { query: string; variables: Variables };
  const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
  return { name, query, variables };
}

/** The JSON text the clients under test send; anything else is a mistake in the test. */
function bodyText(body: unknown): string {
  if (typeof body !== 'string') throw new Error('Expected a JSON string body');
  return body;
}
