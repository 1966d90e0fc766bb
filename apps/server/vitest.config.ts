import { defineConfig } from 'vitest/config';

// The PostgreSQL lane (`test:pg`) runs only what touches the database: test/ and the few unit
// tests named *.db.test.ts. The other unit tests in src/ never open a database, so they run
// identically on both lanes and run once, on the default one.
const postgresLane = process.env.CONCORD_TEST_TARGET === 'postgres';

export default defineConfig({
  test: {
    include: postgresLane ? ['src/**/*.db.test.ts', 'test/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite boots in seconds, and slower under parallel load on 2 cores (STACK.md).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One worker process runs file after file (2 cores: vitest starts one worker) and keeps its
    // imported modules: the server's module graph was imported anew for every file (100 s of
    // the PGlite lane's import time). Each file still opens its own database (harness.ts) and
    // the harness keeps no state between files; vi.mock is not used anywhere in this package.
    isolate: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
