import { randomUUID } from 'node:crypto';
import {
  err,
  JidoError,
  type Logger,
  ok,
  type Result,
  silentLogger,
  type UnsignedSession,
} from '@jido-code/core-schema';
import {
  documentRateLimitStore,
  type LockedDocument,
  RateLimiter,
  rateLimitRulesFromConfig,
} from '@jido-code/rate-limit';
import type {
  CleanupReport,
  SaveReport,
  SearchOptions,
  SearchOutcome,
  SessionBackend,
  SessionListing,
  SessionStore,
} from '@jido-code/storage';
import { type ForkSessionOptions, forkSession } from './fork-session.js';
import { backUpJidoCodeFilesAsMigrateDoes } from './jidocode/migrate-jidocode-home.js';
import type { LiveSession, LiveSessionParts } from './live-session.js';
import { type CloseReport, closeSession } from './manager/close-session.js';
import { type CreateSessionOptions, createSession } from './manager/create-session.js';
import { forkOpen } from './manager/fork-open.js';
import { listResumable, type ResumableListing } from './manager/listing.js';
import type { ManagerParts } from './manager/manager-parts.js';
import { type ResumeOptions, resumeSession } from './manager/resume-session.js';
import { type RecoveryReport, recoverInterruptedSessions } from './recover-interrupted.js';
import { Redactor } from './redaction/redactor.js';
import { SessionRegistry } from './registry.js';

export type { CloseReport } from './manager/close-session.js';
export { type CreateSessionOptions, defaultLlmConfig } from './manager/create-session.js';
export type { ResumableListing } from './manager/listing.js';
export type { ResumeOptions } from './manager/resume-session.js';
export type { RecoveryReport } from './recover-interrupted.js';

/** Options for {@link SessionManager}. */
export interface SessionManagerOptions {
  /** The store every session is saved to; it also provides journals, leases and rate-limit state. */
  readonly store: SessionStore<SessionBackend>;
  /** Clock (tests inject a fixed one). */
  readonly now?: (() => Date) | undefined;
  /** Id source for sessions and messages (tests inject a deterministic one). */
  readonly newId?: (() => string) | undefined;
  /** Most sessions open at once; default from the store's config (10). */
  readonly maxOpenSessions?: number | undefined;
  /** Limits resume attempts; default: the store's file-backed limiter shared by every process. */
  readonly rateLimiter?: RateLimiter | undefined;
  readonly logger?: Logger | undefined;
  /** Called between the first and the second project-path check of a resume (tests swap the folder here). */
  readonly afterStartHook?: ((session: LiveSession) => Promise<void> | void) | undefined;
  /** Redacts secrets before the journal; default: from the store's config (`redaction`, on by default). */
  readonly redactor?: Redactor | undefined;
  /** Told when a change of any session had secrets (the shell prints one line). */
  readonly onRedaction?: LiveSessionParts['onRedaction'] | undefined;
}

/** The store's `rate-limit` document; the default name is always valid, so this never fails. */
function defaultRateLimitDocument(store: SessionStore<SessionBackend>): LockedDocument {
  const document = store.rateLimitDocument();
  if (!document.ok) throw document.error;
  return document.value;
}

/**
 * The live side: opens, resumes, saves and closes sessions, keeps the registry of open sessions,
 * and recovers sessions whose process died from their journals. The operations live in
 * `manager/`; this class is the facade `commands` talks to.
 */
export class SessionManager {
  readonly store: SessionStore<SessionBackend>;
  readonly registry: SessionRegistry<LiveSession>;
  readonly #parts: ManagerParts;
  readonly #rateLimiter: RateLimiter;
  /** What every change, recovered journal and import goes through before it is written. */
  readonly redactor: Redactor;

