import { dirname } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';
import { errnoCode, type FileStats, type FileSystem } from '../fs/file-system.js';

/** Mode of every directory storage creates. */
const directoryMode = 0o700;
/** Mode of every file storage creates. */
export const fileMode = 0o600;

function unsafe(reason: string, path: string, extra: Record<string, unknown> = {}): JidoError {
  return new JidoError('unsafe_home', `The jido home is not safe to use: ${reason}.`, {
    details: { path, ...extra },
  });
}

/**
 * Refuses a directory that is a symlink, not a directory, owned by another user, or open to group
 * or others in any way (read, write or search: storage's folders are 0700, and a listing of
 * session names or a readable keyring folder would already leak). Throws `unsafe_home`.
 */
export function checkDirectoryStats(
  path: string,
  stats: FileStats,
  uid: number | undefined = process.getuid?.(),
): void {
  if (stats.isSymbolicLink()) throw unsafe('a directory is a symbolic link', path);
  if (!stats.isDirectory()) throw unsafe('a path that must be a directory is something else', path);
  if (uid !== undefined && stats.uid !== uid) {
    throw unsafe('a directory is owned by another user', path, { owner: stats.uid, uid });
  }
  if ((stats.mode & 0o077) !== 0) {
    throw unsafe('a directory is open to other users (it must be 0700)', path, {
      mode: (stats.mode & 0o777).toString(8),
    });
  }
}

/** The one command that makes a home private, as the refusal of an open home suggests it. */
function homeModeFix(home: string): string {
  return `chmod -R go-rwx ${home.includes("'") || /\s/.test(home) ? JSON.stringify(home) : home}`;
}

/**
 * An `unsafe_home` refusal for a folder open to group or others, reworded to name the home and the
 * exact fix (JidoCode leaves its home 0755 and its files 0644). Other errors are returned as they are.
 */
export function withHomeModeFix(error: unknown, home: string): unknown {
  if (!(error instanceof JidoError) || error.code !== 'unsafe_home' || error.details.mode === undefined) {
    return error;
  }
  return new JidoError(
    'unsafe_home',
    `The jido home ${home} is open to other users (it must be private, 0700). Fix it with: ${homeModeFix(home)} (or run: jido doctor --fix).`,
    { cause: error, details: { ...error.details, home, fix: homeModeFix(home) } },
  );
}

async function lstatOrUndefined(fs: FileSystem, path: string): Promise<FileStats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw fileSystemError(error, 'inspect the jido home', { path });
  }
}

/**
 * Makes sure `path` is a safe directory, creating it (and, when `createParents`, its missing
 * ancestors) with mode 0700, then chmod 0700 against the umask. A directory it did not create is
 * never chmod-ed, only checked. Throws a {@link JidoError}.
 */
export async function ensureSecureDirectory(
  fs: FileSystem,
  path: string,
  options: { readonly createParents?: boolean } = {},
): Promise<void> {
  let stats = await lstatOrUndefined(fs, path);
  if (stats === undefined) {
    if (options.createParents) {
      const parent = dirname(path);
      if (parent !== path && (await lstatOrUndefined(fs, parent)) === undefined) {
        await ensureSecureDirectory(fs, parent, options);
      }
    }
    let created = true;
    try {
      await fs.mkdir(path, directoryMode);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw fileSystemError(error, 'create the jido home', { path });
      created = false;
    }
    stats = await lstatOrUndefined(fs, path);
    if (stats === undefined) throw unsafe('a directory vanished while it was created', path);
    // Only a folder made here is chmod-ed (against the umask); one that appeared meanwhile, or that
    // a path resolved to, is judged as it is and never has its mode changed.
    if (created && stats.isDirectory() && !stats.isSymbolicLink() && (stats.mode & 0o777) !== directoryMode) {
      try {
        await fs.chmod(path, directoryMode);
      } catch (error) {
        throw fileSystemError(error, 'set the jido home permissions', { path });
      }
      stats = await lstatOrUndefined(fs, path);
      if (stats === undefined) throw unsafe('a directory vanished while it was created', path);
    }
  }
  checkDirectoryStats(path, stats);
}
