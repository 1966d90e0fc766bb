// Lint enforces the architecture: env is read in one module, the database is reached
// only through services, no module imports itself back through a cycle, Svelte components
// are linted like the rest, and no suppressions stand in for fixes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import svelteConfig from './apps/web/svelte.config.js';

const webLib = fileURLToPath(new URL('./apps/web/src/lib', import.meta.url));

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/.svelte-kit/**', '**/.turbo/**', 'drizzle/**', 'test/artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
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
    files: ['apps/web/**/*.svelte', 'apps/web/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
    rules: {
      // The app is served at the root (no kit.paths.base), so resolve() would return every
      // path unchanged; links and goto() take plain paths.
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
  {
    // The report's charts inline the server's chart SVG; @concord/charts escapes every text it writes (escapeXml).
    files: ['apps/web/src/lib/components/ReportCharts.svelte'],
    rules: { 'svelte/no-at-html-tags': 'off' },
  },
  {
    // No runtime import cycles in the sources (imports of types only do not count: they are
    // erased). Components importing components are not followed (import-x cannot read them).
    files: ['apps/*/src/**/*.ts', 'apps/*/src/**/*.svelte', 'packages/*/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ alias: { $lib: [webLib] }, extensions: ['.ts', '.js', '.svelte', '.json'] })],
      'import-x/extensions': ['.ts', '.js', '.svelte'],
      // Dependencies are read with the TypeScript parser, also when a component is linted.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.js'] },
      // Components are not parsed (the TypeScript parser cannot read them): a .ts module's import()
      // of a component (the lazily loaded ones, $lib/coding/deferred.ts) is not followed either.
      'import-x/ignore': ['node_modules', '\\.svelte$'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Every layer above services, the demo seed included (it writes through the verbs, so the audit log covers it).
    // Not cli/: a one-shot command opens and migrates the database itself (createDb, migrate) before calling services.
    files: ['apps/server/src/routes/**', 'apps/server/src/http/**', 'apps/server/src/realtime/**', 'apps/server/src/collab/**', 'apps/server/src/demo/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@concord/db', 'drizzle-orm', 'drizzle-orm/*'], message: 'routes and socket handlers call services; only services touch the database', allowTypeImports: true }] },
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
    // One service convention: an exported verb takes one object, `verb({ ctx, …ids, input })` (apps/server/README.md).
    // inTransaction(ctx, fn) is the combinator that runs a callback in a transaction, not a verb.
    files: ['apps/server/src/services/**/*.ts'],
    ignores: ['**/*.test.ts', 'apps/server/src/services/context.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'ExportNamedDeclaration > FunctionDeclaration',
          'ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > ArrowFunctionExpression',
          'ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > FunctionExpression',
        ].map((fn) => ({
          selector: `${fn}[params.0.type='Identifier'][params.0.name=/^(ctx|tx)$/]`,
          message: 'a service verb takes one object: verb({ ctx, …ids, input }) (apps/server/README.md)',
        })),
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', '.ci/**', '**/vitest.config.ts', '**/vite.config.ts', '**/svelte.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
