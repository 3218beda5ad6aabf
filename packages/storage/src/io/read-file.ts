import { constants } from 'node:fs';
import { JidoError } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';
import type { FileStats, FileSystem } from '../fs/file-system.js';

/** What {@link readFileBounded} read, with the stats of the open descriptor. */
export interface BoundedRead {
  readonly bytes: Uint8Array;
  readonly stats: FileStats;
}

/**
 * Reads a whole regular file without following a symlink (`O_NOFOLLOW`) and without blocking on a
 * FIFO (`O_NONBLOCK`). The open descriptor is `fstat`ed and a file over `maxBytes` is refused with
 * `too_large` before any byte is read; at most the size seen by `fstat` is read, so a file that
 * grows meanwhile cannot make the read unbounded. Throws a {@link JidoError}.
 */
export async function readFileBounded(
  fs: FileSystem,
  path: string,
  maxBytes: number,
  subject = 'the file',
): Promise<BoundedRead> {
  let fd: number;
  try {
    fd = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw fileSystemError(error, `read ${subject}`, { path });
  }
  try {
    let stats: FileStats;
    try {
      stats = await fs.fstat(fd);
    } catch (error) {
      throw fileSystemError(error, `read ${subject}`, { path });
    }
    if (!stats.isFile()) {
      throw new JidoError('permission_denied', `Could not read ${subject}: it is not a regular file.`, {
        details: { path },
      });
    }
    if (stats.size > maxBytes) {
      throw new JidoError('too_large', `Could not read ${subject}: it is larger than the configured limit.`, {
        details: { path, size: stats.size, max: maxBytes },
      });
    }
    // Not zero-filled: only the bytes read are returned.
    const bytes = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      let count: number;
      try {
        count = await fs.read(fd, bytes, filled, bytes.length - filled, filled);
      } catch (error) {
        throw fileSystemError(error, `read ${subject}`, { path });
      }
      if (count === 0) break;
      filled += count;
    }
    return { bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled), stats };
  } finally {
    try {
      await fs.close(fd);
    } catch {
      // A failed close loses nothing read.
    }
  }
}

/** {@link readFileBounded}, with a missing file as `undefined`. */
export async function readFileIfExists(
  fs: FileSystem,
  path: string,
  maxBytes: number,
  subject?: string,
): Promise<Uint8Array | undefined> {
  try {
    return (await readFileBounded(fs, path, maxBytes, subject)).bytes;
  } catch (error) {
    if (error instanceof JidoError && error.code === 'not_found') return undefined;
    throw error;
  }
}
