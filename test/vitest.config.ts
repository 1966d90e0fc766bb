import { defineConfig } from 'vitest/config';
import E2eSequencer from './helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'artifacts/**'],
    // Each file starts real server processes (PGlite opens slowly on a busy machine) and a browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time: a file spends much of its time waiting (a server's start, page loads,
    // live updates), and two workers fill each other's waits. Each file has its own server, data
    // directory or database, and its own browser contexts in the shared Chromium; the sequencer
    // (helpers/sequencer.ts) starts the longest first and keeps the CLI bundle's rebuild apart.
    // `vitest run --maxWorkers=1` runs them one at a time again (bench/test-cpu-reporter.ts needs that).
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: E2eSequencer },
    // Each worker runs its files one after the other and keeps its imported modules (playwright-core,
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
