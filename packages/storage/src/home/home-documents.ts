import type { KeyringPersistence } from '@jido-code/crypto';
import type { LockedDocument, LockedDocumentChange } from '@jido-code/rate-limit';
import { reachCrashPoint } from '../crash-points.js';
import type { FileSystem } from '../fs/file-system.js';
import { writeFileDurably } from '../io/durable-write.js';
import { readFileIfExists } from '../io/read-file.js';
import { type FileLockOptions, withFileLock } from '../locking/file-lock.js';

const maxKeyringBytes = 1024 * 1024;

/**
 * Crypto's keyring persistence over one file (0600, durable writes) guarded by a cross-process lock,
 * so that processes starting at the same moment create one keyring between them.
 */
export function fileKeyringPersistence(
  fs: FileSystem,
  paths: { readonly file: string; readonly lock: string },
  lockOptions: FileLockOptions,
): KeyringPersistence {
  return {
    load: () => readFileIfExists(fs, paths.file, maxKeyringBytes, 'the signing keyring'),
    async save(bytes) {
      reachCrashPoint('key-creation');
      await writeFileDurably(fs, paths.file, bytes, { action: 'save the signing keyring' });
    },
    withLock: (fn) => withFileLock(fs, paths.lock, lockOptions, fn),
  };
}

/**
 * Rate-limit's locked document over one small state file: read, change and durable write all happen
 * under a cross-process lock, so separate CLI processes share one consistent state.
 */
export function fileLockedDocument(
  fs: FileSystem,
  paths: { readonly file: string; readonly lock: string },
  lockOptions: FileLockOptions,
  maxBytes: number,
): LockedDocument {
  return {
    update<T>(
      fn: (current: Uint8Array | undefined) => Promise<LockedDocumentChange<T>> | LockedDocumentChange<T>,
    ): Promise<T> {
      return withFileLock(fs, paths.lock, lockOptions, async () => {
        const current = await readFileIfExists(fs, paths.file, maxBytes, 'the rate-limit state');
        const change = await fn(current);
        if (change.next !== undefined) {
          await writeFileDurably(fs, paths.file, change.next, { action: 'save the rate-limit state' });
        }
        return change.result;
      });
    },
  };
}
