import { defineConfig } from 'vite';
import { precompress } from './build/compress.js';

/**
 * GraphiQL for /graphql in development, built apart from the hosted pages into dist/graphiql/:
 * React and Monaco never enter the portal's chunks, and the page names graphiql.js and
 * graphiql.css directly. Monaco's editor, JSON and GraphQL workers become files of their own
 * under the same origin, which the CSP's `script-src 'self'` allows. The names carry no hashes
 * (it is a development page: the host serves dist/graphiql/ with a short cache instead), and
 * every file is precompressed like the hosted pages' (Monaco is megabytes).
 */
export default defineConfig({
  base: '/static/graphiql/',
  plugins: [precompress()],
  build: {
    outDir: 'dist/graphiql',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 8192,
    rolldownOptions: {
      input: { graphiql: 'src/graphiql/main.ts' },
      // React libraries mark modules "use client", which means nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.names.includes('graphiql.css') ? '[name][extname]' : 'assets/[name][extname]',
      },
    },
  },
  worker: {
    format: 'es',
    rolldownOptions: { output: { entryFileNames: 'workers/[name].js' } },
  },
});
