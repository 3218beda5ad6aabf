import { dirname } from 'node:path';
import { err, JidoError, type Logger, ok, type Result } from '@jido-code/core-schema';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { fsyncDirectory } from '../io/durable-write.js';
import { decodeJournal } from './journal-decode.js';
import { journalIoError } from './journal-errors.js';
import { closeQuietly, journalDirectoryMode, journalOpenFlags, readOpenJournal } from './journal-file-io.js';
import { checkJournalSessionId, journalPath, sessionIdFromJournalFileName } from './journal-path.js';
import {
  listQuarantinedJournals,
  type QuarantinedJournal,
  type QuarantineReason,
  quarantineJournal,
} from './journal-quarantine.js';
import type { JournalContents } from './journal-record.js';
import type { JournalSigner } from './journal-signer.js';
import type { JournalStore } from './journal-store.js';
import { defaultJournalMaxBytes, JournalWriter } from './journal-writer.js';

/** Options of a {@link JournalDirectory}. */
export interface JournalDirectoryOptions {
  /** Every file-system call goes through it. */
  readonly fs: FileSystem;
  /** The directory holding one `<sessionId>.jsonl` per session; its parent must exist. */
  readonly dir: string;
  /** Signs new lines and verifies existing ones. */
  readonly signer: JournalSigner;
  /** The clock for record timestamps; `() => new Date()` by default. */
  readonly now?: (() => Date) | undefined;
  /** Largest journal read or grown to ({@link defaultJournalMaxBytes}, 64 MiB, by default). */
  readonly maxBytes?: number | undefined;
  /** Receives debug facts. */
  readonly logger?: Logger | undefined;
}

/**
 * The file backend's {@link JournalStore}, a directory of session journals: opens writers, reads journals back for recovery, retires
 * them once a snapshot holds their changes, and lists the sessions that have one. Every method
 * validates the session id before touching the file system and reports failures as results.
 */
export class JournalDirectory implements JournalStore {
  readonly #options: JournalDirectoryOptions;
  readonly #maxBytes: number;

  /** A view of the journals in `options.dir`; nothing is touched until a method is called. */
  constructor(options: JournalDirectoryOptions) {
    this.#options = options;
    this.#maxBytes = options.maxBytes ?? defaultJournalMaxBytes;
  }

  /** The journal directory's path. */
  get dir(): string {
    return this.#options.dir;
  }

  /**
   * Creates the directory (0700, set again with chmod in case the umask took owner bits) if it is
   * missing, making its creation durable, and refuses a symlink or a non-directory in its place.
   * Throws a JidoError (permission_denied, not_found when the parent is missing, io_error).
   */
  async ensureDir(): Promise<void> {
    const { fs, dir } = this.#options;
    try {
      let stats = await lstatOrUndefined(fs, dir);
      if (stats === undefined) {
        try {
          await fs.mkdir(dir, journalDirectoryMode);
          await fs.chmod(dir, journalDirectoryMode);
          await fsyncDirectory(fs, dirname(dir));
        } catch (cause) {
          if (errnoCode(cause) !== 'EEXIST') throw cause;
        }
        stats = await fs.lstat(dir);
      }
      if (stats.isSymbolicLink()) {
        throw new JidoError(
          'permission_denied',
          'The journal directory is a symbolic link, which is refused.',
          {
            details: { dir },
          },
        );
      }
      if (!stats.isDirectory()) {
        throw new JidoError('io_error', 'The journal directory is not a directory.', { details: { dir } });
      }
    } catch (cause) {
      throw journalIoError(cause, 'ensure directory', dir);
    }
  }

