/**
 * Entry of /static/graphiql/graphiql.js, loaded by the server's /graphql page in development:
 * GraphiQL from our own origin (no CDN, no inline script), so the strict CSP stays as it is.
 * Built by vite.graphiql.config.ts apart from the portal, which never loads React or Monaco.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { graphqlFetcher } from './fetcher.js';

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(createElement(GraphiQL, { fetcher: graphqlFetcher(document) }));
}
