import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { reachCrashPoint } from '../crash-points.js';
import { fileSystemError } from '../errors.js';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { fileMode } from '../home/secure-directory.js';

/** Options for {@link writeFileDurably}. */
export interface DurableWriteOptions {
  /** Mode of the written file; 0600 unless told otherwise. */
  readonly mode?: number | undefined;
  /** Words for error messages ("save the session"); never a path. */
  readonly action?: string | undefined;
}

/** Temp files are `.<stem>.<16 hex>.tmp` in the destination's own directory. */
export const tempFilePattern = /^\..+\.[0-9a-f]{16}\.tmp$/;

/** A unique temp path next to `path`: same directory, so the final rename never crosses devices. */
export function tempPathFor(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return join(dirname(path), `.${stem}.${randomBytes(8).toString('hex')}.tmp`);
}

/**
 * Writes every byte of `bytes` at `position`, looping on short writes. A write that makes no
 * progress is an I/O error rather than an endless loop.
 */
export async function writeAll(
  fs: FileSystem,
  fd: number,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const written = await fs.write(fd, bytes, offset, bytes.length - offset, position + offset);
    if (written <= 0) {
      throw Object.assign(new Error('write made no progress'), { code: 'EIO', syscall: 'write' });
    }
    offset += written;
  }
}

/** fsyncs a directory so that a rename or unlink in it survives a power loss. */
export async function fsyncDirectory(fs: FileSystem, directory: string): Promise<void> {
  const fd = await fs.open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fs.fsync(fd);
  } finally {
    await fs.close(fd).catch(() => undefined);
  }
}

/**
 * The one durable-write protocol every file under the home goes through:
 * 1. create a unique temp file in the same directory with `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600
 *    (checked with fstat and corrected if the umask interfered);
 * 2. write all bytes, looping on short writes;
 * 3. fsync the file once (a failed fsync is a failed write, never retried: the page cache may
 *    already have dropped the dirty pages, so a retry could "succeed" without the data);
 * 4. refuse if the destination is a symlink or not a regular file;
 * 5. rename over the destination, then fsync the directory.
 * Any failure before the rename removes the temp file and leaves the old file untouched. A failed
 * directory fsync after the rename is reported as a failure too (the new file is in place but its
 * durability is not confirmed). Throws a {@link JidoError} (`io_error`, `permission_denied`, …).
 */
export async function writeFileDurably(
  fs: FileSystem,
  path: string,
  bytes: Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? fileMode;
  const action = options.action ?? 'write the file';
  const directory = dirname(path);
  const tempPath = tempPathFor(path);
  let fd: number | undefined;
  let renamed = false;
  try {
    fd = await fs.open(
      tempPath,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      mode,
    );
    reachCrashPoint('after-temp-open');
    const stats = await fs.fstat(fd);
    if ((stats.mode & 0o7777) !== mode) await fs.chmod(tempPath, mode);
    const half = Math.floor(bytes.length / 2);
    await writeAll(fs, fd, bytes.subarray(0, half), 0);
    reachCrashPoint('mid-write');
    await writeAll(fs, fd, bytes.subarray(half), half);
    await fs.fsync(fd);
    reachCrashPoint('after-fsync');
    const closing = fd;
    fd = undefined;
    await fs.close(closing);
    await refuseNonRegularDestination(fs, path, action);
    await fs.rename(tempPath, path);
    renamed = true;
    reachCrashPoint('after-rename');
    reachCrashPoint('before-dir-fsync');
    await fsyncDirectory(fs, directory);
  } catch (error) {
    if (fd !== undefined) await fs.close(fd).catch(() => undefined);
    if (!renamed) await fs.unlink(tempPath).catch(() => undefined);
    throw fileSystemError(error, action, { path, tempPath, renamed });
  }
}

async function refuseNonRegularDestination(fs: FileSystem, path: string, action: string): Promise<void> {
  try {
    const existing = await fs.lstat(path);
    if (existing.isSymbolicLink() || !existing.isFile()) {
      throw new JidoError(
        'permission_denied',
        `Could not ${action}: the destination is a symbolic link or not a regular file, and is never replaced.`,
        { details: { path, symlink: existing.isSymbolicLink() } },
      );
    }
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
}
