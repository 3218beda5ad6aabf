import {
  type AppConfig,
  type AppConfigInput,
  err,
  JidoError,
  type Logger,
  ok,
  type Result,
  type Session,
  silentLogger,
  toJidoError,
  type UnsignedSession,
} from '@jido-code/core-schema';
import { type KeyInfo, Keyring } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import { fileSystemError } from './errors.js';
import { errnoCode, type FileStats, type FileSystem, nodeFileSystem } from './fs/file-system.js';
import { loadAppConfig } from './home/config.js';
import { fileKeyringPersistence, fileLockedDocument } from './home/home-documents.js';
import {
  documentNamePattern,
  type HomeLayout,
  homeLayout,
  resolveHome,
  sessionIdFromFileName,
  validateSessionId,
} from './home/paths.js';
import { checkDirectoryStats, ensureSecureDirectory, withHomeModeFix } from './home/secure-directory.js';
import { fsyncDirectory, tempFilePattern, writeFileDurably } from './io/durable-write.js';
import { readFileBounded } from './io/read-file.js';
import { backupJidoCodeFile, isForeignSessionFile } from './jidocode/jidocode-backup.js';
import { jidoCodeKeyFor } from './jidocode/jidocode-key.js';
import { SignedLedger } from './jidocode/signed-ledger.js';
import { JournalDirectory } from './journal/index.js';
import { type FileLockOptions, withFileLock } from './locking/file-lock.js';
import { acquireLeaseFile, type Lease, type LeaseInfo, leaseHolderOf } from './locking/lease.js';
import { oldestInactive, planCleanup } from './sessions/retention.js';
import { decodeSession, encodeSession, type LoadedSession } from './sessions/session-codec.js';
import {
  entryMatches,
  type IndexEntry,
  readSessionIndex,
  writeSessionIndex,
} from './sessions/session-index.js';
import { compareByClosedNewestFirst, metadataOf, type SessionMetadata } from './sessions/session-metadata.js';
import { type SessionVerifier, verifySessionFile } from './sessions/session-verification.js';

/** Options for {@link SessionStore.open}. */
export interface StorageOptions {
  /** The home directory; else `$JIDO_CODE_HOME`, else `~/.jido_code`. */
  readonly home?: string | undefined;
  /** Environment for the home and `JIDO_*` config variables; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** File-system layer (tests inject faults here); defaults to {@link nodeFileSystem}. */
  readonly fs?: FileSystem | undefined;
  /** Clock; defaults to the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Debug and warning sink; defaults to {@link silentLogger}. */
  readonly logger?: Logger | undefined;
  /** Config overrides applied on top of `config.json` and the environment. */
  readonly config?: Partial<AppConfigInput> | undefined;
  /** The host name JidoCode's key is salted with (up to its first dot); defaults to this machine's. */
  readonly hostname?: string | undefined;
}

/** The outcome of a save. */
export interface SaveReport {
  /** The session id. */
  readonly id: string;
  /** Bytes written. */
  readonly bytes: number;
  /** True when the session had no file before. */
  readonly created: boolean;
  /** Present when the number of saved sessions reached the warning ratio of the limit. */
  readonly warning?: { readonly code: 'session_count_warning'; readonly count: number; readonly max: number };
}

/** A file a listing could not use, with the reason. */
export interface ListingProblem {
  /** File name inside the sessions folder (never a full path). */
  readonly file: string;
  /** The session id its name carries. */
  readonly id?: string;
  /** Why it was skipped. */
  readonly error: JidoError;
}

/** A listing of saved sessions. */
export interface SessionListing {
  /** Newest closed first. */
  readonly sessions: readonly SessionMetadata[];
  /** Files that were skipped, each with its error: reported, never hidden. */
  readonly problems: readonly ListingProblem[];
  /** How many files were parsed and how many index entries were reused. */
  readonly stats: { readonly parsed: number; readonly reused: number };
}

