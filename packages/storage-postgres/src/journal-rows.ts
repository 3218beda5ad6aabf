import { JidoError } from '@jido-code/core-schema';
import type { QuarantineReason } from '@jido-code/storage';
import type { Database } from './database.js';
import type { Fence } from './session-rows.js';

/** A journal kept in `journal_quarantine`, as the table holds it. */
export interface QuarantineRow {
  readonly entry: string;
  readonly session_id: string;
  readonly reason: string;
  readonly quarantined_at: Date;
}

/** The refusal of a journal write whose lease this process no longer holds (or never held). */
export function journalLeaseLost(id: string, fence: Fence | undefined): JidoError {
  return new JidoError(
    'lease_lost',
    fence === undefined
      ? 'The session is not open in this process, so its journal cannot be changed here.'
      : 'Another process took this session over after this one stopped renewing its lease; the journal write was refused.',
    { details: { id, generation: fence?.generation ?? null } },
  );
}

/**
 * SQL over one schema's `journal` (one row per acknowledged record: the signed line exactly as a
 * journal file holds it) and `journal_quarantine`. Every change carries the lease's fencing token
 * and checks it in the same statement, with a share lock on the lease row until commit: a holder
 * that lost its lease changes nothing.
 */
export class JournalRows {
  readonly #db: Database;
  readonly #s: string;

  constructor(db: Database, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  /**
   * Inserts a batch of records in one statement, its own transaction, committed with
   * `synchronous_commit = on` (set for this transaction by the statement itself, so the batch costs
   * one round trip); false when the fence no longer holds and nothing was written.
   */
  async insert(id: string, fence: Fence, seqs: readonly number[], lines: readonly Uint8Array[]) {
    const { rowCount } = await this.#db.query(
      `WITH fence AS (
         SELECT set_config('synchronous_commit', 'on', true) FROM ${this.#s}.leases
         WHERE id = $1 AND generation = $2::bigint AND token = $3 FOR SHARE
       )
       INSERT INTO ${this.#s}.journal (session_id, seq, record)
       SELECT $1, r.seq, r.record FROM fence, unnest($4::bigint[], $5::bytea[]) AS r (seq, record)`,
      [id, fence.generation, fence.token, seqs, lines],
      'save the change to the session journal',
    );
    return rowCount === seqs.length;
  }

  /** Count and total size of a session's records (checked before reading them). */
  async size(id: string): Promise<{ count: number; bytes: number }> {
    const { rows } = await this.#db.query<{ count: number; bytes: string }>(
      `SELECT count(*)::integer AS count, coalesce(sum(octet_length(record)), 0)::bigint AS bytes
       FROM ${this.#s}.journal WHERE session_id = $1`,
      [id],
      'read the session journal',
    );
    return { count: rows[0]?.count ?? 0, bytes: Number(rows[0]?.bytes ?? 0) };
  }

  /** The session's records in order, concatenated: the bytes a journal file would hold. */
  async read(id: string): Promise<Buffer> {
    const { rows } = await this.#db.query<{ record: Buffer }>(
      `SELECT record FROM ${this.#s}.journal WHERE session_id = $1 ORDER BY seq`,
      [id],
      'read the session journal',
    );
    return Buffer.concat(rows.map((row) => row.record));
  }

  /** Deletes the session's records under the fence; false when the fence does not hold. */
  async remove(id: string, fence: Fence): Promise<boolean> {
    const { rows } = await this.#db.query<{ fenced: boolean }>(
      `WITH fence AS (
         SELECT 1 FROM ${this.#s}.leases
         WHERE id = $1 AND generation = $2::bigint AND token = $3 FOR SHARE
       ), gone AS (
         DELETE FROM ${this.#s}.journal WHERE session_id = $1 AND EXISTS (SELECT 1 FROM fence) RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM fence) AS fenced, (SELECT count(*) FROM gone) AS removed`,
      [id, fence.generation, fence.token],
      'retire the session journal',
    );
    return rows[0]?.fenced === true;
  }

  /**
   * Moves the session's records, concatenated, into `journal_quarantine` as `entry` in one
   * statement, under the fence: both or neither. False when the fence does not hold. A taken
   * `entry` fails the whole statement (unique violation), which leaves the journal where it was.
   */
  async quarantine(
    id: string,
    fence: Fence,
    entry: string,
    reason: QuarantineReason,
    at: Date,
  ): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `WITH fence AS (
         SELECT 1 FROM ${this.#s}.leases
         WHERE id = $1 AND generation = $2::bigint AND token = $3 FOR SHARE
       ), moved AS (
         DELETE FROM ${this.#s}.journal WHERE session_id = $1 AND EXISTS (SELECT 1 FROM fence)
         RETURNING seq, record
       )
       INSERT INTO ${this.#s}.journal_quarantine
         (entry, session_id, reason, quarantined_at, record_count, records)
       SELECT $4, $1, $5, $6, count(*), coalesce(string_agg(record, ''::bytea ORDER BY seq), ''::bytea)
       FROM moved HAVING EXISTS (SELECT 1 FROM fence)`,
      [id, fence.generation, fence.token, entry, reason, at.toISOString()],
      'move the session journal aside',
    );
    return rowCount === 1;
  }

  /** Ids of the sessions with at least one record, sorted. */
  async ids(): Promise<string[]> {
    const { rows } = await this.#db.query<{ session_id: string }>(
      `SELECT DISTINCT session_id FROM ${this.#s}.journal ORDER BY session_id`,
      [],
      'list the session journals',
    );
    return rows.map((row) => row.session_id);
  }

  /** Every quarantined journal, oldest first. */
  async quarantined(): Promise<QuarantineRow[]> {
    const { rows } = await this.#db.query<QuarantineRow>(
      `SELECT entry, session_id, reason, quarantined_at FROM ${this.#s}.journal_quarantine
       ORDER BY quarantined_at, entry`,
      [],
      'list the quarantined journals',
    );
    return rows;
  }
}
