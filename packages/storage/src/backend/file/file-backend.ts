import type { AppConfig, Logger, Result } from '@jido-code/core-schema';
import type { KeyringPersistence } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import { fileSystemError } from '../../errors.js';
import { errnoCode, type FileSystem } from '../../fs/file-system.js';
import { fileKeyringPersistence, fileLockedDocument } from '../../home/home-documents.js';
import { type HomeLayout, validateSessionId } from '../../home/paths.js';
import { sweepStaleFiles } from '../../home/sweep.js';
import { readFileBounded } from '../../io/read-file.js';
import { backupJidoCodeFile, isForeignSessionFile } from '../../jidocode/jidocode-backup.js';
import { jidoCodeKeyFor } from '../../jidocode/jidocode-key.js';
import { SignedLedger } from '../../jidocode/signed-ledger.js';
import {
  JournalDirectory,
  type JournalSigner,
  listJournalSessionIds,
  listQuarantinedJournals,
  type QuarantinedJournal,
} from '../../journal/index.js';
import { type FileLockOptions, withFileLock } from '../../locking/file-lock.js';
import { acquireLeaseFile, type Lease, type LeaseInfo, leaseHolderOf } from '../../locking/lease.js';
import { fileSearchSource } from '../../search/file-search-source.js';
import { type SessionSearchProvider, StoreSearch } from '../../search/store-search.js';
import type { LoadedSession } from '../../sessions/session-codec.js';
import { SessionIndexCache } from '../../sessions/session-index.js';
import type {
  BackendListing,
  DescribeSession,
  SessionBackend,
  SessionCensus,
  SessionSlot,
  StoredSession,
  TrashedSession,
} from '../session-backend.js';
import { listSessionFiles } from './listing.js';
import { SessionCountRecord } from './session-count.js';
import {
  readSessionFile,
  type SessionFiles,
  sessionFileEntries,
  sessionFileExists,
  unlinkSessionFile,
  writeSessionFile,
} from './session-files.js';
import {
  moveToTrash,
  purgeTrashEntry,
  readTrashEntry,
  repairTrashRecord,
  restoreFromTrash,
  rewriteTrashEntry,
  trashedEntries,
} from './trash-files.js';

/** What a {@link FileBackend} needs; {@link openFileHome} prepares it from the store's options. */
export interface FileBackendOptions {
  readonly layout: HomeLayout;
  readonly fs: FileSystem;
  readonly config: AppConfig;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The host name JidoCode's key is salted with; defaults to this machine's. */
  readonly hostname?: string | undefined;
}

/**
 * Sessions as files under a local home: one signed file per session, per-id file locks, lease
 * files, an index of metadata, the keyring and state documents, and the journals. Correct on
 * local file systems only (it relies on `O_EXCL`, atomic rename, `link` and pid checks).
 */
export class FileBackend implements SessionBackend {
  readonly kind = 'file';
  /** Every path under the home. */
  readonly layout: HomeLayout;
  /** The file-system layer every call goes through. */
  readonly fs: FileSystem;
  readonly #config: AppConfig;
  readonly #now: () => Date;
  readonly #logger: Logger;
  readonly #files: SessionFiles;
  /** The listing index as this store last read or wrote it. */
  readonly #index: SessionIndexCache;
  readonly #sessionCount: SessionCountRecord;
  readonly #hostname: string | undefined;
  readonly #backupTaken = new Set<string>();
  #ledger: SignedLedger | undefined;

