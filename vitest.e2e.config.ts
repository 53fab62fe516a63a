import { defineConfig } from 'vitest/config'

/** End-to-end: the built renderer in real Chromium against the real main-process handlers. */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // expect.poll waits this long before failing: a guard against hangs, not a bound on speed.
    expect: { poll: { timeout: 30_000 } }
  }
})
