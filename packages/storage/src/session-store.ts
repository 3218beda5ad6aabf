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
import type { JournalDirectory, QuarantinedJournal } from './journal/index.js';
import type { Lease, LeaseInfo } from './locking/lease.js';
import type { RefreshReport } from './search/session-search.js';
import type { SearchOptions, SearchOutcome } from './search/store-search.js';
import { type ForkOptions, forkOf } from './sessions/fork-of.js';
import { activeMatcher, clearSessions, deleteOne, failure, runCleanup } from './sessions/retention-runner.js';
import type { LoadedSession } from './sessions/session-codec.js';
import { restoreEntry, trashOne } from './sessions/trash-operations.js';
import { emptyTrash, listTrash, type TrashListing, type TrashReason } from './sessions/trash-runner.js';
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
  journals(): Promise<Result<JournalDirectory>> {
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

  /** {@link listPersisted} without sessions open here (`active`) or leased by another live process. */
  listResumable(active?: ActiveSessions): Promise<Result<SessionListing>> {
    return this.#guard('list the resumable sessions', async () => {
      const listing = await this.#core.list();
      const isActive = activeMatcher(active, await this.backend.leasedIds());
      return ok({ ...listing, sessions: listing.sessions.filter((session) => !isActive(session)) });
    });
  }

  /** Deletes one session; idempotent. A session leased by a live process is refused (`session_active`). */
  delete(id: string): Promise<Result<{ deleted: boolean }>> {
    return this.#withId(id, 'delete the session', async () => {
      const outcome = await deleteOne(this.#core.context, id);
      if (outcome === 'active') {
        return err(
          new JidoError('session_active', 'The session is open in a jido process and was not deleted.'),
        );
      }
      return ok({ deleted: outcome === 'deleted' });
    });
  }

  /** Deletes every saved session that is not active (here or leased elsewhere), continuing past failures. */
  clear(active?: ActiveSessions): Promise<Result<CleanupReport>> {
    return this.#guard('clear the saved sessions', async () =>
      ok(await clearSessions(this.#core.context, active)),
    );
  }

  /**
   * Retention: deletes sessions older than `maxAgeDays` (default from config) and beyond `maxCount`,
   * never an active one, never one saved again since it was listed; continues past failures.
   */
  cleanup(options: CleanupOptions = {}): Promise<Result<CleanupReport>> {
    return this.#guard('clean up the saved sessions', async () =>
      ok(
        await runCleanup(this.#core.context, {
          ...options,
          now: this.#core.now(),
          maxAgeDays: options.maxAgeDays ?? this.config.cleanup_max_age_days,
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
