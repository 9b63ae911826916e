import { defineConfig } from 'vitest/config';

/**
 * One named entry per hosted page family; the Python host serves dist/ at /static/
 * and its HTML shells name these files directly, so the names carry no hashes.
 */
const entries = {
  auth: 'src/auth/main.ts',
  portal: 'src/portal/main.ts',
};

export default defineConfig({
  base: '/static/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: entries,
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name].js',
        // Lit, the bundler's helpers and src/shared, which every page family loads: one chunk.
        codeSplitting: {
          groups: [{ name: 'shared', test: /[\\/](node_modules|src[\\/]shared)[\\/]|^\0|@oxc-project/ }],
        },
        assetFileNames: '[name][extname]',
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
