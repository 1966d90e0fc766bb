import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite boots in seconds, and slower under parallel load on 2 cores (STACK.md).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
