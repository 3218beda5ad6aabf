import { randomUUID } from 'node:crypto';
import {
  type AppConfig,
  err,
  JidoError,
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
import { documentNamePattern, validateSessionId } from './home/paths.js';
import { staleTempAgeMs } from './home/sweep.js';
import type { JournalStore, QuarantinedJournal } from './journal/index.js';
import type { Lease, LeaseInfo } from './locking/lease.js';
import type { RefreshReport } from './search/session-search.js';
import type { SearchOptions, SearchOutcome } from './search/store-search.js';
import { type ForkOptions, forkOf } from './sessions/fork-of.js';
import {
  claimDailyAgeing,
  type RemovalNotice,
  removalNoticesDocument,
  takeRemovalNotices,
  trashAgeingDocument,
} from './sessions/removal-notices.js';
import { activeMatcher, clearSessions, failure, removeOne, runCleanup } from './sessions/retention-runner.js';
import type { LoadedSession } from './sessions/session-codec.js';
import { restoreEntry, trashOne } from './sessions/trash-operations.js';
import {
  emptyTrash,
  listTrash,
  type TrashEntry,
  type TrashListing,
  type TrashReason,
} from './sessions/trash-runner.js';
import { trashSearch } from './sessions/trash-search.js';
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
    return this.#guard('open the signing keyring', async () => ok(await this.#core.keyring()));
  }

  /** The per-session journals, their lines signed with the keyring. Opened once per store. */
  journals(): Promise<Result<JournalStore>> {
    return this.#guard('open the session journals', async () => ok(await this.#core.journals()));
  }

  /**
   * Ids of the sessions whose journal is on disk (open, or left by a crashed process): one listing,
   * no keyring, so checking for pending recovery is cheap. None for a backend without journals.
   */
  pendingJournals(): Promise<Result<string[]>> {
    return this.#guard('list the session journals', async () =>
      ok((await this.backend.journalIds?.()) ?? []),
    );
  }

  /** The journals recovery could not use and moved aside (never deleted), oldest first. */
  quarantinedJournals(): Promise<Result<QuarantinedJournal[]>> {
    return this.#guard('list the quarantined journals', async () =>
      ok((await this.backend.quarantinedJournals?.()) ?? []),
    );
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

  /** Adds a new signing key; files signed with older keys still verify. */
  rotateKey(): Promise<Result<KeyInfo>> {
    return this.#guard('rotate the signing key', async () => ok(await (await this.#core.keyring()).rotate()));
  }

  /**
   * Validates, signs and durably writes a session, serialized with every other save of that id in
   * this process (FIFO: the last requested state ends on disk) and across processes.
   * A new session is subject to the session count limit.
   */
  save(session: Session | UnsignedSession): Promise<Result<SaveReport>> {
    const id = validateSessionId((session as { id?: unknown } | null)?.id as string);
    if (!id.ok) return Promise.resolve(id);
    return this.#guard('save the session', async () =>
      ok(await this.backend.withSession(id.value, (slot) => this.#core.write(slot, session, id.value))),
    );
  }

  /**
   * Read-modify-write in the session's exclusive section: loads the session, applies `change`
   * and saves the result, so concurrent updates from several processes are never lost.
   */
  update(id: string, change: (current: Session) => Session): Promise<Result<SaveReport>> {
    return this.#withId(id, 'update the session', async () =>
      ok(
        await this.backend.withSession(id, async (slot) => {
          const loaded = await this.#core.verify(await slot.read(), id);
          if (!loaded.ok) throw loaded.error;
          const next = change(loaded.value.session);
          if (next.id !== id) {
            throw new JidoError('invalid_value', 'An update may not change the session id.', {
              details: { id, next: next.id },
            });
          }
          return this.#core.write(slot, next, id);
        }),
      ),
    );
  }

  /**
   * Forks a saved session (see {@link forkOf}): the source is read under its lock and never
   * written; the fork is saved under a new id and counts against `max_sessions` like a new session.
   * `options.withPending` adds what the source's journal holds, read under the same lock.
   */
  fork(sourceId: string, options: ForkOptions = {}): Promise<Result<UnsignedSession>> {
    return this.#withId(sourceId, 'fork the session', async () => {
      const source = await this.backend.withSession(sourceId, async (slot) => {
        const loaded = await this.#core.verify(await slot.read(), sourceId);
        if (!loaded.ok) throw loaded.error;
        return options.withPending ? options.withPending(loaded.value.session) : loaded.value.session;
      });
      const fork = forkOf(source, randomUUID(), this.#core.now(), options);
      await this.backend.withSession(fork.id, (slot) => this.#core.write(slot, fork, fork.id));
      return ok(fork);
    });
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
    return this.#guard('list the saved sessions', async () => ok(await this.#core.list()));
  }

  /**
   * {@link listPersisted} without sessions open here (`active`) or leased by another live process;
   * `from`, a listing the caller already has, is filtered instead of listing again.
   */
  listResumable(active?: ActiveSessions, from?: SessionListing): Promise<Result<SessionListing>> {
    return this.#guard('list the resumable sessions', async () => {
      const listing = from ?? (await this.#core.list());
      const isActive = activeMatcher(active, await this.backend.leasedIds());
      return ok({ ...listing, sessions: listing.sessions.filter((session) => !isActive(session)) });
    });
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
    return this.#withId(id, 'delete the session', async () => {
      const purge = options.purge === true;
      const outcome = await removeOne(this.#core.context, id, {
        reason: 'delete',
        purge,
        force: options.force,
      });
      if (outcome === 'active') {
        return err(
          new JidoError('session_active', 'The session is open in a jido process and was not deleted.'),
        );
      }
      if (outcome === 'pinned') {
        return err(
          new JidoError(
            'confirmation_required',
            'The session is pinned and was not deleted; unpin it first, or delete it with --force.',
            { details: { id, action: 'remove a pinned session' } },
          ),
        );
      }
      return ok({ deleted: outcome === 'deleted' || outcome === 'trashed', purged: purge });
    });
  }

  /**
   * Removes every saved session that is neither active (here or leased elsewhere) nor pinned, into
   * the trash (or for good with `purge`), continuing past failures.
   */
  clear(active?: ActiveSessions, options: { readonly purge?: boolean } = {}): Promise<Result<CleanupReport>> {
    return this.#guard('clear the saved sessions', async () =>
      ok(await clearSessions(this.#core.context, active, options.purge === true)),
    );
  }

  /**
   * Retention: moves to the trash (or deletes with `purge`) the sessions whose last activity is
   * older than `maxAgeDays` (default from config) and beyond `maxCount`; never an active or pinned
   * one, never one saved or resumed since it was listed; continues past failures. Each move is
   * counted in the removal notices.
   */
  cleanup(options: CleanupOptions = {}): Promise<Result<CleanupReport>> {
    return this.#guard('clean up the saved sessions', async () => {
      const maxAgeDays = options.maxAgeDays ?? this.config.cleanup_max_age_days;
      const counts = new Map<TrashReason, number>();
      const report = await runCleanup(this.#core.context, {
        ...options,
        now: this.#core.now(),
        maxAgeDays,
        onTrashed: (reason) => counts.set(reason, (counts.get(reason) ?? 0) + 1),
      });
      for (const [reason, count] of counts) {
        await this.#core.notice({ reason, count, ...(reason === 'cleanup:age' ? { days: maxAgeDays } : {}) });
      }
      return ok(report);
    });
  }

  /**
   * Pins or unpins a saved session (a signed change of the file). A session open in a live process
   * is refused (`session_active`): that process would write its own state over the change.
   */
  setPinned(id: string, pinned: boolean): Promise<Result<SaveReport>> {
    return this.#withId(id, 'pin the session', async () =>
      ok(
        await this.backend.withSession(id, async (slot) => {
          if ((await slot.leaseHolder()) !== undefined) {
            throw new JidoError(
              'session_active',
              'The session is open in a jido process; pin or unpin it there with /session pin or /session unpin.',
            );
          }
          const loaded = await this.#core.verify(await slot.read(), id);
          if (!loaded.ok) throw loaded.error;
          const { pinned: _previous, ...rest } = loaded.value.session;
          return this.#core.write(slot, pinned ? { ...rest, pinned: true } : rest, id);
        }),
      ),
    );
  }

  /** Checks every stored session (size, schema, signature), bypassing any index. */
  verifyAll(options: VerifyOptions = {}): Promise<Result<VerifyReport>> {
    return this.#guard('verify the saved sessions', async () =>
      ok(await verifyEvery(this.backend, (id) => this.#core.load(id), options)),
    );
  }

  /**
   * Moves one session to the trash: its signed bytes unchanged, with a signed record of when and
   * why. A session leased by a live process is refused (`session_active`); a missing one is
   * `{ trashed: false }`.
   */
  trash(id: string, reason: TrashReason = 'delete'): Promise<Result<{ trashed: boolean }>> {
    return this.#withId(id, 'move the session to the trash', () =>
      trashOne(this.#core.context, id, reason, this.#core.now()),
    );
  }

  /** The trash, newest first, with the entries whose record is missing or was changed. */
  listTrash(): Promise<Result<TrashListing>> {
    return this.#guard('list the trash', async () => ok(await listTrash(this.#core.context)));
  }

  /**
   * Restores trash entry `entry`. An id that is live again is refused (`already_exists`) unless
   * `newId`, which saves the session under a fresh id.
   */
  restoreFromTrash(
    entry: string,
    options: { readonly newId?: boolean } = {},
  ): Promise<Result<{ id: string }>> {
    return this.#guard('restore the session', () => restoreEntry(this.#core.context, entry, options));
  }

  /** A trash entry, loaded and verified like a live session (for `show --trash` and search). */
  loadTrashed(entry: TrashEntry): Promise<Result<LoadedSession>> {
    return this.#guard('load the trashed session', async () =>
      this.#core.verify(await this.backend.readTrashed(entry.entry), entry.id),
    );
  }

  /**
   * The same search over the trash (for `search --trash`): every trashed session loaded and
   * verified, never indexed. Results carry the session id; `entries` lists the trash.
   */
  searchTrash(
    text: string,
    options?: SearchOptions,
  ): Promise<Result<SearchOutcome & { readonly entries: readonly TrashEntry[] }>> {
    return this.#guard<SearchOutcome & { readonly entries: readonly TrashEntry[] }>(
      'search the trash',
      async () => {
        const { entries } = await listTrash(this.#core.context);
        const found = await trashSearch(entries, (entry) => this.loadTrashed(entry)).search(text, options);
        return found.ok ? ok({ ...found.value, entries }) : found;
      },
    );
  }

  /**
   * Ages the trash: removes for good the entries moved more than `trash_retention_days` ago. With
   * `daily`, at most once a day across processes (`ran: false` otherwise). What it purges is
   * counted in the removal notices.
   */
  ageTrash(options: { readonly daily?: boolean } = {}): Promise<Result<{ ran: boolean; purged: number }>> {
    return this.#guard<{ ran: boolean; purged: number }>('age the trash', async () => {
      const now = this.#core.now();
      if (options.daily && !(await claimDailyAgeing(this.backend.lockedDocument(trashAgeingDocument), now))) {
        return ok({ ran: false, purged: 0 });
      }
      const days = this.config.trash_retention_days;
      const purged = await emptyTrash(this.#core.context, { olderThanDays: days, now });
      await this.#core.notice({ reason: 'trash-retention', count: purged.length, days });
      return ok({ ran: true, purged: purged.length });
    });
  }

  /**
   * The automatic removals (to the trash or out of it) since the notices were last taken, for the
   * shell's start; they are cleared as they are returned.
   */
  takeRemovalNotices(): Promise<Result<RemovalNotice[]>> {
    return this.#guard('read the removal notices', async () =>
      ok(await takeRemovalNotices(this.backend.lockedDocument(removalNoticesDocument))),
    );
  }

  /** Removes trash entries for good: all, or those moved more than `olderThanDays` ago. */
  emptyTrash(options: { readonly olderThanDays?: number } = {}): Promise<Result<{ purged: string[] }>> {
    return this.#guard('empty the trash', async () =>
      ok({ purged: await emptyTrash(this.#core.context, { ...options, now: this.#core.now() }) }),
    );
  }

  /**
   * A locked document for rate-limit state shared by CLI processes. A name that is not lower-case
   * letters, digits and dashes is `invalid_value`.
   */
  rateLimitDocument(name = 'rate-limit'): Result<LockedDocument> {
    if (!documentNamePattern.test(name)) {
      return err(
        new JidoError('invalid_value', 'The state document name is not valid.', { details: { name } }),
      );
    }
    return ok(this.backend.lockedDocument(name));
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
    return this.#guard('remove leftover temporary files', async () =>
      ok((await this.backend.sweep?.(maxAgeMs)) ?? 0),
    );
  }

  /** Runs `fn`, turning anything it throws into an error `Result` that names `action`. */
  async #guard<T>(action: string, fn: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await fn();
    } catch (error) {
      return err(failure(error, action));
    }
  }

  /** {@link #guard} after checking the session id, before any storage call. */
  #withId<T>(id: string, action: string, fn: () => Promise<Result<T>>): Promise<Result<T>> {
    const valid = validateSessionId(id);
    if (!valid.ok) return Promise.resolve(valid);
    return this.#guard(action, fn);
  }
}
