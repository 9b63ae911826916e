import { defineConfig } from 'vite';

/**
 * The React example of embedding the widgets (examples/embed-react), built into
 * dist-examples/react/ for tests/e2e/test_embedded_widgets.py; not part of what Tenantry serves.
 */
export default defineConfig({
  root: 'examples/embed-react',
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist-examples/react',
    emptyOutDir: true,
    target: 'es2022',
  },
});
