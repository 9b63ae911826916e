/**
 * GraphiQL's transport: POST /graphql with the session cookie and the page's CSRF token, as the
 * portal sends it, so a signed-in developer queries as themselves.
 */
import type { ExecutionResult } from 'graphql';
import { readCsrfToken } from '../shared/api.js';

export interface GraphQLParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

/** A fetcher for `<GraphiQL fetcher>`: the JSON answer as the server sent it, errors included. */
export function graphqlFetcher(
  doc: Document,
  endpoint = '/graphql',
): (params: GraphQLParams) => Promise<ExecutionResult> {
  const csrfToken = readCsrfToken(doc);
  return async (params) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRF-Token': csrfToken,
      },
      body: JSON.stringify(params),
    });
    return (await response.json()) as ExecutionResult;
  };
}
