import { type SessionBackend, SessionStore, type StorageOptions } from '@jido-code/storage';
import { openPostgresStore } from '@jido-code/storage-postgres';

/** Opens the store a worker works on, with the worker's environment; exits with code 3 if it cannot. */
export async function openStoreOrExit(options: StorageOptions): Promise<SessionStore> {
  const opened = await SessionStore.open({ env: process.env, ...options });
  if (opened.ok) return opened.value;
  process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
  process.exit(3);
}

/**
 * Opens the store a worker works on: a PostgreSQL store when `home` is a `postgres://` URL (on
 * `schema`), else the file home; exits with code 3 if it cannot.
 */
export async function openAnyStoreOrExit(
  home: string,
  schema: string | undefined,
  now: () => Date,
): Promise<SessionStore<SessionBackend>> {
  if (!home.startsWith('postgres://')) return openStoreOrExit({ home, now });
  const opened = await openPostgresStore({ url: home, schema, env: process.env, now, poolSize: 2 });
  if (opened.ok) return opened.value;
  process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
  process.exit(3);
}

/** Ends a worker with code 2, naming what failed and its typed error. */
export function fail(what: string, error: { code: string; message: string }): never {
  process.stderr.write(`${what} failed: ${error.code} ${error.message}\n`);
  process.exit(2);
}
