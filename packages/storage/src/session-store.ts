import {
  type AppConfig,
  err,
  ok,
  type Result,
  type Session,
  type UnsignedSession,
} from '@jido-code/core-schema';
import type { KeyInfo, Keyring } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import type { FileBackend } from './backend/file/file-backend.js';
import { openFileHome } from './backend/file/open-file-home.js';
import type { SessionBackend } from './backend/session-backend.js';
import { validateSessionId } from './home/paths.js';
import { staleTempAgeMs } from './home/sweep.js';
import type { JournalStore, QuarantinedJournal } from './journal/index.js';
import type { Lease, LeaseInfo } from './locking/lease.js';
import type { RefreshReport } from './search/session-search.js';
import type { SearchOptions, SearchOutcome } from './search/store-search.js';
import type { ForkOptions } from './sessions/fork-of.js';
import type { RemovalNotice } from './sessions/removal-notices.js';
import { cleanupWithNotices, deleteSession, resumableListing } from './sessions/removal-operations.js';
import { clearSessions, failure } from './sessions/retention-runner.js';
import type { LoadedSession } from './sessions/session-codec.js';
import { forkSession, pinSession, renameSession, updateSession } from './sessions/slot-changes.js';
import * as trashOps from './sessions/trash-operations.js';
import { listTrash, type TrashEntry, type TrashListing, type TrashReason } from './sessions/trash-runner.js';
import { verifyEvery } from './sessions/verify-all.js';
import { StoreCore } from './store-core.js';
import type {
  ActiveSessions,
  CleanupOptions,
  CleanupReport,
  SaveReport,
  SessionListing,
  StorageOptions,
  StoreOptions,
  VerifyOptions,
  VerifyReport,
} from './store-types.js';

export type { LoadedSession } from './sessions/session-codec.js';

/**
 * The session store: validation, signing and verification, limits, retention policy and error
 * mapping, over any {@link SessionBackend}. Every public method returns a {@link Result} and never
 * throws or rejects; a bad argument is an error result, checked before any storage call.
 */
export class SessionStore<B extends SessionBackend = FileBackend> {
  /** Where the sessions are kept. */
  readonly backend: B;
  /** The resolved configuration. */
  readonly config: AppConfig;
  readonly #core: StoreCore;

  private constructor(backend: B, options: StoreOptions) {
    this.backend = backend;
    this.#core = new StoreCore(backend, options, (session) => this.save(session));
    this.config = this.#core.config;
  }

  /**
   * Opens the file home: resolves it, checks or creates it and its folders (0700, not a symlink,
   * owned by this user, no access for group or others: else `unsafe_home`), reads `config.json`
   * and the environment, and sweeps stale temp files.
   */
  static async open(options: StorageOptions = {}): Promise<Result<SessionStore<FileBackend>>> {
    try {
      const { backend, ...rest } = await openFileHome(options);
      return ok(new SessionStore(backend, rest));
    } catch (error) {
      return err(failure(error, 'open the jido home'));
    }
  }

  /** A store over any backend (the backend is ready to use). */
  static over<B extends SessionBackend>(backend: B, options: StoreOptions = {}): SessionStore<B> {
    return new SessionStore(backend, options);
  }

  /** The signing keyring, opened once per store (created on first use) and kept in memory. */
  keyring(): Promise<Result<Keyring>> {
    return this.#value('open the signing keyring', () => this.#core.keyring());
  }

  /** The per-session journals, their lines signed with the keyring. Opened once per store. */
  journals(): Promise<Result<JournalStore>> {
    return this.#value('open the session journals', () => this.#core.journals());
  }

  /**
   * Ids of the sessions whose journal is on disk (open, or left by a crashed process): one listing,
   * no keyring, so checking for pending recovery is cheap. None for a backend without journals.
   */
  pendingJournals(): Promise<Result<string[]>> {
    return this.#value('list the session journals', () => this.#core.journalIds());
  }

  /** The journals recovery could not use and moved aside (never deleted), oldest first. */
  quarantinedJournals(): Promise<Result<QuarantinedJournal[]>> {
    return this.#value('list the quarantined journals', () => this.#core.quarantinedJournals());
  }

  /**
   * Full-text search of every saved session (words as prefixes, `"phrases"`, `-exclusions`), best
   * first with snippets. Results come only from sessions loaded and verified now: the index is
   * derived data, refreshed from the stored sessions and never trusted on its own.
   */
  search(text: string, options?: SearchOptions): Promise<Result<SearchOutcome>> {
    return this.#guard('search the saved sessions', () => this.#core.search().search(text, options));
  }

