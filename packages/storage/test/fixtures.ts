import { randomInt } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory, type SessionOverrides } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterEach } from 'vitest';
import type { FileSystem } from '../src/fs/file-system.js';
import { nodeFileSystem } from '../src/fs/file-system.js';
import { SessionStore } from '../src/session-store.js';
import type { StorageOptions } from '../src/store-types.js';

const factory = new SessionFactory({ seed: randomInt(2 ** 31) });

/**
 * A fresh, empty directory (mode 0700) inside a PersistenceTestCase home, for tests of the
 * lower layers; `cleanup` removes the whole case. `home` is that case's home.
 */
export async function temporaryDirectory(): Promise<{
  path: string;
  home: string;
  cleanup: () => Promise<void>;
}> {
  const testCase = await PersistenceTestCase.create();
  const path = join(testCase.home, 'scratch');
  await mkdir(path, { mode: 0o700 });
  return { path, home: testCase.home, cleanup: () => testCase.cleanup() };
}

/** A valid unsigned session with every optional field set too (test-support's SessionFactory). */
export function sessionFixture(overrides: SessionOverrides = {}): Session {
  return factory.session({
    config: {
      provider: 'anthropic',
      model: 'claude',
      temperature: 0.5,
      max_tokens: 4096,
      extra: { a: 'b', n: 1 },
    },
    language: 'en',
    cumulative_usage: { input_tokens: 10, output_tokens: 20 },
    last_resumed_at: null,
    ...overrides,
  });
}

/**
 * Opens a store in a fresh PersistenceTestCase home; `config` goes into `<home>/config.json` so that
 * the file path of the configuration is exercised. `cleanup` removes the home.
 */
export async function openTestStore(
  options: Omit<StorageOptions, 'home'> = {},
): Promise<{ store: SessionStore; home: string; cleanup: () => Promise<void> }> {
  const { config, ...rest } = options;
  const testCase = await PersistenceTestCase.create({ config: config ?? {} });
  const opened = await SessionStore.open({ env: {}, ...rest, home: testCase.home });
  if (!opened.ok) {
    await testCase.cleanup();
    throw opened.error;
  }
  return { store: opened.value, home: testCase.home, cleanup: () => testCase.cleanup() };
}

/**
 * A test file's `setup`: each call opens a store like {@link openTestStore}; every store it opened
 * is removed after each test (call it at the top level of the file, where `afterEach` registers).
 */
export function testStoreSetup(): (
  options?: Omit<StorageOptions, 'home'>,
) => ReturnType<typeof openTestStore> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const opened = await openTestStore(options);
    cleanups.push(opened.cleanup);
    return opened;
  };
}

/** Wraps a FileSystem so that tests can replace single methods. */
export function overriding(overrides: Partial<FileSystem>, base: FileSystem = nodeFileSystem): FileSystem {
  return { ...base, ...overrides };
}
