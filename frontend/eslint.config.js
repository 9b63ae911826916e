// ESLint for the Lit elements: typescript-eslint's type-checked rules, Lit's template rules and
// the web-component rules. `npm run lint` runs it with codegen:check and lit-analyzer.
import js from '@eslint/js';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-examples/', 'examples/embed-html/', 'src/generated/', 'src/locales/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  wcConfigs['flat/recommended'],
  litConfigs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // `const { __typename: _, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Lit binds `@event=${this.handler}` listeners to the host element, and vitest's
      // `expect(mock)` only reads a method: neither loses `this`, which the rule cannot see.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'build/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
