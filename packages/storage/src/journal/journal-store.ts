import type { JsonValue, Result } from '@jido-code/core-schema';
import type { QuarantinedJournal, QuarantineReason } from './journal-quarantine.js';
import type { JournalContents } from './journal-record.js';

/** Counters for tests and benchmarks. */
export interface JournalWriterStats {
  /** Durable flushes made (an `fdatasync`, a commit): one per batch (group commit), so at most one per append. */
  readonly syncs: number;
  /** Records written (each one in a batch whose write completed). */
  readonly records: number;
}

/**
 * One session's open journal. `append` signs and chains the record at once and resolves only when
 * it is durable (group commit: appends that arrive together share one flush); the first failed
 * flush fails its batch and every later append (`failed`), and reopening is the way back.
 */
export interface SessionJournal {
  /** The session this journal belongs to. */
  readonly sessionId: string;
  /** True once a flush failed: every later append fails at once. */
  readonly failed: boolean;
  /** Flushes and records so far. */
  readonly stats: JournalWriterStats;
  /** Resolves with the record's `seq` once it is durable (the acknowledgement); never throws. */
  append(type: string, data: JsonValue): Promise<Result<{ seq: number }>>;
  /** Waits for appends in flight, then lets go of the journal; later appends fail. Idempotent. */
  close(): Promise<void>;
}

/**
 * Where a backend keeps the per-session write-ahead journals: what the session runtime needs to
 * journal live sessions, recover them after a crash and look into another holder's journal. The
 * file backend's is `JournalDirectory`; every method checks the session id before anything else
 * and reports failures as results.
 */
export interface JournalStore {
  /** Opens the session's journal for appending: creates it, or continues a verified one. */
  open(sessionId: string): Promise<Result<SessionJournal>>;
  /**
   * Reads and verifies the session's journal without changing it (recovery, or a look into a
   * journal another process holds): `not_found` when there is none, `too_large` over the limit.
   */
  read(sessionId: string): Promise<Result<JournalContents>>;
  /** Removes the session's journal once a durable snapshot holds its changes; idempotent. */
  retire(sessionId: string): Promise<Result<void>>;
  /** The ids of the sessions that have a journal, sorted. */
  list(): Promise<Result<string[]>>;
  /** Moves a journal recovery cannot use aside, never deleting it. */
  quarantine(sessionId: string, reason: QuarantineReason): Promise<Result<QuarantinedJournal>>;
  /** The journals moved aside, oldest first. */
  listQuarantined(): Promise<Result<QuarantinedJournal[]>>;
}