/** Sessions open in the calling process, which listing, clear and cleanup must leave alone. */
export interface ActiveSessions {
  readonly ids?: Iterable<string>;
  readonly projectPaths?: Iterable<string>;
}

/** Options for {@link SessionStore.cleanup}. */
export interface CleanupOptions {
  /** Delete sessions whose last activity is older than this; defaults to `cleanup_max_age_days`. */
  readonly maxAgeDays?: number | undefined;
  /** Keep at most this many sessions (newest by last activity). */
  readonly maxCount?: number | undefined;
  /** Report what would be deleted without deleting. */
  readonly dryRun?: boolean | undefined;
  /** Sessions open in this process. */
  readonly active?: ActiveSessions | undefined;
}

/** What clear or cleanup did; it continues past failures. */
export interface CleanupReport {
  /** Deleted (or, on a dry run, would be deleted). */
  readonly deleted: string[];
  /** Qualified but active, so kept. */
  readonly skipped: string[];
  /** Could not be deleted. */
  readonly failed: string[];
  /** The error of each failure. */
  readonly errors: { readonly id: string; readonly error: JidoError }[];
}

/** The outcome of {@link SessionStore.verifyAll}. */
/** Progress callbacks for {@link SessionStore.verifyAll}, for a progress bar. */
export interface VerifyOptions {
  /** Called once with the number of session files about to be checked. */
  readonly onStart?: ((total: number) => void) | undefined;
  /** Called after each file with how many are done. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface VerifyReport {
  /** Files checked. */
  readonly checked: number;
  /** Ids whose file passed every check with a valid signature. */
  readonly valid: string[];
  /** Ids accepted as unsigned legacy files under the current policy. */
  readonly unsigned: string[];
  /** The ids among `valid` whose signature verified with JidoCode's key. */
  readonly jidocode: string[];
  /** Files that failed, with their errors. */
  readonly failed: ListingProblem[];
}

export type { LoadedSession } from './sessions/session-codec.js';

const staleTempAgeMs = 5 * 60 * 1000;

function activeMatcher(active: ActiveSessions | undefined, leased: ReadonlySet<string>) {
  const ids = new Set(active?.ids ?? []);
  const projectPaths = new Set(active?.projectPaths ?? []);
  return (session: { id: string; project_path?: string }) =>
    ids.has(session.id) ||
    leased.has(session.id) ||
    (session.project_path !== undefined && projectPaths.has(session.project_path));
}

function failure(error: unknown, action: string): JidoError {
  return error instanceof JidoError ? error : toJidoError(error, 'internal', `Could not ${action}.`);
}

/**
 * The session store on the local file system. Everything under the home goes through it: sessions,
 * keyring, rate-limit state, index, locks and leases. Every public method returns a {@link Result}
 * and never throws (except {@link SessionStore.keyring}, which rejects with a JidoError).
 */
export class SessionStore {
  /** The home directory. */
  readonly home: string;
  /** `<home>/sessions`. */
  readonly sessionsDir: string;
  /** The resolved configuration. */
  readonly config: AppConfig;
  /** The file-system layer every call goes through. */
  readonly fs: FileSystem;
  /** Every path under the home. */
  readonly layout: HomeLayout;
  readonly #now: () => Date;
  readonly #logger: Logger;
  #keyring: Promise<Keyring> | undefined;
  readonly #hostname: string | undefined;
  #ledger: SignedLedger | undefined;
  #journals: Promise<JournalDirectory> | undefined;

  private constructor(
    layout: HomeLayout,
    config: AppConfig,
    fs: FileSystem,
    now: () => Date,
    logger: Logger,
    hostname?: string,
  ) {
    this.#hostname = hostname;
    this.layout = layout;
    this.home = layout.home;
    this.sessionsDir = layout.sessionsDir;
    this.config = config;
    this.fs = fs;
    this.#now = now;
    this.#logger = logger;
  }