  constructor(options: SessionManagerOptions) {
    this.store = options.store;
    const now = options.now ?? (() => new Date());
    const logger = options.logger ?? silentLogger;
    this.registry = new SessionRegistry(options.maxOpenSessions ?? options.store.config.max_open_sessions);
    this.#rateLimiter =
      options.rateLimiter ??
      new RateLimiter({
        store: documentRateLimitStore(defaultRateLimitDocument(options.store), { logger }),
        rules: rateLimitRulesFromConfig(options.store.config),
        now: () => now().getTime(),
      });
    this.redactor = options.redactor ?? new Redactor(options.store.config);
    backUpJidoCodeFilesAsMigrateDoes(options.store, this.redactor);
    this.#parts = {
      store: this.store,
      registry: this.registry,
      now,
      newId: options.newId ?? randomUUID,
      logger,
      redactor: this.redactor,
      afterStartHook: options.afterStartHook,
      onRedaction: options.onRedaction,
    };
  }

  /** Open sessions, oldest first. */
  list(): LiveSession[] {
    return this.registry.list();
  }

  /** The open session with this id. */
  get(id: string): Result<LiveSession> {
    const session = this.registry.get(id);
    return session
      ? ok(session)
      : err(new JidoError('not_found', 'That session is not open.', { details: { id } }));
  }

  /**
   * The saved sessions not open anywhere: every saved one except those open here and those leased
   * by another live process. `projectOpenHere` names the listed ones that cannot be resumed until
   * the session open here on their project folder closes (one open session per project folder).
   * Unusable files are in `problems`.
   */
  async listResumable(): Promise<Result<ResumableListing>> {
    return listResumable(this.#parts);
  }

  /** Every saved session, open or not, with the files that failed to load in `problems`. */
  async listSaved(): Promise<Result<SessionListing>> {
    return this.store.listPersisted();
  }

  /** Full-text search of every saved session (see `SessionStore.search`). */
  async search(text: string, options?: SearchOptions): Promise<Result<SearchOutcome>> {
    return this.store.search(text, options);
  }

  /**
   * Moves one saved session to the trash (deletes it with `purge`); one open here or in another
   * process is refused (`session_active`), a pinned one (`confirmation_required`) unless `force`.
   */
  async delete(
    id: string,
    options: { readonly purge?: boolean; readonly force?: boolean } = {},
  ): Promise<Result<{ deleted: boolean; purged: boolean }>> {
    return this.store.delete(id, options);
  }

  /**
   * Moves to the trash (or deletes with `purge`) every saved session that is neither open here or in
   * another process nor pinned; continues past failures.
   */
  async clear(options: { readonly purge?: boolean } = {}): Promise<Result<CleanupReport>> {
    return this.store.clear(this.registry.active(), options);
  }

  /** Opens a new session on a project folder; it is saved at once so it shows in listings. */
  async create(options: CreateSessionOptions): Promise<Result<LiveSession>> {
    return createSession(this.#parts, options);
  }

  /**
   * Resumes a saved session: rate limit (per session and global, shared across processes), lease,
   * journal recovery if it crashed, load with every storage check, project-path check, start, and
   * a second project-path check compared with the first. Any failure after start is undone; the
   * saved file is never deleted. With `options.projectPath` (`jido resume --project`), the session
   * moves to that folder, validated like a new one and owned by this user; the old path and the
   * time go to `moved_from`, saved at once.
   */
  async resume(id: string, options: ResumeOptions = {}): Promise<Result<LiveSession>> {
    return resumeSession(this.#parts, this.#rateLimiter, id, options);
  }

  /**
   * Forks a saved session from its snapshot plus its journal (see {@link forkSession}), whether it
   * is closed, open in another process or open here; the source is never written.
   */
  async fork(id: string, options: ForkSessionOptions = {}): Promise<Result<UnsignedSession>> {
    return forkSession(this.store, id, options);
  }

  /**
   * `/session fork`: saves the open session `id` (it stays open), forks it, and opens the fork on
   * the same project folder. When the fork cannot be opened (too many open sessions, the folder
   * gone), it stays saved and the result says why in `notOpened`.
   */
  async forkOpen(
    id: string,
    options: ForkSessionOptions = {},
  ): Promise<Result<{ fork: UnsignedSession; opened?: LiveSession; notOpened?: JidoError }>> {
    return forkOpen(this.#parts, (source) => this.save(source), id, options);
  }

  /** Writes a snapshot of an open session without closing it. */
  async save(id: string): Promise<Result<SaveReport>> {
    const session = this.get(id);
    if (!session.ok) return session;
    return this.store.save(session.value.snapshot());
  }

  /**
   * Closes a session: waits for changes in flight, writes the snapshot with `closed_at`, then
   * retires the journal, then releases the lease. If the save fails the close still completes,
   * the journal stays (nothing is lost) and the report carries the error.
   */
  async close(id: string): Promise<Result<CloseReport>> {
    const found = this.get(id);
    if (!found.ok) return found;
    return closeSession(this.#parts, found.value);
  }

  /** Closes every open session (the exit paths: end of input, SIGINT, SIGTERM). */
  async closeAll(): Promise<CloseReport[]> {
    const reports: CloseReport[] = [];
    for (const session of this.list()) {
      const report = await this.close(session.id);
      reports.push(
        report.ok ? report.value : { id: session.id, name: session.name, saved: false, error: report.error },
      );
    }
    return reports;
  }

  /**
   * Recovers every session whose journal outlived its process (see
   * {@link recoverInterruptedSessions}): replays each journal over its snapshot, or rebuilds the
   * session from the journal alone, saves it marked as recovered and retires the journal; a journal
   * that cannot be used is moved to the quarantine folder, never deleted. Sessions open here or
   * leased by a live process are skipped.
   */
  recover(): Promise<RecoveryReport> {
    const { now, logger, redactor } = this.#parts;
    return recoverInterruptedSessions(this.store, {
      now,
      logger,
      redactor,
      isOpenHere: (id) => this.registry.get(id) !== undefined,
    });
  }
}