  constructor(options: FileBackendOptions) {
    this.layout = options.layout;
    this.fs = options.fs;
    this.#config = options.config;
    this.#now = options.now;
    this.#logger = options.logger;
    this.#hostname = options.hostname;
    this.#files = {
      fs: options.fs,
      layout: options.layout,
      maxBytes: options.config.max_file_size_bytes,
      logger: options.logger,
      uid: process.getuid?.(),
    };
    this.#index = new SessionIndexCache(options.fs, options.layout.indexFile, options.logger);
    this.#sessionCount = new SessionCountRecord(this.#files, options.layout.sessionCountFile, options.logger);
  }

  /** The home directory. */
  get home(): string {
    return this.layout.home;
  }

  /** `<home>/sessions`. */
  get sessionsDir(): string {
    return this.layout.sessionsDir;
  }

  /** Lock options from the config. */
  get lockOptions(): FileLockOptions {
    return {
      staleMs: this.#config.lock_stale_ms,
      timeoutMs: this.#config.lock_timeout_ms,
      now: this.#now,
      logger: this.#logger,
    };
  }

  read(id: string): Promise<StoredSession> {
    return readSessionFile(this.#files, id);
  }

  withSession<T>(id: string, fn: (slot: SessionSlot) => Promise<T>): Promise<T> {
    const files = this.#files;
    const slot: SessionSlot = {
      read: () => readSessionFile(files, id),
      exists: () => sessionFileExists(files, id),
      write: async (bytes, replacing) => {
        if (replacing) await this.#backUpForeignFile(id);
        await writeSessionFile(files, id, bytes);
      },
      remove: () => unlinkSessionFile(files, id),
      leaseHolder: () => this.leaseHolder(id),
      trash: (entry, record) => moveToTrash(files, id, entry, record),
      restore: (entry) => restoreFromTrash(files, id, entry),
      purgeTrashed: (entry) => purgeTrashEntry(files, entry),
      rewriteTrashed: (entry, bytes, record) => rewriteTrashEntry(files, entry, bytes, record),
    };
    return withFileLock(this.fs, this.layout.sessionLock(id), this.lockOptions, () => fn(slot));
  }

  withCreation<T>(fn: (census: SessionCensus) => Promise<T>): Promise<T> {
    const census: SessionCensus = {
      count: () => this.#sessionCount.count(),
      created: (count) => this.#sessionCount.created(count),
      // The victim's session lock is not taken (the caller holds its own session's lock and the
      // count lock); the lease check still guarantees that an open session is never removed.
      removeUnleased: async (id) => {
        if ((await this.leaseHolder(id)) !== undefined) return false;
        await unlinkSessionFile(this.#files, id);
        return true;
      },
    };
    return withFileLock(this.fs, this.layout.sessionCountLock, this.lockOptions, () => fn(census));
  }

  list(describe: DescribeSession): Promise<BackendListing> {
    return listSessionFiles(this.#files, this.#index, describe);
  }

  entries(): Promise<{ file: string; id: string }[]> {
    return sessionFileEntries(this.#files);
  }

  trashEntries(): Promise<TrashedSession[]> {
    return trashedEntries(this.#files, (id, entry) =>
      withFileLock(this.fs, this.layout.sessionLock(id), this.lockOptions, () =>
        repairTrashRecord(this.#files, entry),
      ),
    );
  }

  readTrashed(entry: string): Promise<StoredSession> {
    return readTrashEntry(this.#files, entry);
  }

  /** Search through a SQLite FTS5 index at `<home>/index/search.db`, derived from the files. */
  search(load: (id: string) => Promise<Result<LoadedSession>>): SessionSearchProvider {
    return new StoreSearch({
      fs: this.fs,
      path: this.layout.searchIndexFile,
      sessionFile: (id) => this.layout.sessionFile(id),
      source: fileSearchSource({ fs: this.fs, sessionsDir: this.layout.sessionsDir, load }),
      logger: this.#logger,
    });
  }

  acquireLease(id: string): Promise<Result<Lease>> {
    return withFileLock(this.fs, this.layout.sessionLock(id), this.lockOptions, () =>
      acquireLeaseFile(this.fs, this.layout.leaseFile(id), id, { now: this.#now, logger: this.#logger }),
    );
  }

  leaseHolder(id: string): Promise<LeaseInfo | undefined> {
    return leaseHolderOf(this.fs, this.layout.leaseFile(id), id, { now: this.#now, logger: this.#logger });
  }

  async leasedIds(): Promise<Set<string>> {
    let names: string[];
    try {
      names = await this.fs.readdir(this.layout.leasesDir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return new Set();
      throw fileSystemError(error, 'check which sessions are open', { path: this.layout.leasesDir });
    }
    const leased = new Set<string>();
    for (const name of names) {
      if (!name.endsWith('.lease')) continue;
      const id = name.slice(0, -'.lease'.length);
      if (validateSessionId(id).ok && (await this.leaseHolder(id)) !== undefined) leased.add(id);
    }
    return leased;
  }

  keyringPersistence(): KeyringPersistence {
    return fileKeyringPersistence(
      this.fs,
      { file: this.layout.keyringFile, lock: this.layout.keyringLock },
      this.lockOptions,
    );
  }

  lockedDocument(name: string): LockedDocument {
    return fileLockedDocument(
      this.fs,
      { file: this.layout.stateFile(name), lock: this.layout.stateLock(name) },
      this.lockOptions,
      this.#config.max_file_size_bytes,
    );
  }

  signedIds(): SignedLedger {
    this.#ledger ??= new SignedLedger(this.fs, this.home, this.#logger);
    return this.#ledger;
  }

  jidoCodeKey(): Promise<Uint8Array> {
    return jidoCodeKeyFor(this.fs, this.home, this.#hostname);
  }

  async journals(signer: JournalSigner): Promise<JournalDirectory> {
    const directory = new JournalDirectory({
      fs: this.fs,
      dir: this.layout.journalDir,
      now: this.#now,
      signer,
    });
    await directory.ensureDir();
    return directory;
  }

  async journalIds(): Promise<string[]> {
    return unwrap(await listJournalSessionIds(this.fs, this.layout.journalDir));
  }

  async quarantinedJournals(): Promise<QuarantinedJournal[]> {
    return unwrap(await listQuarantinedJournals(this.fs, this.layout.journalDir));
  }

  sweep(maxAgeMs: number): Promise<number> {
    return sweepStaleFiles(this.fs, this.layout, maxAgeMs, this.#logger);
  }

  /**
   * Runs `rewrite` for session `id` whose backup the caller has just made itself (the migration,
   * which may back up a redacted copy): its first rewrite then does not add the original's bytes
   * as a second backup.
   */
  async withBackupTaken<T>(id: string, rewrite: () => Promise<T>): Promise<T> {
    this.#backupTaken.add(id);
    try {
      return await rewrite();
    } finally {
      this.#backupTaken.delete(id);
    }
  }

  /**
   * The bytes the first rewrite of a JidoCode file backs up, given the original's: by default the
   * original itself. The session layer sets the rule `migrate` follows (secrets redacted, signed
   * again with JidoCode's key), so that a JidoCode file resumed and saved without `migrate` is
   * backed up the same way. It must be deterministic, like `migrate`'s `backupBytes`.
   */
  foreignBackupBytes: ((original: Uint8Array) => Promise<Uint8Array>) | undefined = undefined;

  /** The first rewrite of a file not in this project's form (JidoCode's) keeps the original. */
  async #backUpForeignFile(id: string): Promise<void> {
    if (this.#backupTaken.has(id)) return;
    const path = this.layout.sessionFile(id);
    if (!(await isForeignSessionFile(this.fs, path))) return;
    const original = await readFileBounded(this.fs, path, this.#config.max_file_size_bytes, 'the session');
    const bytes =
      this.foreignBackupBytes === undefined ? original.bytes : await this.foreignBackupBytes(original.bytes);
    const name = await backupJidoCodeFile(this.fs, this.home, id, bytes);
    this.#logger.warn('Backed up the JidoCode session file before its first rewrite.', { id, backup: name });
  }
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
