import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'artifacts/**'],
    // Each file starts real server processes (PGlite opens slowly on a busy machine) and a browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // In order: the server's production bundle (helpers/build-server.ts), then the demo study,
    // seeded once per run by that bundle and copied for each server (helpers/global-setup.ts),
    // then the one Chromium every browser test file connects to (helpers/chromium-setup.ts).
    globalSetup: ['helpers/build-server.ts', 'helpers/global-setup.ts', 'helpers/chromium-setup.ts'],
  },
});
