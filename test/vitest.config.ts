import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'artifacts/**'],
    // Each file starts real server processes (PGlite opens slowly on a busy machine) and a browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // One worker runs the files one after the other and keeps its imported modules (playwright-core,
    // the helpers, the server's test helpers) instead of importing them again for every file. No
    // file mocks a module, and the helpers register no hooks at their top level (browserSuite()
    // registers a file's own), so nothing of one file's set-up leaks into the next.
    isolate: false,
    // In order: the server's production bundle (helpers/build-server.ts), then the demo study,
    // seeded once per run by that bundle and copied for each server (helpers/global-setup.ts),
    // then the one Chromium every browser test file connects to (helpers/chromium-setup.ts).
    globalSetup: ['helpers/build-server.ts', 'helpers/global-setup.ts', 'helpers/chromium-setup.ts'],
  },
});
