import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import {
  err,
  JidoError,
  type LlmConfig,
  type Logger,
  limits,
  ok,
  type Result,
  silentLogger,
  toJidoError,
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
  JournalWriter,
  Lease,
  SaveReport,
  SearchOptions,
  SearchOutcome,
  SessionBackend,
  SessionListing,
  SessionStore,
} from '@jido-code/storage';
import { type ForkSessionOptions, forkSession } from './fork-session.js';
import { encodeChange } from './journal-records.js';
import { LiveSession, type LiveSessionParts } from './live-session.js';
import {
  type ProjectFingerprint,
  revalidateProjectPath,
  validateMovedProject,
  validateProjectPath,
  withMoveHint,
} from './project-path.js';
import { type RecoveryReport, recoverInterruptedSessions, recoverSession } from './recover-interrupted.js';
import { Redactor } from './redaction/redactor.js';
import { SessionRegistry } from './registry.js';
import { SessionState } from './session-state.js';
import { textTooLong } from './text-limits.js';

export type { RecoveryReport } from './recover-interrupted.js';

/** The LLM settings a new session gets when none are given. */
export const defaultLlmConfig: LlmConfig = {
  provider: 'offline',
  model: 'echo-1',
  temperature: 0.2,
  max_tokens: 4096,
};

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

/** What a new session starts with. */
export interface CreateSessionOptions {
  readonly projectPath: string;
  readonly name?: string | undefined;
  readonly config?: LlmConfig | undefined;
}

/** Options of {@link SessionManager.resume}. */
export interface ResumeOptions {
  /** Resume into this project folder instead of the saved one (the project moved). */
  readonly projectPath?: string | undefined;
}

/** The outcome of closing a session: saved, or closed with the save's error (the journal is kept). */
export interface CloseReport {
  readonly id: string;
  readonly name: string;
  readonly saved: boolean;
  readonly save?: SaveReport;
  readonly error?: JidoError;
}

/** {@link SessionManager.listResumable}: a listing, and which of its sessions wait for a project folder. */
export interface ResumableListing extends SessionListing {
  /** Ids of listed sessions whose project folder has another session open in this process. */
  readonly projectOpenHere: readonly string[];
}

/** The store's `rate-limit` document; the default name is always valid, so this never fails. */
function defaultRateLimitDocument(store: SessionStore<SessionBackend>): LockedDocument {
  const document = store.rateLimitDocument();
  if (!document.ok) throw document.error;
  return document.value;
}

function defaultName(projectPath: string): string {
  const folder = basename(projectPath) || 'session';
  return folder.trim().slice(0, limits.maxNameLength) || 'session';
}

/**
 * The live side: opens, resumes, saves and closes sessions, keeps the registry of open sessions,
 * and recovers sessions whose process died from their journals.
 */
export class SessionManager {
  readonly store: SessionStore<SessionBackend>;
  readonly registry: SessionRegistry<LiveSession>;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #logger: Logger;
  readonly #rateLimiter: RateLimiter;
  readonly #afterStartHook: SessionManagerOptions['afterStartHook'];
  readonly #onRedaction: SessionManagerOptions['onRedaction'];
  /** What every change, recovered journal and import goes through before it is written. */
  readonly redactor: Redactor;

