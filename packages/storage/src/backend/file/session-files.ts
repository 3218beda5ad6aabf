import { JidoError, type Logger } from '@jido-code/core-schema';
import { fileSystemError } from '../../errors.js';
import { errnoCode, type FileStats, type FileSystem } from '../../fs/file-system.js';
import { type HomeLayout, sessionIdFromFileName } from '../../home/paths.js';
import { checkDirectoryStats } from '../../home/secure-directory.js';
import { fsyncDirectory, writeFileDurably } from '../../io/durable-write.js';
import { readFileBounded } from '../../io/read-file.js';
import type { StoredSession } from '../session-backend.js';

/** What the session-file helpers work on. */
export interface SessionFiles {
  readonly fs: FileSystem;
  readonly layout: HomeLayout;
  readonly maxBytes: number;
  readonly logger: Logger;
  /**
   * The user whose files these must be, read once when the backend opens (`undefined` where the
   * platform has none): each load checks three owners, and `process.getuid` costs a call into Node.
   */
  readonly uid: number | undefined;
}

/**
 * Re-checks the home and sessions folder before each file operation: they were safe when the
 * store opened, but a folder swapped for a symlink since then must not be followed. (A swap in
 * the microseconds between this check and the open remains possible; it needs write access to
 * the 0700 home.)
 */
export async function checkFolders(files: SessionFiles): Promise<void> {
  // One after the other, home first: `lstat` runs in place (see `nodeFileSystem`), so looking both
  // up at once gained nothing and its promise bookkeeping cost every load about a microsecond.
  for (const directory of [files.layout.home, files.layout.sessionsDir]) {
    let stats: FileStats;
    try {
      stats = await files.fs.lstat(directory);
    } catch (error) {
      throw fileSystemError(error, 'check the sessions folder', { path: directory });
    }
    checkDirectoryStats(directory, stats, files.uid);
  }
}

/**
 * Refuses a session file that is a symlink, not a regular file, or owned by another user.
 * `outcome` words what happens to it: `refused` on load, `skipped` in a listing.
 */
export function checkSessionFile(
  stats: FileStats,
  path: string,
  outcome: 'refused' | 'skipped',
  uid: number | undefined = process.getuid?.(),
): void {
  if (stats.isSymbolicLink() || !stats.isFile()) {
    throw new JidoError('permission_denied', `The session file is not a regular file and was ${outcome}.`, {
      details: { path, symlink: stats.isSymbolicLink() },
    });
  }
  if (uid !== undefined && stats.uid !== uid) {
    throw new JidoError('permission_denied', `The session file belongs to another user and was ${outcome}.`, {
      details: { path, owner: stats.uid },
    });
  }
}

/** Reads one session file: folders re-checked, no symlink followed, size capped before reading. */
export async function readSessionFile(files: SessionFiles, id: string): Promise<StoredSession> {
  const path = files.layout.sessionFile(id);
  await checkFolders(files);
  const read = await readFileBounded(files.fs, path, files.maxBytes, 'the session');
  checkSessionFile(read.stats, path, 'refused', files.uid);
  return { bytes: read.bytes, location: path };
}

/** Durably replaces one session file. */
export async function writeSessionFile(files: SessionFiles, id: string, bytes: Uint8Array): Promise<void> {
  await checkFolders(files);
  await writeFileDurably(files.fs, files.layout.sessionFile(id), bytes, { action: 'save the session' });
}

/** True when the session file exists. */
export async function sessionFileExists(files: SessionFiles, id: string): Promise<boolean> {
  const path = files.layout.sessionFile(id);
  try {
    await files.fs.lstat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'save the session', { path });
  }
}

/** Unlinks one session file and fsyncs the folder; false when it was already gone. */
export async function unlinkSessionFile(files: SessionFiles, id: string): Promise<boolean> {
  const path = files.layout.sessionFile(id);
  await checkFolders(files);
  try {
    await files.fs.unlink(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'delete the session', { path });
  }
  await fsyncDirectory(files.fs, files.layout.sessionsDir).catch((error: unknown) =>
    files.logger.debug('Could not fsync the sessions folder after a delete.', { error: String(error) }),
  );
  return true;
}

/** The names in the sessions folder, sorted; a missing folder is empty. */
export async function sessionFolderNames(files: SessionFiles): Promise<string[]> {
  try {
    return (await files.fs.readdir(files.layout.sessionsDir)).sort();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw fileSystemError(error, 'list the saved sessions', { path: files.layout.sessionsDir });
  }
}

/** Every session file in the folder with the id its name carries. */
export async function sessionFileEntries(files: SessionFiles): Promise<{ file: string; id: string }[]> {
  return (await sessionFolderNames(files)).flatMap((file) => {
    const id = sessionIdFromFileName(file);
    return id === undefined ? [] : [{ file, id }];
  });
}
