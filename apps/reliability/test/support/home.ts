import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@jido-code/core-schema';
import { SessionStore, type StorageOptions } from '@jido-code/storage';

/** A fresh jido home (real path, no symlink) that the store creates with its own modes. */
export async function makeHome(prefix = 'jido-rel-'): Promise<string> {
  const parent = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return join(parent, 'home');
}

/** Removes a home made by {@link makeHome} (its parent folder too). */
export async function removeHome(home: string): Promise<void> {
  await rm(join(home, '..'), { recursive: true, force: true });
}

/** Opens a store on `home`, failing the test on a typed error. */
export async function openStore(home: string, options: StorageOptions = {}): Promise<SessionStore> {
  const store = await SessionStore.open({ home, env: {}, ...options });
  if (!store.ok) throw store.error;
  return store.value;
}

/** Unwraps a Result in a test, throwing its error so the failure is readable. */
export function must<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
