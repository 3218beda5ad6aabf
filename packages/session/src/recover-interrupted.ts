import {
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
import {
  type JournalContents,
  type QuarantineReason,
  quarantineReasonFor,
  type SessionBackend,
  type SessionStore,
} from '@jido-code/storage';

type AnyStore = SessionStore<SessionBackend>;

import { replayJournal } from './recovery.js';
import { Redactor } from './redaction/redactor.js';

/** A session brought back from the journal its crashed process left. */
export interface RecoveredSession {
  readonly id: string;
  readonly name: string;
  /** Messages the journal added to the saved snapshot. */
  readonly messages: number;
  /** Journal records replayed (every change, messages included). */
  readonly records: number;
  /** Time of the last replayed record (ISO 8601), null when there was none. */
  readonly lastAt: string | null;
}

/** A journal recovery could not use, moved aside (never deleted). */
export interface QuarantineNotice {
  readonly id: string;
  readonly reason: QuarantineReason;
  /** Its path relative to the home, e.g. `journal/quarantine/<id>.<time>.bad-signature.jsonl`. */
  readonly file: string;
  /** `journal_corrupt`, naming the file (relative to the home) in its message and `details.quarantined`. */
  readonly error: JidoError;
}

/** What one recovery pass did. */
export interface RecoveryReport {
  /** Ids of the recovered sessions. */
  readonly recovered: string[];
  /** The recovered sessions with what was brought back. */
  readonly sessions: RecoveredSession[];
  /** Sessions left alone because a live process holds them. */
  readonly skipped: string[];
  /** Journals moved aside into the quarantine folder. */
  readonly quarantined: QuarantineNotice[];
  /** Recoveries that failed; their journals stay where they are for the next try. */
  readonly failed: { id: string; error: JidoError }[];
}

/** Options of {@link recoverInterruptedSessions}. */
export interface RecoverOptions {
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** Sessions this process has open itself: never touched. */
  readonly isOpenHere?: (id: string) => boolean;
  /** Redacts secrets in the replayed records as the config says; one from the store's config by default. */
  readonly redactor?: Redactor;
}

/** The outcome of recovering one session whose lease the caller holds. */
export interface SessionRecovery {
  /** Set when journaled changes were saved into the session. */
  readonly recovered?: RecoveredSession;
  /** Set when the journal (or what was left of it) was moved aside. */
  readonly quarantined?: QuarantineNotice;
}

/** An empty report. */
export function emptyRecoveryReport(): RecoveryReport {
  return { recovered: [], sessions: [], skipped: [], quarantined: [], failed: [] };
}

/**
 * Recovers every session whose journal outlived its holder: one `readdir` of the journal folder
 * when there is nothing to do. Each candidate is taken with its lease, which succeeds only when
 * the holder is gone (its process dead, its lease stale); a session a live process holds, here or
 * elsewhere, is skipped untouched. Under the lease, {@link recoverSession} replays the journal into
 * the snapshot (saved under the session's lock) and retires it, or moves it aside.
 */
export async function recoverInterruptedSessions(
  store: AnyStore,
  options: RecoverOptions = {},
): Promise<RecoveryReport> {
  const report = emptyRecoveryReport();
  const ids = await store.pendingJournals();
  if (!ids.ok) {
    report.failed.push({ id: '', error: ids.error });
    return report;
  }
  for (const id of ids.value) {
    if (options.isOpenHere?.(id)) continue;
    const lease = await store.acquireLease(id);
    if (!lease.ok) {
      if (lease.error.code === 'already_open_elsewhere') report.skipped.push(id);
      else report.failed.push({ id, error: lease.error });
      continue;
    }
    try {
      const outcome = await recoverSession(store, id, options);
      if (!outcome.ok) {
        report.failed.push({ id, error: outcome.error });
        continue;
      }
      if (outcome.value.recovered !== undefined) {
        report.recovered.push(id);
        report.sessions.push(outcome.value.recovered);
      }
      if (outcome.value.quarantined !== undefined) report.quarantined.push(outcome.value.quarantined);
    } finally {
      await lease.value.release();
    }
  }
  return report;
}

/**
 * Recovers one session whose lease the caller holds. The journal's verified records are replayed
 * over the snapshot (or over the journal's `open` record when there is none) and saved, marked
 * `recovered_at`, under the session's lock; then the journal is retired. A journal that is
 * damaged (a bad signature, a foreign key, a broken chain), too large, or holds entries this
 * version cannot replay is never deleted: what came before the damage is still recovered, and the
 * file is moved to `<home>/journal/quarantine/`. No journal: nothing to do.
 */
export async function recoverSession(
  store: AnyStore,
  id: string,
  options: RecoverOptions = {},
): Promise<Result<SessionRecovery>> {
  try {
    return await recoverJournal(store, id, options);
  } catch (error) {
    return err(toJidoError(error, 'internal', 'The session could not be recovered.'));
  }
}

async function recoverJournal(
  store: AnyStore,
  id: string,
  options: RecoverOptions,
): Promise<Result<SessionRecovery>> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const journals = await store.journals();
  if (!journals.ok) return journals;
  const read = await journals.value.read(id);
  if (!read.ok) {
    if (read.error.code === 'not_found') return ok({});
    if (read.error.code !== 'too_large') return read;
    return quarantine(store, id, 'too-large', {});
  }
  const redactor = options.redactor ?? new Redactor(store.config);
  const redacted = await redactor.redactRecords(read.value.records);
  const contents = { ...read.value, records: redacted.records };
  const replayed = await replayInto(store, id, contents, now);
  if (!replayed.ok) {
    if (replayed.error.code !== 'journal_corrupt') return replayed;
    const reason = contents.records.length === 0 ? 'no-session' : 'unreadable-entry';
    return quarantine(store, id, reason, {});
  }
  const recovered = replayed.value;
  if (contents.corruption !== undefined) {
    logger.warn('A session journal was damaged; the entries before the damage were recovered.', { id });
    const reason = quarantineReasonFor(contents.corruption.details.reason);
    return quarantine(store, id, reason, recovered === undefined ? {} : { recovered });
  }
  const retired = await journals.value.retire(id);
  if (!retired.ok) return retired;
  if (recovered !== undefined) {
    logger.debug('Recovered a session from its journal.', { id, records: recovered.records });
  }
  return ok(recovered === undefined ? {} : { recovered });
}

