import { err, JidoError, type Logger, ok, type Result, silentLogger } from '@jido-code/core-schema';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { fsyncDirectory } from '../io/durable-write.js';
import { decodeJournal } from './journal-decode.js';
import { journalIoError } from './journal-errors.js';
import {
  closeQuietly,
  defaultJournalSyncMode,
  type JournalSyncMode,
  journalFileMode,
  journalWriterFlags,
  readOpenJournal,
} from './journal-file-io.js';
import { checkJournalSessionId, journalPath } from './journal-path.js';
import type { JournalSigner } from './journal-signer.js';

/** Largest journal accepted on read and grown to by appends, unless configured: 64 MiB. */
export const defaultJournalMaxBytes = 64 * 1024 * 1024;

/** Options of `JournalWriter.open`. */
export interface JournalWriterOptions {
  /** Every file-system call goes through it. */
  readonly fs: FileSystem;
  /** The journal directory; it must exist (see `JournalDirectory.ensureDir`). */
  readonly dir: string;
  /** The session whose journal this is (UUID v4, checked before any file-system call). */
  readonly sessionId: string;
  /** Signs new lines and verifies existing ones. */
  readonly signer: JournalSigner;
  /** The clock for record timestamps; `() => new Date()` by default. */
  readonly now?: (() => Date) | undefined;
  /** Largest size the journal may have or grow to ({@link defaultJournalMaxBytes} by default). */
  readonly maxBytes?: number | undefined;
  /** Receives debug facts (a torn tail truncated away). */
  readonly logger?: Logger | undefined;
  /**
   * How an append is made durable: `O_DSYNC` writes on Linux, write + `fdatasync` elsewhere, by
   * default (see {@link JournalSyncMode}). Either way an append resolves only once it is on disk.
   */
  readonly syncMode?: JournalSyncMode | undefined;
  /** Zeros written ahead of the last line, so appends do not grow the file (64 KiB; 0: none). */
  readonly preallocateBytes?: number | undefined;
}

/** An open journal file and where a writer continues it. */
export interface WriterState {
  readonly options: JournalWriterOptions;
  readonly path: string;
  readonly fd: number;
  readonly nextSeq: number;
  readonly lastMac: string;
  /** Where the data ends. */
  readonly size: number;
  /** The file's size: the data and the zeros preallocated after it. */
  readonly allocated: number;
}

/**
 * Creates (0600, O_CREAT|O_EXCL|O_NOFOLLOW, then fsync of the directory) or continues an existing
 * journal: an existing one is read and verified first, a torn tail is truncated away (ftruncate +
 * fsync) so the next line does not glue onto garbage, and seq/chain continue. A corrupt existing
 * journal → journal_corrupt (caller decides); a symlink → permission_denied; a journal over
 * `maxBytes` → too_large.
 */
export async function openJournalFile(options: JournalWriterOptions): Promise<Result<WriterState>> {
  const checked = checkJournalSessionId(options.sessionId);
  if (!checked.ok) return checked;
  const { fs, dir } = options;
  const path = journalPath(dir, checked.value);
  const mode = options.syncMode ?? defaultJournalSyncMode;
  // A journal retired between a failed create and the open that follows is simply created on
  // the next round; a few rounds are plenty for a race that needs another writer to lose.
  for (let attempt = 0; attempt < 3; attempt++) {
    let created: number | undefined;
    try {
      created = await fs.open(path, journalWriterFlags('create', mode), journalFileMode);
    } catch (cause) {
      if (errnoCode(cause) !== 'EEXIST') return err(journalIoError(cause, 'create', path));
    }
    if (created !== undefined) {
      try {
        await fsyncDirectory(fs, dir);
      } catch (cause) {
        await closeQuietly(fs, created);
        return err(journalIoError(cause, 'sync directory', path));
      }
      return ok({ options, path, fd: created, nextSeq: 1, lastMac: '', size: 0, allocated: 0 });
    }
    let fd: number;
    try {
      fd = await fs.open(path, journalWriterFlags('continue', mode));
    } catch (cause) {
      if (errnoCode(cause) === 'ENOENT') continue;
      return err(journalIoError(cause, 'open', path));
    }
    const continued = await continueJournal(options, path, fd);
    if (!continued.ok) await closeQuietly(fs, fd);
    return continued;
  }
  return err(new JidoError('io_error', 'The session journal could not be opened.', { details: { path } }));
}

async function continueJournal(
  options: JournalWriterOptions,
  path: string,
  fd: number,
): Promise<Result<WriterState>> {
  const { fs, sessionId } = options;
  const loaded = await readOpenJournal(fs, fd, path, options.maxBytes ?? defaultJournalMaxBytes);
  if (!loaded.ok) return loaded;
  const decoded = decodeJournal(loaded.value, sessionId, options.signer);
  if (!decoded.ok) return decoded;
  const { contents, validBytes, lastMac } = decoded.value;
  if (contents.corruption !== undefined) return err(contents.corruption);
  const nextSeq = contents.records.length + 1;
  // Without a torn tail only zeros follow the last line, and the next batches are written over them.
  if (!contents.tornTail) {
    return ok({ options, path, fd, nextSeq, lastMac, size: validBytes, allocated: contents.sizeBytes });
  }
  try {
    await fs.ftruncate(fd, validBytes);
    await fs.fsync(fd);
  } catch (cause) {
    return err(journalIoError(cause, 'truncate torn tail', path));
  }
  (options.logger ?? silentLogger).debug('Truncated the torn tail of a session journal.', {
    path,
    removedBytes: contents.sizeBytes - validBytes,
  });
  return ok({ options, path, fd, nextSeq, lastMac, size: validBytes, allocated: validBytes });
}
