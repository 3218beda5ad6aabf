import { join } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { reachCrashPoint } from '../../crash-points.js';
import { fileSystemError } from '../../errors.js';
import { errnoCode } from '../../fs/file-system.js';
import { ensureSecureDirectory } from '../../home/secure-directory.js';
import { fsyncDirectory, writeFileDurably } from '../../io/durable-write.js';
import { readFileBounded, readFileIfExists } from '../../io/read-file.js';
import type { StoredSession, TrashedSession } from '../session-backend.js';
import { checkFolders, type SessionFiles } from './session-files.js';

/** A trash entry name: the session id and when it was trashed (ms since the epoch). */
const trashEntryPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.(\d{1,15})$/;

const maxRecordBytes = 64 * 1024;

/** `<home>/trash`. */
function trashDir(files: SessionFiles): string {
  return join(files.layout.home, 'trash');
}

function entryFile(files: SessionFiles, entry: string): string {
  return join(trashDir(files), `${entry}.json`);
}

function recordFile(files: SessionFiles, entry: string): string {
  return join(trashDir(files), `${entry}.record.json`);
}

async function syncBoth(files: SessionFiles, between: () => void = () => undefined): Promise<void> {
  try {
    await fsyncDirectory(files.fs, trashDir(files));
    between();
    await fsyncDirectory(files.fs, files.layout.sessionsDir);
  } catch (error) {
    // The rename happened: the session is in one place, but the move may not survive a power loss.
    throw fileSystemError(error, 'make the move to or from the trash durable');
  }
}

/**
 * Moves a session file into the trash: the record first (durably), then one rename, then fsync of
 * both folders. A crash before the rename leaves the session live and a record without its file,
 * which {@link trashedEntries} removes; after it, the session is in the trash with its record.
 */
export async function moveToTrash(
  files: SessionFiles,
  id: string,
  entry: string,
  record: Uint8Array,
): Promise<boolean> {
  await checkFolders(files);
  await ensureSecureDirectory(files.fs, trashDir(files));
  await writeFileDurably(files.fs, recordFile(files, entry), record, { action: 'record a trashed session' });
  reachCrashPoint('trash-after-record');
  try {
    await files.fs.rename(files.layout.sessionFile(id), entryFile(files, entry));
  } catch (error) {
    await files.fs.unlink(recordFile(files, entry)).catch(() => undefined);
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'move the session to the trash', { id, entry });
  }
  reachCrashPoint('trash-after-rename');
  await syncBoth(files, () => reachCrashPoint('trash-before-sessions-fsync'));
  return true;
}

/** Moves a trash entry back to the sessions folder, then drops its record. */
export async function restoreFromTrash(files: SessionFiles, id: string, entry: string): Promise<void> {
  await checkFolders(files);
  try {
    await files.fs.rename(entryFile(files, entry), files.layout.sessionFile(id));
  } catch (error) {
    throw fileSystemError(error, 'restore the session from the trash', { id, entry });
  }
  reachCrashPoint('restore-after-rename');
  await syncBoth(files);
  reachCrashPoint('restore-before-record-purge');
  // The session is back: a record left behind is repaired by the next listing, so failing to
  // remove it must not report the restore as failed.
  await purgeRecord(files, entry).catch(() => undefined);
}

async function purgeRecord(files: SessionFiles, entry: string): Promise<void> {
  try {
    await files.fs.unlink(recordFile(files, entry));
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw fileSystemError(error, 'empty the trash', { entry });
  }
}

/** Removes a trash entry for good: its file, then its record. */
export async function purgeTrashEntry(files: SessionFiles, entry: string): Promise<boolean> {
  let removed = true;
  try {
    await files.fs.unlink(entryFile(files, entry));
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw fileSystemError(error, 'empty the trash', { entry });
    removed = false;
  }
  await purgeRecord(files, entry);
  await fsyncDirectory(files.fs, trashDir(files)).catch(() => undefined);
  return removed;
}

/**
 * Replaces a trash entry's file, then its record, each by a durable rename over the old one. A crash
 * between the two leaves the new file with the old record, which still lists and verifies (the
 * record names the move, not the bytes); re-running the rewrite completes it.
 */
export async function rewriteTrashEntry(
  files: SessionFiles,
  entry: string,
  bytes: Uint8Array,
  record: Uint8Array,
): Promise<boolean> {
  await checkFolders(files);
  try {
    await files.fs.lstat(entryFile(files, entry));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'rewrite the trashed session', { entry });
  }
  await writeFileDurably(files.fs, entryFile(files, entry), bytes, { action: 'rewrite the trashed session' });
  await writeFileDurably(files.fs, recordFile(files, entry), record, { action: 'record a trashed session' });
  return true;
}

/** The bytes of one trash entry. */
export async function readTrashEntry(files: SessionFiles, entry: string): Promise<StoredSession> {
  if (!trashEntryPattern.test(entry)) {
    throw new JidoError('not_found', 'There is no such session in the trash.', { details: { entry } });
  }
  const path = entryFile(files, entry);
  const read = await readFileBounded(files.fs, path, files.maxBytes, 'the trashed session');
  return { bytes: read.bytes, location: path };
}

/**
 * Every trash entry with its record. A record whose file is gone is what a move interrupted
 * before its rename (or a restore after it) leaves: `repair(entry)` removes it under the lock.
 */
export async function trashedEntries(
  files: SessionFiles,
  repair: (id: string, entry: string) => Promise<void>,
): Promise<TrashedSession[]> {
  let names: string[];
  try {
    names = await files.fs.readdir(trashDir(files));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw fileSystemError(error, 'list the trash', { path: trashDir(files) });
  }
  const present = new Set(names);
  const entries: TrashedSession[] = [];
  for (const name of names.sort()) {
    const record = name.endsWith('.record.json');
    const entry = name.slice(0, -(record ? '.record.json' : '.json').length);
    const match = trashEntryPattern.exec(entry);
    if (match === null || !name.endsWith('.json')) continue;
    const id = match[1] as string;
    if (record) {
      if (!present.has(`${entry}.json`)) await repair(id, entry);
      continue;
    }
    const bytes = await readFileIfExists(
      files.fs,
      recordFile(files, entry),
      maxRecordBytes,
      'a trash record',
    );
    entries.push({ entry, id, record: bytes });
  }
  return entries;
}

/** Removes a record left without its file, if it still is (called under the session's lock). */
export async function repairTrashRecord(files: SessionFiles, entry: string): Promise<void> {
  try {
    await files.fs.lstat(entryFile(files, entry));
    return;
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw fileSystemError(error, 'repair the trash', { entry });
  }
  await purgeRecord(files, entry);
}