  /**
   * Resolves the home, checks or creates it and its folders (0700, not a symlink, owned by this
   * user, no access for group or others: else `unsafe_home`), reads `config.json` and the environment, and
   * sweeps stale temp files.
   */
  static async open(options: StorageOptions = {}): Promise<Result<SessionStore>> {
    const fs = options.fs ?? nodeFileSystem;
    const env = options.env ?? process.env;
    const logger = options.logger ?? silentLogger;
    const now = options.now ?? (() => new Date());
    const layout = homeLayout(
      resolveHome({ ...(options.home === undefined ? {} : { home: options.home }), env }),
    );
    try {
      await ensureSecureDirectory(fs, layout.home, { createParents: true });
      const config = await loadAppConfig(fs, layout.configFile, env, options.config);
      if (!config.ok) return config;
      for (const directory of [
        layout.sessionsDir,
        layout.locksDir,
        layout.leasesDir,
        layout.keysDir,
        layout.stateDir,
        layout.indexDir,
      ]) {
        await ensureSecureDirectory(fs, directory);
      }
      const store = new SessionStore(layout, config.value, fs, now, logger, options.hostname);
      await store.sweepTemporaryFiles();
      return ok(store);
    } catch (error) {
      return err(failure(withHomeModeFix(error, layout.home), 'open the jido home'));
    }
  }

  /** Lock options from the config. */
  get lockOptions(): FileLockOptions {
    return {
      staleMs: this.config.lock_stale_ms,
      timeoutMs: this.config.lock_timeout_ms,
      now: this.#now,
      logger: this.#logger,
    };
  }

  /** The signing keyring, opened once per store (created on first use) and kept in memory. */
  keyring(): Promise<Keyring> {
    if (this.#keyring === undefined) {
      const opening = Keyring.open(
        fileKeyringPersistence(
          this.fs,
          { file: this.layout.keyringFile, lock: this.layout.keyringLock },
          this.lockOptions,
        ),
        { now: this.#now, logger: this.#logger },
      );
      this.#keyring = opening;
      opening.catch(() => {
        if (this.#keyring === opening) this.#keyring = undefined;
      });
    }
    return this.#keyring;
  }

  /**
   * The per-session journals under `<home>/journal`, their lines signed with the keyring. Opened
   * once per store.
   */
  journals(): Promise<JournalDirectory> {
    if (this.#journals === undefined) {
      const opening = (async () => {
        const keyring = await this.keyring();
        const directory = new JournalDirectory({
          fs: this.fs,
          dir: this.layout.journalDir,
          now: this.#now,
          signer: {
            sign: (payload) => keyring.sign(payload),
            verify: (payload, signature) => keyring.verify(payload, signature).status === 'valid',
          },
        });
        await directory.ensureDir();
        return directory;
      })();
      this.#journals = opening;
      opening.catch(() => {
        if (this.#journals === opening) this.#journals = undefined;
      });
    }
    return this.#journals;
  }

  /** Adds a new signing key; files signed with older keys still verify. */
  async rotateKey(): Promise<Result<KeyInfo>> {
    try {
      return ok(await (await this.keyring()).rotate());
    } catch (error) {
      return err(failure(error, 'rotate the signing key'));
    }
  }

  /**
   * Validates, signs and durably writes a session, serialized with every other save of that id in
   * this process (FIFO: the last requested state ends on disk) and across processes (file lock).
   * A new session is subject to the session count limit.
   */
  async save(session: Session | UnsignedSession): Promise<Result<SaveReport>> {
    const id = validateSessionId((session as { id?: unknown } | null)?.id as string);
    if (!id.ok) return id;
    try {
      return ok(await this.#withSessionLock(id.value, () => this.#writeSession(session, id.value)));
    } catch (error) {
      return err(failure(error, 'save the session'));
    }
  }

  /**
   * Read-modify-write under the session's cross-process lock: loads the session, applies `change`
   * and saves the result, so concurrent updates from several processes are never lost.
   */
  async update(id: string, change: (current: Session) => Session): Promise<Result<SaveReport>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return valid;
    try {
      return ok(
        await this.#withSessionLock(id, async () => {
          const loaded = await this.#loadFile(id);
          if (!loaded.ok) throw loaded.error;
          const next = change(loaded.value.session);
          if (next.id !== id) {
            throw new JidoError('invalid_value', 'An update may not change the session id.', {
              details: { id, next: next.id },
            });
          }
          return this.#writeSession(next, id);
        }),
      );
    } catch (error) {
      return err(failure(error, 'update the session'));
    }
  }

  /**
   * Loads one session: no symlink followed, size checked on the open descriptor before reading,
   * strict UTF-8, version migration, schema, then signature (an `unknown_key` triggers one keyring
   * reload, since another process may have rotated). Never throws.
   */
  async load(id: string): Promise<Result<LoadedSession>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return valid;
    try {
      return await this.#loadFile(id);
    } catch (error) {
      return err(failure(error, 'load the session'));
    }
  }