/**
 * Saves the snapshot with the journal's records applied: a read-modify-write under the session's
 * lock when a snapshot exists, else a first save rebuilt from the `open` record. Undefined when
 * the journal holds no record (nothing was acknowledged).
 */
async function replayInto(
  store: AnyStore,
  id: string,
  contents: JournalContents,
  now: () => Date,
): Promise<Result<RecoveredSession | undefined>> {
  if (contents.records.length === 0) return ok(undefined);
  const lastAt = contents.records.at(-1)?.at ?? null;
  const finish = (
    before: UnsignedSession | undefined,
  ): Result<{ next: UnsignedSession; found: RecoveredSession }> => {
    const replay = replayJournal(before, contents.records);
    if (!replay.ok) return replay;
    const session = replay.value.session;
    const next = { ...session, closed_at: session.updated_at, recovered_at: now().toISOString() };
    const messages = session.conversation.length - (before?.conversation.length ?? 0);
    return ok({ next, found: { id, name: session.name, messages, records: replay.value.applied, lastAt } });
  };
  let found: RecoveredSession | undefined;
  const updated = await store.update(id, (current: Session) => {
    const { signature: _signature, ...unsigned } = current;
    const applied = finish(unsigned);
    if (!applied.ok) throw applied.error;
    found = applied.value.found;
    return applied.value.next as Session;
  });
  if (updated.ok) {
    return found === undefined ? err(new JidoError('internal', 'The recovery did not run.')) : ok(found);
  }
  if (updated.error.code !== 'not_found') return updated;
  // Crashed before its first snapshot: rebuilt from the journal's `open` record alone.
  const rebuilt = finish(undefined);
  if (!rebuilt.ok) return rebuilt;
  const saved = await store.save(rebuilt.value.next);
  return saved.ok ? ok(rebuilt.value.found) : saved;
}

async function quarantine(
  store: AnyStore,
  id: string,
  reason: QuarantineReason,
  outcome: SessionRecovery,
): Promise<Result<SessionRecovery>> {
  const journals = await store.journals();
  if (!journals.ok) return journals;
  const moved = await journals.value.quarantine(id, reason);
  if (!moved.ok) return moved;
  const file = moved.value.homeRelativePath;
  const error = new JidoError(
    'journal_corrupt',
    `The journal of session ${id} could not be recovered (${reason.replaceAll('-', ' ')}); it was kept at ${file}${file.startsWith('journal/') ? ' in the jido home' : ' in the store'}.`,
    { details: { id, reason, quarantined: file } },
  );
  return ok({ ...outcome, quarantined: { id, reason, file, error } });
}
