/**
 * The portal's GraphQL transport: POST /graphql with the page's CSRF token, typed by operation.
 * Three kinds of failure reach the elements as one `ApiError`, so `RequestController` shows any
 * of them: transport errors, `errors[]` coded by the server, and the `Problem` members of a
 * mutation's result union (as `ProblemError`). A session that ended reloads the page, and the
 * server sends the person to sign in.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type * as Schema from '../generated/graphql.js';
import { ApiClient, ApiError, SERVER_ERROR_MESSAGE } from '../shared/api.js';

/**
 * One of the portal's operations as `npm run codegen` writes it (`…Document` in
 * src/generated/graphql.ts, from src/portal/operations/*.graphql): the text sent, typed with its
 * result and variables, and checked against the SDL when generated.
 */
export type Operation<TData, TVariables> = DocumentTypeDecoration<TData, TVariables> & {
  toString(): string;
};

/** What every expected failure of a mutation carries (`interface Problem` in the SDL). */
export type Problem = Schema.ProblemFieldsFragment & { __typename: string };

/**
 * A mutation answered with one of its expected failures, such as `LastAdmin`; `problem` keeps
 * the member's own fields (`InvalidDomain.domain`, `InvalidInput.field`) for the form to mark.
 */
export class ProblemError extends ApiError {
  constructor(readonly problem: Problem & Readonly<Record<string, unknown>>) {
    super({ status: 200, code: problem.code, message: problem.message });
  }
}

/**
 * The success member of a result union, or a `ProblemError` for anything else: a union member
 * this client does not know yet is a failure too, never silently taken for success.
 */
export function unwrap<T extends { __typename: string }, S extends T['__typename']>(
  result: T,
  success: S,
): Extract<T, { __typename: S }> {
  if (result.__typename === success) return result as Extract<T, { __typename: S }>;
  const problem = result as Partial<Problem>;
  throw new ProblemError({
    ...(result as object),
    __typename: result.__typename,
    code: typeof problem.code === 'string' ? problem.code : 'UNEXPECTED_RESULT',
    message:
      typeof problem.message === 'string' && problem.message
        ? problem.message
        : SERVER_ERROR_MESSAGE,
  });
}

export const FORBIDDEN_MESSAGE =
  "You don't have permission to do that in this organization. Ask one of its admins if you need to.";
/** What a person reads when /graphql refused this minute's request (RATE_LIMITED, HTTP 429). */
export function rateLimitedMessage(retryAfter: number | null): string {
  const wait = retryAfter ?? 60;
  const seconds = `${wait} second${wait === 1 ? '' : 's'}`;
  return `Too many requests from you this minute. Try again in ${seconds}.`;
}

function rateLimited(retryAfter: number | null): ApiError {
  return new ApiError({
    status: 429,
    code: 'RATE_LIMITED',
    message: rateLimitedMessage(retryAfter),
    retryAfter,
  });
}

export const SESSION_ENDED_MESSAGE = 'Your session has ended. Taking you to sign in…';
export const SESSION_UNCONFIRMED_MESSAGE =
  'We could not confirm your session. Reload the page, or sign out and sign in again.';

/** Reloads sooner than this after the last reload are refused, so a bad cookie cannot loop. */
export const RELOAD_GUARD_MS = 10_000;
const RELOADED_AT = 'tn-portal-reloaded-at';

/**
 * Reloads the page so the server can send the person to sign in; answers false instead when
 * this tab reloaded for the same reason moments ago (a session or CSRF cookie the browser will
 * not keep would otherwise reload forever).
 */
export function reloadForSignIn(now: number = Date.now()): boolean {
  try {
    const last = Number(window.sessionStorage.getItem(RELOADED_AT) ?? 0);
    if (now - last < RELOAD_GUARD_MS) return false;
    window.sessionStorage.setItem(RELOADED_AT, String(now));
  } catch {
    // No session storage (a privacy mode): reload without the guard.
  }
  window.location.reload();
  return true;
}

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: { code?: unknown } | null;
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLErrorBody[] | null;
}

/** Codes whose server message is written for people; others get a plain apology. */
const SPOKEN_CODES = new Set(['NOT_FOUND', 'BAD_REQUEST']);

export class GraphQLClient {
  constructor(
    private readonly api: ApiClient = ApiClient.fromDocument(),
    /** Called once the server says the session is gone; answers whether the page reloads. */
    private readonly onSessionEnded: () => boolean = reloadForSignIn,
    private readonly endpoint = '/graphql',
  ) {}

  async request<TData, TVariables>(
    document: Operation<TData, TVariables>,
    variables: TVariables,
    options: { signal?: AbortSignal } = {},
  ): Promise<TData> {
    let body: GraphQLResponse<TData>;
    try {
      body = await this.api.post<GraphQLResponse<TData>>(
        this.endpoint,
        { query: document.toString(), variables },
        options,
      );
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        throw this.sessionEnded();
      }
      if (error instanceof ApiError && error.status === 429) throw rateLimited(error.retryAfter);
      throw error;
    }
    const [first] = body.errors ?? [];
    if (first) throw this.errorFrom(first);
    if (body.data === null || body.data === undefined) {
      throw new ApiError({ status: 200, code: 'server_error', message: SERVER_ERROR_MESSAGE });
    }
    return body.data;
  }

  private errorFrom(error: GraphQLErrorBody): ApiError {
    const code =
      typeof error.extensions?.code === 'string' ? error.extensions.code : 'server_error';
    if (code === 'UNAUTHENTICATED') return this.sessionEnded();
    const spoken = SPOKEN_CODES.has(code) && typeof error.message === 'string' && error.message;
    const message =
      code === 'FORBIDDEN'
        ? FORBIDDEN_MESSAGE
        : spoken
          ? (error.message as string)
          : SERVER_ERROR_MESSAGE;
    return new ApiError({ status: 200, code, message });
  }

  private sessionEnded(): ApiError {
    const message = this.onSessionEnded() ? SESSION_ENDED_MESSAGE : SESSION_UNCONFIRMED_MESSAGE;
    return new ApiError({ status: 401, code: 'UNAUTHENTICATED', message });
  }
}

/** A page of a list the server pages (`…Connection` in the SDL). */
export interface Connection<T> {
  nodes: T[];
  pageInfo: Schema.PageInfoFieldsFragment;
}

/** Pages followed at most: a list past this many pages is a directory to search, not to show. */
export const MAX_PAGES = 20;

/**
 * Every node of a list: the page already read, then `next(endCursor)` until the last page (or
 * `MAX_PAGES`), so the elements keep working with whole lists of what people hold.
 */
export async function allNodes<T>(
  page: Connection<T>,
  next: (after: string) => Promise<Connection<T>>,
): Promise<T[]> {
  const nodes = [...page.nodes];
  let current = page;
  for (let read = 1; read < MAX_PAGES; read++) {
    const cursor = current.pageInfo.endCursor;
    if (!current.pageInfo.hasNextPage || !cursor) break;
    current = await next(cursor);
    nodes.push(...current.nodes);
  }
  return nodes;
}
