import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'artifacts/**'],
    // Each file starts real server processes (PGlite opens slowly on a busy machine) and a browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The demo study is seeded once per run and copied for each server (helpers/global-setup.ts).
    globalSetup: ['helpers/global-setup.ts'],
  },
});
