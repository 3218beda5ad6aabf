import { dirname, join, relative } from 'node:path';
import { err, ok, type Result, uuidV4Pattern } from '@jido-code/core-schema';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { fsyncDirectory } from '../io/durable-write.js';
import { journalIoError } from './journal-errors.js';
import { journalDirectoryMode } from './journal-file-io.js';
import { journalFileExtension, journalPath } from './journal-path.js';

/** Name of the folder, inside the journal directory, that keeps journals recovery gave up on. */
const quarantineFolderName = 'quarantine';

/** Why a journal was moved aside. Part of its file name, so a listing needs no read. */
export type QuarantineReason =
  | 'bad-signature'
  | 'broken-chain'
  | 'damaged-line'
  | 'unreadable-entry'
  | 'too-large'
  | 'no-session';

const reasons: readonly QuarantineReason[] = [
  'bad-signature',
  'broken-chain',
  'damaged-line',
  'unreadable-entry',
  'too-large',
  'no-session',
];

/** A journal kept in the quarantine folder. */
export interface QuarantinedJournal {
  /** The session it belongs to. */
  readonly sessionId: string;
  /** Why recovery gave up on it. */
  readonly reason: QuarantineReason;
  /** When it was moved aside (ISO 8601, whole seconds). */
  readonly quarantinedAt: string;
  /** Its file name inside the quarantine folder. */
  readonly fileName: string;
  /** Its absolute path. */
  readonly path: string;
  /** Its path relative to the journal directory's parent (the home): `journal/quarantine/<fileName>`. */
  readonly homeRelativePath: string;
}

const namePattern = new RegExp(
  `^([0-9a-f-]{36})\\.([0-9]{8}T[0-9]{6}Z)\\.(${reasons.join('|')})${journalFileExtension.replace('.', '\\.')}$`,
);

/** The reason a verify failure (`journal_corrupt` details.reason) stands for. */
export function quarantineReasonFor(verifyReason: unknown): QuarantineReason {
  switch (verifyReason) {
    case 'signature invalid':
      return 'bad-signature';
    case 'chain broken':
    case 'out of sequence':
      return 'broken-chain';
    default:
      return 'damaged-line';
  }
}

function compactTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function parseName(dir: string, fileName: string): QuarantinedJournal | undefined {
  const match = namePattern.exec(fileName);
  if (match === null) return undefined;
  const [, sessionId = '', stamp = '', reason = ''] = match;
  if (!uuidV4Pattern.test(sessionId)) return undefined;
  const quarantinedAt = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const path = join(dir, fileName);
  return {
    sessionId,
    reason: reason as QuarantineReason,
    quarantinedAt,
    fileName,
    path,
    homeRelativePath: relative(dirname(dirname(dir)), path),
  };
}

/**
 * Moves the journal of `sessionId` (already validated) into `<dir>/quarantine/` as
 * `<id>.<time>.<reason>.jsonl`, never deleting it: a rename inside one file system, then both
 * folders synced so the move survives a crash. The folder is created 0700 when missing.
 */
export async function quarantineJournal(
  fs: FileSystem,
  dir: string,
  sessionId: string,
  reason: QuarantineReason,
  now: Date,
): Promise<Result<QuarantinedJournal>> {
  const folder = join(dir, quarantineFolderName);
  const from = journalPath(dir, sessionId);
  try {
    try {
      await fs.mkdir(folder, journalDirectoryMode);
      await fs.chmod(folder, journalDirectoryMode);
      await fsyncDirectory(fs, dir);
    } catch (cause) {
      if (errnoCode(cause) !== 'EEXIST') throw cause;
      if (!(await fs.lstat(folder)).isDirectory()) throw cause;
    }
    let fileName = `${sessionId}.${compactTime(now)}.${reason}${journalFileExtension}`;
    for (let second = 1; await exists(fs, join(folder, fileName)); second++) {
      fileName = `${sessionId}.${compactTime(new Date(now.getTime() + second * 1000))}.${reason}${journalFileExtension}`;
    }
    await fs.rename(from, join(folder, fileName));
    await fsyncDirectory(fs, folder);
    await fsyncDirectory(fs, dir);
    const entry = parseName(folder, fileName);
    if (entry === undefined) throw new Error('quarantine name does not parse');
    return ok(entry);
  } catch (cause) {
    return err(journalIoError(cause, 'quarantine', from));
  }
}

/** The journals in `<dir>/quarantine/`, oldest first; other names are ignored, no folder is none. */
export async function listQuarantinedJournals(
  fs: FileSystem,
  dir: string,
): Promise<Result<QuarantinedJournal[]>> {
  const folder = join(dir, quarantineFolderName);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT' || errnoCode(cause) === 'ENOTDIR') return ok([]);
    return err(journalIoError(cause, 'list', folder));
  }
  const entries = names.flatMap((name) => parseName(folder, name) ?? []);
  entries.sort((left, right) =>
    left.quarantinedAt === right.quarantinedAt
      ? left.fileName.localeCompare(right.fileName)
      : left.quarantinedAt.localeCompare(right.quarantinedAt),
  );
  return ok(entries);
}

async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') return false;
    throw cause;
  }
}