  /** Ensures the directory, then opens or continues the session's journal (see {@link JournalWriter.open}). */
  async open(sessionId: string): Promise<Result<JournalWriter>> {
    const checked = checkJournalSessionId(sessionId);
    if (!checked.ok) return checked;
    try {
      await this.ensureDir();
    } catch (cause) {
      return err(journalIoError(cause, 'ensure directory', this.#options.dir));
    }
    const { fs, dir, signer, now, logger } = this.#options;
    return JournalWriter.open({
      fs,
      dir,
      sessionId: checked.value,
      signer,
      maxBytes: this.#maxBytes,
      ...(now === undefined ? {} : { now }),
      ...(logger === undefined ? {} : { logger }),
    });
  }

  /**
   * Reads and verifies the session's journal without changing it: not_found when there is none,
   * too_large over the limit (checked on the open file before reading), permission_denied for a
   * symlink. A torn tail or a corrupt line is reported inside the contents, not as a failure.
   */
  async read(sessionId: string): Promise<Result<JournalContents>> {
    const checked = checkJournalSessionId(sessionId);
    if (!checked.ok) return checked;
    const { fs, dir, signer } = this.#options;
    const path = journalPath(dir, checked.value);
    let fd: number;
    try {
      fd = await fs.open(path, journalOpenFlags.read);
    } catch (cause) {
      return err(journalIoError(cause, 'open', path));
    }
    const loaded = await readOpenJournal(fs, fd, path, this.#maxBytes);
    await closeQuietly(fs, fd);
    if (!loaded.ok) return loaded;
    const decoded = decodeJournal(loaded.value, checked.value, signer);
    return decoded.ok ? ok(decoded.value.contents) : decoded;
  }

  /**
   * Removes the session's journal (once its changes are in a durable snapshot) and makes the
   * removal durable. Idempotent: a missing journal or directory is success, and the directory is
   * still synced, in case an earlier retire removed the file but died before syncing.
   */
  async retire(sessionId: string): Promise<Result<void>> {
    const checked = checkJournalSessionId(sessionId);
    if (!checked.ok) return checked;
    const { fs, dir } = this.#options;
    const path = journalPath(dir, checked.value);
    try {
      await fs.unlink(path);
    } catch (cause) {
      if (errnoCode(cause) !== 'ENOENT') return err(journalIoError(cause, 'unlink', path));
    }
    try {
      await fsyncDirectory(fs, dir);
    } catch (cause) {
      if (errnoCode(cause) !== 'ENOENT') return err(journalIoError(cause, 'sync directory', path));
    }
    return ok(undefined);
  }

  /**
   * The ids of the sessions that have a journal, sorted; names that are not `<uuid v4>.jsonl` are
   * ignored. A missing directory has none.
   */
  list(): Promise<Result<string[]>> {
    return listJournalSessionIds(this.#options.fs, this.#options.dir);
  }

  /**
   * Moves the session's journal aside into `<dir>/quarantine/` (see {@link quarantineJournal}): for
   * a journal recovery cannot use, which must never be deleted.
   */
  async quarantine(sessionId: string, reason: QuarantineReason): Promise<Result<QuarantinedJournal>> {
    const checked = checkJournalSessionId(sessionId);
    if (!checked.ok) return checked;
    const { fs, dir, now } = this.#options;
    return quarantineJournal(fs, dir, checked.value, reason, now?.() ?? new Date());
  }

  /** The journals kept in `<dir>/quarantine/`, oldest first. */
  listQuarantined(): Promise<Result<QuarantinedJournal[]>> {
    return listQuarantinedJournals(this.#options.fs, this.#options.dir);
  }
}

/**
 * The ids of the sessions with a journal in `dir`, sorted: one `readdir`, nothing else (no
 * keyring), so a caller can check cheaply whether any recovery is pending.
 */
export async function listJournalSessionIds(fs: FileSystem, dir: string): Promise<Result<string[]>> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') return ok([]);
    return err(journalIoError(cause, 'list', dir));
  }
  const sessionIds: string[] = [];
  for (const name of names) {
    const sessionId = sessionIdFromJournalFileName(name);
    if (sessionId !== undefined) sessionIds.push(sessionId);
  }
  return ok(sessionIds.sort());
}

async function lstatOrUndefined(fs: FileSystem, path: string) {
  try {
    return await fs.lstat(path);
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') return undefined;
    throw cause;
  }
}