  /** Rebuilds the search index from every stored session. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<Result<RefreshReport>> {
    return this.#guard('rebuild the search index', () => this.#core.search().rebuild(onProgress));
  }

  /**
   * After sessions were rewritten in place (redacted by `sessions scan --fix`), makes their old
   * text unrecoverable from the search index's files too. Cheap when nothing was rewritten.
   */
  purgeSearchIndex(): Promise<Result<void>> {
    return this.#value('purge the search index', async () => {
      await this.#core.search().purgeRemovedText?.();
    });
  }

  /** Adds a new signing key; sessions signed with older keys still verify. */
  rotateKey(): Promise<Result<KeyInfo>> {
    return this.#value('rotate the signing key', async () => (await this.#core.keyring()).rotate());
  }

  /**
   * Validates, signs and durably writes a session, serialized with every other save of that id in
   * this process (FIFO: the last requested state ends on disk) and across processes.
   * A new session is subject to the session count limit.
   */
  save(session: Session | UnsignedSession): Promise<Result<SaveReport>> {
    const id = validateSessionId((session as { id?: unknown } | null)?.id as string);
    if (!id.ok) return Promise.resolve(id);
    return this.#value('save the session', () => this.#core.save(session, id.value));
  }

  /**
   * Read-modify-write in the session's exclusive section: loads the session, applies `change`
   * and saves the result, so concurrent updates from several processes are never lost.
   */
  update(id: string, change: (current: Session) => Session): Promise<Result<SaveReport>> {
    return this.#withId(id, 'update the session', () => updateSession(this.#core, id, change));
  }

  /**
   * Forks a saved session (see {@link forkOf}): the source is read under its lock and never
   * written; the fork is saved under a new id and counts against `max_sessions` like a new session.
   * `options.withPending` adds what the source's journal holds, read under the same lock.
   */
  fork(sourceId: string, options: ForkOptions = {}): Promise<Result<UnsignedSession>> {
    return this.#withId(sourceId, 'fork the session', () => forkSession(this.#core, sourceId, options));
  }

  /**
   * Loads one session: no symlink followed, size checked before reading, strict UTF-8, version
   * migration, schema, then signature (an `unknown_key` triggers one keyring reload).
   */
  load(id: string): Promise<Result<LoadedSession>> {
    return this.#withId(id, 'load the session', () => this.#core.load(id));
  }

  /**
   * Metadata of every saved session, newest closed first. Unusable entries are reported in
   * `problems`. A missing sessions folder is an empty list; one that cannot be read is an error.
   */
  listPersisted(): Promise<Result<SessionListing>> {
    return this.#value('list the saved sessions', () => this.#core.list());
  }

  /**
   * {@link listPersisted} without sessions open here (`active`) or leased by another live process;
   * `from`, a listing the caller already has, is filtered instead of listing again.
   */
  listResumable(active?: ActiveSessions, from?: SessionListing): Promise<Result<SessionListing>> {
    return this.#value('list the resumable sessions', () => resumableListing(this.#core, active, from));
  }

  /**
   * Removes one session: into the trash (reason `delete`), or for good with `purge`; idempotent
   * (`deleted: false` when it was not stored). A session leased by a live process is refused
   * (`session_active`); a pinned one (`confirmation_required`) unless `force`.
   */
  delete(
    id: string,
    options: { readonly purge?: boolean; readonly force?: boolean } = {},
  ): Promise<Result<{ deleted: boolean; purged: boolean }>> {
    return this.#withId(id, 'delete the session', () => deleteSession(this.#core, id, options));
  }

  /**
   * Removes every saved session that is neither active (here or leased elsewhere) nor pinned, into
   * the trash (or for good with `purge`), continuing past failures.
   */
  clear(active?: ActiveSessions, options: { readonly purge?: boolean } = {}): Promise<Result<CleanupReport>> {
    return this.#value('clear the saved sessions', () =>
      clearSessions(this.#core.context, active, options.purge === true),
    );
  }

  /**
   * Retention: moves to the trash (or deletes with `purge`) the sessions whose last activity is
   * older than `maxAgeDays` (default from config) and beyond `maxCount`; never an active or pinned
   * one, never one saved or resumed since it was listed; continues past failures. Each move is
   * counted in the removal notices.
   */
  cleanup(options: CleanupOptions = {}): Promise<Result<CleanupReport>> {
    return this.#value('clean up the saved sessions', () => cleanupWithNotices(this.#core, options));
  }

  /**
   * Pins or unpins a saved session (a signed change of the file). A session open in a live process
   * is refused (`session_active`): that process would write its own state over the change.
   */
  setPinned(id: string, pinned: boolean): Promise<Result<SaveReport>> {
    return this.#withId(id, 'pin the session', () => pinSession(this.#core, id, pinned));
  }

  /**
   * Renames a saved session under its lock (`name` as the caller validated it). A session open in a
   * live process is refused (`session_active`): that process would write the old name back.
   */
  rename(id: string, name: string): Promise<Result<SaveReport>> {
    return this.#withId(id, 'rename the session', () => renameSession(this.#core, id, name));
  }

  /** Checks every stored session (size, schema, signature), bypassing any index. */
  verifyAll(options: VerifyOptions = {}): Promise<Result<VerifyReport>> {
    return this.#value('verify the saved sessions', () =>
      verifyEvery(this.backend, (id) => this.#core.load(id), options),
    );
  }

  /**
   * Moves one session to the trash: its signed bytes unchanged, with a signed record of when and
   * why. A session leased by a live process is refused (`session_active`); a missing one is
   * `{ trashed: false }`.
   */
  trash(id: string, reason: TrashReason = 'delete'): Promise<Result<{ trashed: boolean }>> {
    return this.#withId(id, 'move the session to the trash', () => trashOps.trashOne(this.#core, id, reason));
  }

  /** The trash, newest first, with the entries whose record is missing or was changed. */
  listTrash(): Promise<Result<TrashListing>> {
    return this.#value('list the trash', () => listTrash(this.#core.context));
  }

  /**
   * Restores trash entry `entry`. An id that is live again is refused (`already_exists`) unless
   * `newId`, which saves the session under a fresh id.
   */
  restoreFromTrash(
    entry: string,
    options: { readonly newId?: boolean } = {},
  ): Promise<Result<{ id: string }>> {
    return this.#guard('restore the session', () => trashOps.restoreEntry(this.#core, entry, options));
  }

  /**
   * Replaces trash entry `entry` with `session` (the same id), signed anew, and its record to match
   * (name, project, last activity; the move's reason and time are kept), leaving no copy of the old
   * bytes: how `sessions scan --fix` redacts a trashed session.
   */
  rewriteTrashed(entry: TrashEntry, session: Session | UnsignedSession): Promise<Result<void>> {
    return this.#guard('rewrite the trashed session', () =>
      trashOps.rewriteTrashedEntry(this.#core, entry, session),
    );
  }

  /** A trash entry, loaded and verified like a live session (for `show --trash` and search). */
  loadTrashed(entry: TrashEntry): Promise<Result<LoadedSession>> {
    return this.#guard('load the trashed session', () => trashOps.loadTrashed(this.#core, entry));
  }

  /**
   * The same search over the trash (for `search --trash`): every trashed session loaded and
   * verified, never indexed. Results carry the session id; `entries` lists the trash.
   */
  searchTrash(
    text: string,
    options?: SearchOptions,
  ): Promise<Result<SearchOutcome & { readonly entries: readonly TrashEntry[] }>> {
    return this.#guard('search the trash', () =>
      trashOps.searchTrash(this.#core, (entry) => this.loadTrashed(entry), text, options),
    );
  }

  /**
   * Ages the trash: removes for good the entries moved more than `trash_retention_days` ago. With
   * `daily`, at most once a day across processes (`ran: false` otherwise). What it purges is
   * counted in the removal notices.
   */
  ageTrash(options: { readonly daily?: boolean } = {}): Promise<Result<{ ran: boolean; purged: number }>> {
    return this.#value('age the trash', () => trashOps.ageTrash(this.#core, options));
  }

  /**
   * The automatic removals (to the trash or out of it) since the notices were last taken, for the
   * shell's start; they are cleared as they are returned.
   */
  takeRemovalNotices(): Promise<Result<RemovalNotice[]>> {
    return this.#value('read the removal notices', () => trashOps.takeNotices(this.#core));
  }

  /** Removes trash entries for good: all, or those moved more than `olderThanDays` ago. */
  emptyTrash(options: { readonly olderThanDays?: number } = {}): Promise<Result<{ purged: string[] }>> {
    return this.#value('empty the trash', () => trashOps.emptyTrashNow(this.#core, options));
  }

  /**
   * A locked document for rate-limit state shared by CLI processes. A name that is not lower-case
   * letters, digits and dashes is `invalid_value`.
   */
  rateLimitDocument(name = 'rate-limit'): Result<LockedDocument> {
    return this.#core.document(name);
  }

  /**
   * Takes the lease that marks a session open in this process. A live holder anywhere, this process
   * included, gives `already_open_elsewhere`; a dead holder's lease is taken over.
   */
  acquireLease(id: string): Promise<Result<Lease>> {
    return this.#withId(id, 'open the session', () => this.backend.acquireLease(id));
  }

  /** The live holder of a session's lease, or undefined (a dead holder's lease is cleaned up). */
  leaseHolder(id: string): Promise<Result<LeaseInfo | undefined>> {
    return this.#withId(id, 'check who has the session open', async () =>
      ok(await this.backend.leaseHolder(id)),
    );
  }

  /** Removes leftovers of interrupted writes older than `maxAgeMs` (five minutes); returns how many. */
  sweepTemporaryFiles(maxAgeMs = staleTempAgeMs): Promise<Result<number>> {
    return this.#value('remove leftover temporary files', () => this.#core.sweep(maxAgeMs));
  }

  /** Runs `fn`, turning anything it throws into an error `Result` that names `action`. */
  async #guard<T>(action: string, fn: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await fn();
    } catch (error) {
      return err(failure(error, action));
    }
  }

  /** {@link #guard} for a function that returns the value itself. */
  #value<T>(action: string, fn: () => Promise<T>): Promise<Result<T>> {
    return this.#guard(action, async () => ok(await fn()));
  }

  /** {@link #guard} after checking the session id, before any storage call. */
  #withId<T>(id: string, action: string, fn: () => Promise<Result<T>>): Promise<Result<T>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return Promise.resolve(valid);
    return this.#guard(action, fn);
  }
}
