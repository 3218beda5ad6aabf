import { constants } from 'node:fs';
import { join } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { ensureSecureDirectory, fileMode } from '../home/secure-directory.js';
import { fsyncDirectory, tempPathFor, writeAll } from '../io/durable-write.js';
import { readFileIfExists } from '../io/read-file.js';

/** `<home>/backup/jidocode`: the byte-for-byte copies of JidoCode files taken before a rewrite. */
export function jidoCodeBackupDir(home: string): string {
  return join(home, 'backup', 'jidocode');
}

const maxBackupsPerId = 100;
const maxBackupBytes = 1024 * 1024 * 1024;

/**
 * True when the file at `path` is not in this project's own form. Every file this project writes
 * is canonical JSON, which starts with `{"`; JidoCode's pretty encoding starts with `{\n`. Reads
 * two bytes, without following a symlink; a missing file is not JidoCode's.
 */
export async function isForeignSessionFile(fs: FileSystem, path: string): Promise<boolean> {
  let fd: number;
  try {
    fd = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'read the session', { path });
  }
  try {
    const prefix = new Uint8Array(2);
    const read = await fs.read(fd, prefix, 0, 2, 0);
    return read > 0 && !(prefix[0] === 0x7b && prefix[1] === 0x22);
  } catch (error) {
    throw fileSystemError(error, 'read the session', { path });
  } finally {
    await fs.close(fd).catch(() => undefined);
  }
}

async function writeNewBackup(fs: FileSystem, path: string, bytes: Uint8Array): Promise<boolean> {
  const temp = tempPathFor(path);
  const fd = await fs.open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    fileMode,
  );
  try {
    await writeAll(fs, fd, bytes, 0);
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
  try {
    // link() never replaces an existing name: a backup, once there, is never overwritten.
    await fs.link(temp, path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/**
 * Copies `bytes`, the original file of session `id`, to `<home>/backup/jidocode/<id>.json` (0600,
 * fsynced, folder fsynced) before anything rewrites it. An identical backup already there is
 * reused (a re-run after an interruption); a different one is never overwritten: the copy goes to
 * `<id>.1.json`, `<id>.2.json`, … Returns the backup's file name.
 */
export async function backupJidoCodeFile(
  fs: FileSystem,
  home: string,
  id: string,
  bytes: Uint8Array,
): Promise<string> {
  const directory = jidoCodeBackupDir(home);
  try {
    await ensureSecureDirectory(fs, join(home, 'backup'));
    await ensureSecureDirectory(fs, directory);
    for (let copy = 0; copy < maxBackupsPerId; copy++) {
      const name = copy === 0 ? `${id}.json` : `${id}.${copy}.json`;
      const path = join(directory, name);
      const existing = await readFileIfExists(fs, path, maxBackupBytes, 'a backup');
      if (existing !== undefined) {
        if (Buffer.from(existing).equals(bytes)) return name;
        continue;
      }
      if (await writeNewBackup(fs, path, bytes)) {
        await fsyncDirectory(fs, directory);
        return name;
      }
      copy -= 1; // another process made this name meanwhile: compare with it
    }
  } catch (error) {
    throw fileSystemError(error, 'back up the JidoCode session file', { id });
  }
  throw new JidoError(
    'io_error',
    'Could not back up the JidoCode session file: too many backups of it exist.',
    {
      details: { id },
    },
  );
}
