/**
 * A small JSON client for Tenantry's same-origin APIs. Every failure, including a lost
 * connection or a proxy's HTML error page, becomes one `ApiError` that can be shown as is.
 */
import { msg } from '@lit/localize';

/** The error body every Tenantry JSON endpoint returns with a non-2xx status. */
interface ErrorBody {
  error?: unknown;
  message?: unknown;
  attempts_left?: unknown;
  retry_after?: unknown;
}

/** A failed request, carrying the server's error code and a message meant for people. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The server's machine-readable code, such as `invalid_code` or `rate_limited`. */
  readonly code: string;
  /** How many more codes may be tried, when the server says. */
  readonly attemptsLeft: number | null;
  /** Seconds to wait before trying again, from the body or the Retry-After header. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    attemptsLeft?: number | null;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.attemptsLeft = init.attemptsLeft ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }
}

/** The English text of `networkErrorMessage()`, for callers not yet localized. */
export const NETWORK_ERROR_MESSAGE =
  "We couldn't reach the server. Check your connection and try again.";
/** The English text of `serverErrorMessage()`, for callers not yet localized. */
export const SERVER_ERROR_MESSAGE =
  'Something went wrong on our side. Wait a moment and try again.';

/** The request never reached the server, in the page's language. */
export function networkErrorMessage(): string {
  return msg("We couldn't reach the server. Check your connection and try again.", {
    id: 'api.error.network',
  });
}

/** The server failed without a message of its own, in the page's language. */
export function serverErrorMessage(): string {
  return msg('Something went wrong on our side. Wait a moment and try again.', {
    id: 'api.error.server',
  });
}

/** Reads the token the server put in `<meta name="csrf-token">`; empty when there is none. */
export function readCsrfToken(doc: Document = document): string {
  return doc.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

/**
 * Where a widget embedded in another site's page sends its requests: Tenantry's origin, with a
 * bearer widget token (read when each request is sent, so a renewed token is used at once) and
 * no cookies.
 */
export interface RemoteTenantry {
  origin: string;
  token: () => string;
}

/** Sends JSON to same-origin endpoints with the CSRF header on every POST, or, for an embedded
 * widget, to Tenantry's origin with its bearer token. */
export class ApiClient {
  constructor(
    private readonly csrfToken: string,
    private readonly remote: RemoteTenantry | null = null,
  ) {}

  /** A client for a widget embedded in another origin's page. */
  static remote(remote: RemoteTenantry): ApiClient {
    return new ApiClient('', remote);
  }

  /** A client using the CSRF token of the page it runs in. */
  static fromDocument(doc: Document = document): ApiClient {
    return new ApiClient(readCsrfToken(doc));
  }

  get<T>(path: string, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.send<T>(path, { method: 'GET', signal: options.signal });
  }

  post<T>(path: string, body: object, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.send<T>(path, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: options.signal,
      headers: { 'Content-Type': 'application/json', ...this.credentials() },
    });
  }

  private credentials(): Record<string, string> {
    return this.remote
      ? { Authorization: `Bearer ${this.remote.token()}` }
      : { 'X-CSRF-Token': this.csrfToken };
  }

  private async send<T>(
    path: string,
    init: { method: string; body?: string; signal?: AbortSignal; headers?: Record<string, string> },
  ): Promise<T> {
    let response: Response;
    try {
      response = await globalThis.fetch(this.remote ? `${this.remote.origin}${path}` : path, {
        method: init.method,
        body: init.body,
        signal: init.signal,
        credentials: this.remote ? 'omit' : 'same-origin',
        headers: { Accept: 'application/json', ...init.headers },
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError({ status: 0, code: 'network_error', message: networkErrorMessage() });
    }
    const body = await readJson(response);
    if (response.ok && body !== undefined) return body as T;
    throw errorFrom(response, body);
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function errorFrom(response: Response, body: unknown): ApiError {
  const fields: ErrorBody = typeof body === 'object' && body !== null ? body : {};
  const message = typeof fields.message === 'string' && fields.message ? fields.message : null;
  return new ApiError({
    status: response.status,
    code: typeof fields.error === 'string' ? fields.error : 'server_error',
    message: message ?? serverErrorMessage(),
    attemptsLeft: wholeNumber(fields.attempts_left),
    retryAfter: wholeNumber(fields.retry_after) ?? wholeNumber(response.headers.get('Retry-After')),
  });
}

function wholeNumber(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0
    ? Math.ceil(number)
    : null;
}
