import { defineConfig } from 'vite';
import { precompress } from './build/compress.js';

/**
 * The embeddable widgets, built apart into dist/embed/: apps load `embed.js` by a name that
 * never changes (the host serves it with revalidation), and it imports its hashed chunks by
 * addresses relative to itself (`base: './'`), so they load from Tenantry's origin whatever page
 * embeds them. Each widget's portal element is a chunk of its own, loaded when first shown.
 */
export default defineConfig({
  base: './',
  plugins: [precompress()],
  build: {
    outDir: 'dist/embed',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { embed: 'src/embed/main.ts' },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
