import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The CLI's tests start the real binary (through tsx) many times per test: on a loaded machine one
// start can take several seconds, so the per-test budget is wider than the shared default. The
// PostgreSQL tests use storage-postgres's server setup: JIDO_TEST_DATABASE_URL, else PGlite.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 120_000,
      hookTimeout: 60_000,
      globalSetup: ['../../packages/storage-postgres/test/support/global-setup.ts'],
    },
  }),
);
