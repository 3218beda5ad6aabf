import type { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll } from 'vitest';
import type { PostgresBackend } from '../../src/index.js';
import { openConformanceStore } from './conformance-store.js';
import { dropSchema, testDatabase } from './database.js';

/**
 * One store for a whole test file, on a schema of its own: opened before the file's tests, closed
 * and its schema dropped after them. Call at the top of the file; `current()` is the store.
 */
export function storeForFile(): () => SessionStore<PostgresBackend> {
  const database = testDatabase();
  const options = { url: database.url, schema: database.newSchema() };
  let store: SessionStore<PostgresBackend> | undefined;
  beforeAll(async () => {
    store = await openConformanceStore(options, {});
  });
  afterAll(async () => {
    await store?.backend.close();
    await dropSchema(database.url, options.schema);
  });
  return () => {
    if (store === undefined) throw new Error('The file store is opened in beforeAll.');
    return store;
  };
}
