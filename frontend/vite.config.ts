import { defineConfig } from 'vitest/config';
import { precompress } from './build/compress.js';
import { sizeReport } from './build/size-report.js';

/**
 * One named entry per hosted page family. Every emitted file carries a content hash, so the
 * host serves it as immutable; the host's HTML shells find today's names (and what to
 * modulepreload) in dist/.vite/manifest.json.
 */
const entries = {
  auth: 'src/auth/main.ts',
  portal: 'src/portal/main.ts',
};

export default defineConfig({
  base: '/static/',
  plugins: [precompress(), sizeReport()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    manifest: true,
    modulePreload: { polyfill: false },
    // The size report prints what matters (initial JS per page family); test_asset_budgets.py holds it.
    reportCompressedSize: false,
    rolldownOptions: {
      input: entries,
      output: {
        entryFileNames: '[name]-[hash].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Lit and the bundler's helpers, which every page loads: one chunk. Everything else
        // (src/shared, @simplewebauthn/browser, a page's own modules) goes where it is used, so
        // the portal's first download holds no passkey ceremony and the sign-in pages no portal.
        codeSplitting: {
          groups: [{ name: 'shared', test: /[\\/]node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]|^\0|@oxc-project/ }],
        },
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/testing/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
