import { constants } from 'node:fs';
import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import { journalIoError } from './journal-errors.js';

/**
 * Open flags for journal files. `O_NOFOLLOW` refuses a symlink planted under a journal's name;
 * `O_NONBLOCK` keeps a FIFO planted there from hanging the open (a regular file ignores it), and the
 * `fstat` that follows refuses anything but a regular file.
 */
export const journalOpenFlags = {
  create: constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
  continue: constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  read: constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
} as const;

/**
 * How an append is made durable. `dsync`: the journal is opened `O_DSYNC`, so the `pwrite` of a batch
 * returns only once its bytes, and the metadata needed to read them back, are on stable storage
 * (what `write` + `fdatasync` give, in one system call). `fdatasync`: a plain write, then
 * `fdatasync`.
 */
export type JournalSyncMode = 'dsync' | 'fdatasync';

/**
 * `dsync` on Linux only. On macOS Node's `fdatasync` is `F_FULLFSYNC`, which also flushes the
 * drive's cache where `O_DSYNC` does not, so the slower pair is kept there.
 */
export const defaultJournalSyncMode: JournalSyncMode =
  process.platform === 'linux' && typeof constants.O_DSYNC === 'number' ? 'dsync' : 'fdatasync';

/** The flags a writer opens its journal with (`create` or `continue`) in `mode`. */
export function journalWriterFlags(open: 'create' | 'continue', mode: JournalSyncMode): number {
  return mode === 'dsync' ? journalOpenFlags[open] | constants.O_DSYNC : journalOpenFlags[open];
}

/** Mode of a journal file: owner read and write only. */
export const journalFileMode = 0o600;

/** Mode of the journal directory: owner only. */
export const journalDirectoryMode = 0o700;

/**
 * Reads a journal through an open descriptor: `fstat` it, refuse anything but a regular file or a
 * file over `maxBytes` before reading, then read exactly the size `fstat` gave (less only if the
 * file shrank meanwhile), so bytes appended during the read are left for the next reader.
 */
export async function readOpenJournal(
  fs: FileSystem,
  fd: number,
  path: string,
  maxBytes: number,
): Promise<Result<Buffer>> {
  try {
    const stats = await fs.fstat(fd);
    if (!stats.isFile()) {
      return err(
        new JidoError('io_error', 'The session journal is not a regular file.', { details: { path } }),
      );
    }
    if (stats.size > maxBytes) {
      return err(
        new JidoError('too_large', 'The session journal is too large.', {
          details: { path, size: stats.size, maxBytes },
        }),
      );
    }
    const buffer = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < buffer.length) {
      const count = await fs.read(fd, buffer, filled, buffer.length - filled, filled);
      if (count === 0) break;
      filled += count;
    }
    return ok(filled === buffer.length ? buffer : buffer.subarray(0, filled));
  } catch (cause) {
    return err(journalIoError(cause, 'read', path));
  }
}

/** Closes a descriptor on a path that is already failing, where a second error would add nothing. */
export async function closeQuietly(fs: FileSystem, fd: number): Promise<void> {
  try {
    await fs.close(fd);
  } catch {
    // The original failure is the one worth reporting.
  }
}
