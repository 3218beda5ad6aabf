import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['./test/support/global-setup.ts'],
      // One database server for the run; files take turns so PGlite (one session) is not swamped.
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  }),
);
