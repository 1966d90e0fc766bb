// Lint enforces the architecture: env is read in one module, the database is reached
// only through services, and no suppressions stand in for fixes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/.svelte-kit/**', '**/.turbo/**', 'drizzle/**', 'test/artifacts/**', '**/*.svelte'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read the environment only in apps/server/src/config.ts; pass a Config' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['apps/server/src/routes/**', 'apps/server/src/http/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@concord/db', 'drizzle-orm', 'drizzle-orm/*'], message: 'routes call services; only services touch the database', allowTypeImports: true }] },
      ],
    },
  },
  {
    // PostgreSQL cannot store NUL in text: every string a request carries goes through text() (packages/shared/src/schemas/common.ts).
    files: ['packages/shared/src/schemas/**', 'apps/server/src/routes/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='z'][callee.property.name='string']", message: 'use text() from @concord/shared: it refuses NUL bytes, which PostgreSQL cannot store' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', '.ci/**', '**/vitest.config.ts', '**/vite.config.ts', '**/svelte.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