  /**
   * Metadata of every saved session, newest closed first. Unchanged files are served from the
   * index; changed ones are loaded (fully validated) and the index refreshed. Unusable files are
   * reported in `problems`. A missing sessions folder is an empty list; a folder that cannot be
   * read is an error.
   */
  async listPersisted(): Promise<Result<SessionListing>> {
    try {
      return ok(await this.#list());
    } catch (error) {
      return err(failure(error, 'list the saved sessions'));
    }
  }

  /** {@link listPersisted} without sessions open here (`active`) or leased by another live process. */
  async listResumable(active?: ActiveSessions): Promise<Result<SessionListing>> {
    try {
      const listing = await this.#list();
      const isActive = activeMatcher(active, await this.#leasedIds());
      return ok({ ...listing, sessions: listing.sessions.filter((session) => !isActive(session)) });
    } catch (error) {
      return err(failure(error, 'list the resumable sessions'));
    }
  }

  /** Deletes one session; idempotent. A session leased by a live process is refused (`session_active`). */
  async delete(id: string): Promise<Result<{ deleted: boolean }>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return valid;
    try {
      const outcome = await this.#deleteOne(id);
      if (outcome === 'active') {
        return err(
          new JidoError('session_active', 'The session is open in a jido process and was not deleted.'),
        );
      }
      return ok({ deleted: outcome === 'deleted' });
    } catch (error) {
      return err(failure(error, 'delete the session'));
    }
  }

  /** Deletes every saved session that is not active (here or leased elsewhere), continuing past failures. */
  async clear(active?: ActiveSessions): Promise<Result<CleanupReport>> {
    try {
      const listing = await this.#list();
      const isActive = activeMatcher(active, await this.#leasedIds());
      const targets: { id: string; project_path?: string }[] = [
        ...listing.sessions,
        ...listing.problems.flatMap((problem) => (problem.id === undefined ? [] : [{ id: problem.id }])),
      ];
      const report = emptyReport();
      for (const target of targets) {
        if (isActive(target)) report.skipped.push(target.id);
        else await this.#deleteInto(report, target.id);
      }
      return ok(report);
    } catch (error) {
      return err(failure(error, 'clear the saved sessions'));
    }
  }

  /**
   * Retention: deletes sessions older than `maxAgeDays` (default from config) and beyond `maxCount`,
   * never an active one; continues past failures.
   */
  async cleanup(options: CleanupOptions = {}): Promise<Result<CleanupReport>> {
    try {
      const listing = await this.#list();
      const isActive = activeMatcher(options.active, await this.#leasedIds());
      const plan = planCleanup(listing.sessions, {
        now: this.#now(),
        maxAgeDays: options.maxAgeDays ?? this.config.cleanup_max_age_days,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
        isActive,
      });
      const report = emptyReport();
      report.skipped.push(...plan.skipped);
      const updatedAt = new Map(listing.sessions.map((session) => [session.id, session.updated_at]));
      for (const id of plan.remove) {
        if (options.dryRun) report.deleted.push(id);
        else await this.#deleteInto(report, id, updatedAt.get(id));
      }
      return ok(report);
    } catch (error) {
      return err(failure(error, 'clean up the saved sessions'));
    }
  }

  /** Checks every session file (size, schema, signature), bypassing the index. */
  async verifyAll(options: VerifyOptions = {}): Promise<Result<VerifyReport>> {
    try {
      const report = {
        checked: 0,
        valid: [] as string[],
        unsigned: [] as string[],
        jidocode: [] as string[],
        failed: [] as ListingProblem[],
      };
      const files = (await this.#sessionFileNames()).flatMap((name) => {
        const id = sessionIdFromFileName(name);
        return id === undefined ? [] : [{ name, id }];
      });
      options.onStart?.(files.length);
      for (const { name, id } of files) {
        report.checked += 1;
        const loaded = await this.#loadFile(id).catch((error: unknown) =>
          err(failure(error, 'verify the session')),
        );
        if (!loaded.ok) report.failed.push({ file: name, id, error: loaded.error });
        else (loaded.value.signed ? report.valid : report.unsigned).push(id);
        if (loaded.ok && loaded.value.signer === 'jidocode') report.jidocode.push(id);
        options.onProgress?.(report.checked, files.length);
      }
      return ok(report satisfies VerifyReport);
    } catch (error) {
      return err(failure(error, 'verify the saved sessions'));
    }
  }

  /**
   * A file-backed locked document under `<home>/state/<name>.json` for rate-limit state shared by
   * CLI processes. Throws `invalid_value` for a name that is not lower-case letters, digits and dashes.
   */
  rateLimitDocument(name = 'rate-limit'): LockedDocument {
    if (!documentNamePattern.test(name)) {
      throw new JidoError('invalid_value', 'The state document name is not valid.', { details: { name } });
    }
    return fileLockedDocument(
      this.fs,
      { file: this.layout.stateFile(name), lock: this.layout.stateLock(name) },
      this.lockOptions,
      this.config.max_file_size_bytes,
    );
  }

  /**
   * Takes the lease that marks a session open in this process. A live holder anywhere, this process
   * included, gives `already_open_elsewhere`; a dead holder's lease is taken over.
   */
  async acquireLease(id: string): Promise<Result<Lease>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return valid;
    try {
      return await this.#withSessionLock(id, () =>
        acquireLeaseFile(this.fs, this.layout.leaseFile(id), id, { now: this.#now, logger: this.#logger }),
      );
    } catch (error) {
      return err(failure(error, 'open the session'));
    }
  }

  /** The live holder of a session's lease, or undefined (a dead holder's lease is cleaned up). */
  async leaseHolder(id: string): Promise<LeaseInfo | undefined> {
    if (!validateSessionId(id).ok) return undefined;
    return leaseHolderOf(this.fs, this.layout.leaseFile(id), id, { now: this.#now, logger: this.#logger });
  }

  /**
   * Removes temp files (and stale-lock leftovers) older than a few minutes: what a crash between
   * temp creation and rename leaves behind. Returns how many were removed.
   */
  async sweepTemporaryFiles(maxAgeMs = staleTempAgeMs): Promise<number> {
    const cutoff = Date.now() - maxAgeMs;
    let removed = 0;
    const folders: [string, (name: string) => boolean][] = [
      [this.layout.sessionsDir, (name) => tempFilePattern.test(name)],
      [this.layout.keysDir, (name) => tempFilePattern.test(name)],
      [this.layout.stateDir, (name) => tempFilePattern.test(name)],
      [this.layout.indexDir, (name) => tempFilePattern.test(name)],
      [this.layout.locksDir, (name) => /\.lock\.stale\.[0-9a-f]+$/.test(name)],
      [this.layout.leasesDir, (name) => /\.lease\.stale\.[0-9a-f]+$/.test(name)],
    ];
    for (const [folder, matches] of folders) {
      let names: string[];
      try {
        names = await this.fs.readdir(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        if (!matches(name)) continue;
        const path = `${folder}/${name}`;
        try {
          const stats = await this.fs.lstat(path);
          if (!stats.isFile() || stats.mtimeMs > cutoff) continue;
          await this.fs.unlink(path);
          removed += 1;
          this.#logger.debug('Removed a stale temporary file.', { path });
        } catch (error) {
          this.#logger.debug('Could not remove a stale temporary file.', { path, error: String(error) });
        }
      }
    }
    return removed;
  }

  #withSessionLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withFileLock(this.fs, this.layout.sessionLock(id), this.lockOptions, fn);
  }

  /**
   * Re-checks the home and sessions folder before each file operation: they were safe when the
   * store opened, but a folder swapped for a symlink since then must not be followed. (A swap in
   * the microseconds between this check and the open remains possible; it needs write access to
   * the 0700 home.)
   */
  async #checkFolders(): Promise<void> {
    for (const directory of [this.layout.home, this.layout.sessionsDir]) {
      let stats: FileStats;
      try {
        stats = await this.fs.lstat(directory);
      } catch (error) {
        throw fileSystemError(error, 'check the sessions folder', { path: directory });
      }
      checkDirectoryStats(directory, stats);
    }
  }

  async #writeSession(input: Session | UnsignedSession, id: string): Promise<SaveReport> {
    await this.#checkFolders();
    const keyring = await this.keyring();
    const encoded = encodeSession(input, (payload) => keyring.sign(payload), this.config.max_file_size_bytes);
    if (!encoded.ok) throw encoded.error;
    const path = this.layout.sessionFile(id);
    const write = () => writeFileDurably(this.fs, path, encoded.value.bytes, { action: 'save the session' });
    if (await this.#exists(path)) {
      await this.#backUpForeignFile(id, path);
      await write();
      await this.#signedLedger().record(id);
      return { id, bytes: encoded.value.bytes.length, created: false };
    }
    return withFileLock(this.fs, this.layout.sessionCountLock, this.lockOptions, async () => {
      let count = await this.#countSessions();
      const max = this.config.max_sessions;
      while (count >= max) {
        if (!this.config.auto_cleanup_on_limit) {
          throw new JidoError(
            'session_count_limit',
            `The limit of ${max} saved sessions is reached; delete or clean up old sessions first.`,
            { details: { count, max } },
          );
        }
        await this.#removeOldestFor(id, count, max);
        count = await this.#countSessions();
      }
      await write();
      await this.#signedLedger().record(id);
      const after = count + 1;
      const report: SaveReport = { id, bytes: encoded.value.bytes.length, created: true };
      if (after >= Math.ceil(max * this.config.session_warn_ratio)) {
        this.#logger.warn('Saved sessions are nearing the limit.', { count: after, max });
        return { ...report, warning: { code: 'session_count_warning', count: after, max } };
      }
      return report;
    });
  }

  async #removeOldestFor(id: string, count: number, max: number): Promise<void> {
    const listing = await this.#list();
    const isActive = activeMatcher({ ids: [id] }, await this.#leasedIds());
    const victim = oldestInactive(listing.sessions, isActive);
    if (victim === undefined) {
      throw new JidoError(
        'session_count_limit',
        `The limit of ${max} saved sessions is reached and every saved session is in use.`,
        { details: { count, max } },
      );
    }
    // The victim's session lock is not taken here (we hold this session's and the count lock);
    // the lease check still guarantees that an open session is never removed.
    if ((await this.leaseHolder(victim.id)) !== undefined) return;
    await this.#unlinkSession(victim.id);
    this.#logger.warn('Removed the least recently used session to stay within the session limit.', {
      removed: victim.id,
    });
  }

  async #loadFile(id: string): Promise<Result<LoadedSession>> {
    const path = this.layout.sessionFile(id);
    let bytes: Uint8Array;
    try {
      await this.#checkFolders();
      const read = await readFileBounded(this.fs, path, this.config.max_file_size_bytes, 'the session');
      const uid = process.getuid?.();
      if (uid !== undefined && read.stats.uid !== uid) {
        return err(
          new JidoError('permission_denied', 'The session file belongs to another user and was refused.', {
            details: { path, owner: read.stats.uid },
          }),
        );
      }
      bytes = read.bytes;
    } catch (error) {
      return err(failure(error, 'load the session'));
    }
    const decoded = decodeSession(bytes, id);
    if (!decoded.ok) return err(withDetails(decoded.error, { path }));
    const loaded = await verifySessionFile(decoded.value, bytes, await this.#verifier());
    if (!loaded.ok) return err(withDetails(loaded.error, { path }));
    if (loaded.value.warnings.includes('unsigned')) {
      this.#logger.warn('Loaded an unsigned session file (accepted by policy).', { id });
    }
    if (decoded.value.unknownKeys.length > 0) {
      this.#logger.debug('The session file has unknown keys; they were ignored.', {
        id,
        keys: decoded.value.unknownKeys.slice(0, 20),
      });
    }
    return loaded;
  }

  #signedLedger(): SignedLedger {
    this.#ledger ??= new SignedLedger(this.fs, this.home, this.#logger);
    return this.#ledger;
  }

  async #verifier(): Promise<SessionVerifier> {
    const keyring = await this.keyring();
    return {
      verify: (payload, signature) => keyring.verify(payload, signature),
      reloadKeyring: () =>
        keyring.reload().catch((error: unknown) => {
          this.#logger.debug('Could not reload the keyring.', { error: String(error) });
        }),
      jidoCodeKey: () => jidoCodeKeyFor(this.fs, this.home, this.#hostname),
      ledger: this.#signedLedger(),
      policy: this.config.unsigned_policy,
    };
  }

  /** The first rewrite of a file not in this project's form (JidoCode's) keeps the original. */
  async #backUpForeignFile(id: string, path: string): Promise<void> {
    if (!(await isForeignSessionFile(this.fs, path))) return;
    const original = await readFileBounded(this.fs, path, this.config.max_file_size_bytes, 'the session');
    const name = await backupJidoCodeFile(this.fs, this.home, id, original.bytes);
    this.#logger.warn('Backed up the JidoCode session file before its first rewrite.', { id, backup: name });
  }

  async #sessionFileNames(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.layout.sessionsDir)).sort();
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw fileSystemError(error, 'list the saved sessions', { path: this.layout.sessionsDir });
    }
  }

  async #countSessions(): Promise<number> {
    return (await this.#sessionFileNames()).filter((name) => sessionIdFromFileName(name) !== undefined)
      .length;
  }

  async #exists(path: string): Promise<boolean> {
    try {
      await this.fs.lstat(path);
      return true;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw fileSystemError(error, 'save the session', { path });
    }
  }

  async #list(): Promise<SessionListing> {
    const names = await this.#sessionFileNames();
    const previous = await readSessionIndex(this.fs, this.layout.indexFile, this.#logger);
    const next = new Map<string, IndexEntry>();
    const sessions: SessionMetadata[] = [];
    const problems: ListingProblem[] = [];
    let parsed = 0;
    let reused = 0;
    const uid = process.getuid?.();
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const id = sessionIdFromFileName(name);
      if (id === undefined) {
        this.#logger.debug('Ignored a file that is not a session file.', { file: name });
        continue;
      }
      const path = this.layout.sessionFile(id);
      let stats: Awaited<ReturnType<FileSystem['lstat']>>;
      try {
        stats = await this.fs.lstat(path);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') continue;
        problems.push({ file: name, id, error: fileSystemError(error, 'read the session', { path }) });
        continue;
      }
      if (stats.isSymbolicLink() || !stats.isFile()) {
        problems.push({
          file: name,
          id,
          error: new JidoError(
            'permission_denied',
            'The session file is not a regular file and was skipped.',
            {
              details: { path, symlink: stats.isSymbolicLink() },
            },
          ),
        });
        continue;
      }
      if (uid !== undefined && stats.uid !== uid) {
        problems.push({
          file: name,
          id,
          error: new JidoError(
            'permission_denied',
            'The session file belongs to another user and was skipped.',
            {
              details: { path, owner: stats.uid },
            },
          ),
        });
        continue;
      }
      const cached = previous.get(name);
      if (cached !== undefined && entryMatches(cached, stats)) {
        reused += 1;
        next.set(name, cached);
        sessions.push(cached.metadata);
        continue;
      }
      parsed += 1;
      const loaded = await this.#loadFile(id).catch((error: unknown) =>
        err(failure(error, 'load the session')),
      );
      if (!loaded.ok) {
        problems.push({ file: name, id, error: loaded.error });
        continue;
      }
      // Stats from before the read: if the file changed meanwhile, the entry will not match next time.
      const metadata = metadataOf(loaded.value.session, loaded.value.signed, stats.size, loaded.value.signer);
      next.set(name, { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, metadata });
      sessions.push(metadata);
    }
    if (parsed > 0 || next.size !== previous.size) {
      await writeSessionIndex(this.fs, this.layout.indexFile, next, this.#logger);
    }
    sessions.sort(compareByClosedNewestFirst);
    return { sessions, problems, stats: { parsed, reused } };
  }

  async #leasedIds(): Promise<Set<string>> {
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

  /** Deletes under the session lock, re-checking the lease there. */
  /**
   * Deletes one session under its lock unless it is leased. With `listedUpdatedAt` (cleanup), the
   * session is re-read under the lock and kept if it changed since it was listed: a save that
   * landed in between is fresh activity, and an acknowledged save is never deleted by a stale plan.
   */
  async #deleteOne(id: string, listedUpdatedAt?: string): Promise<'deleted' | 'missing' | 'active'> {
    return this.#withSessionLock(id, async () => {
      if ((await this.leaseHolder(id)) !== undefined) return 'active';
      if (listedUpdatedAt !== undefined) {
        const current = await this.#loadFile(id);
        if (!current.ok && current.error.code === 'not_found') return 'missing';
        if (!current.ok || current.value.session.updated_at !== listedUpdatedAt) return 'active';
      }
      return (await this.#unlinkSession(id)) ? 'deleted' : 'missing';
    });
  }

  async #deleteInto(report: CleanupReport, id: string, listedUpdatedAt?: string): Promise<void> {
    try {
      const outcome = await this.#deleteOne(id, listedUpdatedAt);
      if (outcome === 'active') report.skipped.push(id);
      else if (outcome === 'deleted') report.deleted.push(id);
    } catch (error) {
      report.failed.push(id);
      report.errors.push({ id, error: failure(error, 'delete the session') });
    }
  }

  async #unlinkSession(id: string): Promise<boolean> {
    const path = this.layout.sessionFile(id);
    await this.#checkFolders();
    try {
      await this.fs.unlink(path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw fileSystemError(error, 'delete the session', { path });
    }
    await fsyncDirectory(this.fs, this.layout.sessionsDir).catch((error: unknown) =>
      this.#logger.debug('Could not fsync the sessions folder after a delete.', { error: String(error) }),
    );
    return true;
  }
}

function emptyReport(): CleanupReport {
  return { deleted: [], skipped: [], failed: [], errors: [] };
}

function withDetails(error: JidoError, details: Readonly<Record<string, unknown>>): JidoError {
  return new JidoError(error.code, error.message, {
    cause: error.cause,
    details: { ...error.details, ...details },
  });
}
