import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: browser suites and CLI runs are heavy, keep parallelism low.
    maxWorkers: 2,
    // Builds the app once per run for the browser tests (test/browser/**).
    globalSetup: ['test/browser/global-setup.ts'],
  },
});
