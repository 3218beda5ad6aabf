import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The CLI's tests start the real binary many times per test: the binary bundled once per run from
// the sources (test/support/bundle-setup.ts). On a loaded machine one start can still take a
// second or more, so the per-test budget is wider than the shared default. The PostgreSQL tests
// use storage-postgres's server setup: JIDO_TEST_DATABASE_URL, else PGlite.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 120_000,
      hookTimeout: 60_000,
      globalSetup: [
        '../../packages/storage-postgres/test/support/global-setup.ts',
        './test/support/bundle-setup.ts',
      ],
    },
  }),
);