  constructor(options: SessionManagerOptions) {
    this.store = options.store;
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? randomUUID;
    this.#logger = options.logger ?? silentLogger;
    this.registry = new SessionRegistry(options.maxOpenSessions ?? options.store.config.max_open_sessions);
    this.#rateLimiter =
      options.rateLimiter ??
      new RateLimiter({
        store: documentRateLimitStore(defaultRateLimitDocument(options.store), { logger: this.#logger }),
        rules: rateLimitRulesFromConfig(options.store.config),
        now: () => this.#now().getTime(),
      });
    this.#afterStartHook = options.afterStartHook;
    this.#onRedaction = options.onRedaction;
    this.redactor = options.redactor ?? new Redactor(options.store.config);
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
    const active = this.registry.active();
    const listed = await this.store.listResumable({ ids: active.ids, projectPaths: new Set() });
    if (!listed.ok) return listed;
    const projectOpenHere = listed.value.sessions
      .filter((session) => active.projectPaths.has(session.project_path))
      .map((session) => session.id);
    return ok({ ...listed.value, projectOpenHere });
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
    const project = await validateProjectPath(options.projectPath);
    if (!project.ok) return project;
    const now = this.#now().toISOString();
    const given = options.name?.trim();
    const tooLong = given === undefined ? undefined : textTooLong('name', given);
    if (tooLong !== undefined) return err(tooLong);
    const name = given ?? defaultName(project.value.path);
    const session: UnsignedSession = {
      version: 1,
      id: this.#newId(),
      name,
      project_path: project.value.path,
      config: options.config ?? defaultLlmConfig,
      created_at: now,
      updated_at: now,
      closed_at: null,
      conversation: [],
      todos: [],
    };
    // The name and config extras are saved at once, before any journaled change.
    const { session: redacted } = await this.redactor.redactSession(session);
    return this.#start(redacted, project.value, { saveFirst: true });
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
    const allowed = await this.#rateLimiter.attempt('resume', id);
    if (!allowed.ok) return allowed;
    if (this.registry.get(id)) {
      return err(
        new JidoError('already_open_elsewhere', 'This session is already open.', { details: { id } }),
      );
    }
    const lease = await this.store.acquireLease(id);
    if (!lease.ok) return lease;
    const recovered = await this.#recoverOne(id);
    if (!recovered.ok) {
      await lease.value.release();
      return recovered;
    }
    const loaded = await this.store.load(id);
    if (!loaded.ok) {
      await lease.value.release();
      return loaded;
    }
    const { signature: _signature, ...session } = loaded.value.session;
    const moving = options.projectPath !== undefined;
    const project = moving
      ? await validateMovedProject(options.projectPath ?? '')
      : await validateProjectPath(session.project_path);
    if (!project.ok) {
      await lease.value.release();
      return err(moving ? project.error : withMoveHint(project.error, id));
    }
    const resumedAt = this.#now().toISOString();
    const moved =
      moving && project.value.path !== session.project_path
        ? {
            project_path: project.value.path,
            moved_from: { project_path: session.project_path, moved_at: resumedAt },
          }
        : {};
    return this.#start({ ...session, ...moved, last_resumed_at: resumedAt }, project.value, {
      lease: lease.value,
      revalidate: true,
      saveFirst: 'moved_from' in moved,
    });
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
    const saved = await this.save(id);
    if (!saved.ok) return saved;
    const forked = await this.fork(id, options);
    if (!forked.ok) return forked;
    const fork = forked.value;
    const project = await validateProjectPath(fork.project_path);
    if (!project.ok) return ok({ fork, notOpened: project.error });
    const opened = await this.#start({ ...fork, closed_at: null }, project.value, { forkOf: id });
    return opened.ok ? ok({ fork, opened: opened.value }) : ok({ fork, notOpened: opened.error });
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
    const session = found.value;
    await session.beginClose();
    const closedAt = this.#now().toISOString();
    session.setMetadata({ closed_at: closedAt, recovered_at: null });
    const saved = await this.store.save(session.snapshot());
    if (saved.ok) {
      const journals = await this.store.journals();
      const retired = journals.ok ? await journals.value.retire(id) : journals;
      if (!retired.ok) this.#logger.warn('The journal could not be retired after a clean save.', { id });
    }
    await session.lease.release();
    this.registry.remove(id);
    if (!saved.ok) return ok({ id, name: session.name, saved: false, error: saved.error });
    return ok({ id, name: session.name, saved: true, save: saved.value });
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
    return recoverInterruptedSessions(this.store, {
      now: this.#now,
      logger: this.#logger,
      redactor: this.redactor,
      isOpenHere: (id) => this.registry.get(id) !== undefined,
    });
  }

  /** Recovers one session whose lease the caller holds; a journal that cannot be used fails the resume. */
  async #recoverOne(id: string): Promise<Result<void>> {
    const outcome = await recoverSession(this.store, id, {
      now: this.#now,
      logger: this.#logger,
      redactor: this.redactor,
    });
    if (!outcome.ok) return outcome;
    if (outcome.value.quarantined !== undefined) return err(outcome.value.quarantined.error);
    return ok(undefined);
  }

  async #start(
    session: UnsignedSession,
    project: ProjectFingerprint,
    options: { lease?: Lease; saveFirst?: boolean; revalidate?: boolean; forkOf?: string },
  ): Promise<Result<LiveSession>> {
    const reservation = this.registry.reserve(session.id, session.project_path, options.forkOf);
    if (!reservation.ok) {
      await options.lease?.release();
      return reservation;
    }
    let lease = options.lease;
    let journal: JournalWriter | undefined;
    let live: LiveSession | undefined;
    const undo = async (error: JidoError): Promise<Result<LiveSession>> => {
      if (live) this.registry.remove(live.id);
      reservation.value();
      await journal?.close();
      const journals = journal ? await this.store.journals() : undefined;
      if (journals?.ok) await journals.value.retire(session.id);
      await lease?.release();
      return err(error);
    };
    try {
      if (!lease) {
        const acquired = await this.store.acquireLease(session.id);
        if (!acquired.ok) return await undo(acquired.error);
        lease = acquired.value;
      }
      if (options.saveFirst) {
        const saved = await this.store.save(session);
        if (!saved.ok) return await undo(saved.error);
      }
      const journals = await this.store.journals();
      if (!journals.ok) return await undo(journals.error);
      const opened = await journals.value.open(session.id);
      if (!opened.ok) return await undo(opened.error);
      journal = opened.value;
      const { conversation: _conversation, todos: _todos, ...metadata } = session;
      const { type, data } = encodeChange({ type: 'open', session: metadata });
      const appended = await journal.append(type, data);
      if (!appended.ok) return await undo(appended.error);
      live = new LiveSession({
        state: new SessionState(session),
        journal,
        lease,
        project,
        now: this.#now,
        newId: this.#newId,
        redactor: this.redactor,
        ...(this.#onRedaction ? { onRedaction: this.#onRedaction } : {}),
      });
      this.registry.add(live, reservation.value);
      if (options.revalidate) {
        await this.#afterStartHook?.(live);
        const again = await revalidateProjectPath(project);
        if (!again.ok) return await undo(again.error);
      }
      return ok(live);
    } catch (error) {
      return await undo(toJidoError(error));
    }
  }
}
