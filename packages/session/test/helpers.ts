import { SessionStore, type StorageOptions } from '@jido-code/storage';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { SessionManager, type SessionManagerOptions } from '../src/index.js';

/** Opens a store on a test home, failing the test on a typed error. */
export async function openStore(home: string, options: StorageOptions = {}): Promise<SessionStore> {
  const store = await SessionStore.open({ home, ...options });
  if (!store.ok) throw store.error;
  return store.value;
}

/** A manager over a fresh store on `home`. */
export async function openManager(
  home: string,
  options: Partial<SessionManagerOptions> = {},
): Promise<SessionManager> {
  const store = options.store ?? (await openStore(home));
  return new SessionManager({ ...options, store });
}

/** A new empty project folder (real path), removed when the test finishes. */
export async function makeProject(name = 'project'): Promise<string> {
  return temporaryFolder(name, 'jido-project-');
}

/** Unwraps a Result in a test, throwing its error so the failure is readable. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error;
  return result.value;
}
