/**
 * Fakes for `globalThis.fetch`, the browser boundary of every element: tests queue the
 * server's answers and then read back what was sent.
 */
import { vi, type Mock } from 'vitest';

export type FetchMock = Mock<typeof fetch>;

/** The address `fetch` was called with, whichever of its three forms the caller used. */
export function requestUrl(url: string | URL | Request): string {
  if (typeof url === 'string') return url;
  return url instanceof URL ? url.href : url.url;
}

/** A JSON answer as the server would send it. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** Replaces fetch with a mock answering `responses` in order (a function answers lazily). */
export function stubFetch(...responses: Array<Response | (() => Response | Promise<Response>)>): FetchMock {
  const mock: FetchMock = vi.fn();
  for (const response of responses) {
    mock.mockImplementationOnce(async () =>
      typeof response === 'function' ? response() : response,
    );
  }
  vi.stubGlobal('fetch', mock);
  return mock;
}

type EndpointAnswer = Response | (() => Response | Promise<Response>);

/**
 * Replaces fetch with a server answering each path from `answers`: a list is answered in
 * order, its last entry repeating; a path with no answer fails the test.
 */
export function stubEndpoints(
  answers: Record<string, EndpointAnswer | EndpointAnswer[]>,
): FetchMock {
  const calls = new Map<string, number>();
  const mock: FetchMock = vi.fn(async (url) => {
    const path = requestUrl(url);
    const planned = answers[path];
    if (planned === undefined) throw new Error(`No stubbed answer for ${path}`);
    const count = calls.get(path) ?? 0;
    calls.set(path, count + 1);
    const list = Array.isArray(planned) ? planned : [planned];
    const answer = list[Math.min(count, list.length - 1)];
    return (typeof answer === 'function' ? await answer() : answer).clone();
  });
  vi.stubGlobal('fetch', mock);
  return mock;
}

/** A fetch that stays pending until `resolve` is called, to observe the busy state. */
export function stubPendingFetch(): { mock: FetchMock; resolve: (response: Response) => void } {
  let resolve!: (response: Response) => void;
  const mock: FetchMock = vi.fn(
    () => new Promise<Response>((done) => (resolve = done)),
  );
  vi.stubGlobal('fetch', mock);
  return { mock, resolve: (response) => resolve(response) };
}

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

/** Every request the mock sent to `path`, in order. */
export function sentTo(mock: FetchMock, path: string): SentRequest[] {
  return mock.mock.calls
    .map((_, index) => sentRequest(mock, index))
    .filter((request) => request.url === path);
}

/** The `index`th request the mock received, with its JSON body parsed. */
export function sentRequest(mock: FetchMock, index = 0): SentRequest {
  const call = mock.mock.calls[index];
  if (!call) throw new Error(`fetch was called ${mock.mock.calls.length} times, not ${index + 1}`);
  const [url, init = {}] = call;
  return {
    url: requestUrl(url),
    method: init.method ?? 'GET',
    // Lower-cased here because happy-dom's Headers keeps the case it was given.
    headers: Object.fromEntries(
      [...new Headers(init.headers).entries()].map(([name, value]) => [name.toLowerCase(), value]),
    ),
    credentials: init.credentials,
    body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
  };
}
