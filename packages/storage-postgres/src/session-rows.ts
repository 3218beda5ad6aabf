import { JidoError, type Session } from '@jido-code/core-schema';
import type { StoredSession } from '@jido-code/storage';
import type { Database, SqlValue } from './database.js';
import { searchRowParameters, searchRowsDigest } from './search-rows.js';

/** The fencing token of a lease this process holds: writes carry it. */
export interface Fence {
  readonly generation: string;
  readonly token: string;
}

/**
 * The listing columns, read from the signed bytes without verifying them: they only order and
 * filter rows in SQL (sync, listing); what a user sees comes from the verified `metadata`.
 */
export function listingColumns(bytes: Uint8Array): SqlValue[] {
  let document: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) document = parsed as Record<string, unknown>;
  } catch {
    // Unreadable bytes are still stored exactly; loading them reports the problem.
  }
  return listingColumnsOf(document);
}

/** {@link listingColumns} of a document already parsed (the session the bytes were encoded from). */
function listingColumnsOf(document: Readonly<Record<string, unknown>>): SqlValue[] {
  // PostgreSQL text cannot hold U+0000; the signed bytes keep it, the listing column shows U+FFFD.
  const text = (value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : null);
  const conversation = Array.isArray(document.conversation) ? document.conversation.length : null;
  return [
    text(document.name),
    text(document.project_path),
    text(document.created_at),
    text(document.updated_at),
    text(document.closed_at),
    conversation,
    document.pinned === true,
  ];
}

/** How many sessions' indexed digests a store remembers (see `SessionRows.replace`). */
const maxIndexedDigests = 10_000;

function leaseLost(id: string, fence: Fence | undefined): JidoError {
  return new JidoError(
    'lease_lost',
    'Another process took this session over after this one stopped renewing its lease; the write was refused.',
    { details: { id, generation: fence?.generation ?? null } },
  );
}

/** SQL over one schema's session and trash tables. */
export class SessionRows {
  readonly #db: Database;
  readonly #s: string;
  /** Per session saved here, the digest of the search rows its last save left current (hex). */
  readonly #indexedDigests = new Map<string, string>();

  constructor(db: Database, quotedSchema: string) {
    this.#db = db;
    this.#s = quotedSchema;
  }

  async read(id: string): Promise<StoredSession> {
    const { rows } = await this.#db.query<{ document: Buffer }>(
      `SELECT document FROM ${this.#s}.sessions WHERE id = $1`,
      [id],
      'read the session',
    );
    const row = rows[0];
    if (row === undefined)
      throw new JidoError('not_found', 'The session does not exist.', { details: { id } });
    return { bytes: new Uint8Array(row.document), location: `postgres:sessions/${id}` };
  }

  async exists(id: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(`SELECT 1 FROM ${this.#s}.sessions WHERE id = $1`, [id]);
    return rowCount > 0;
  }

  /**
   * Inserts or replaces the bytes in one statement. With a fence, the statement writes only while
   * the lease row still carries that generation and token, and holds a share lock on it until
   * commit, so a takeover waits for this write or this write sees the takeover: never both.
   */
  async write(id: string, bytes: Uint8Array, fence: Fence | undefined): Promise<void> {
    const { rowCount } = await this.#db.query(
      `WITH fence AS (
         SELECT 1 FROM ${this.#s}.leases
         WHERE id = $1 AND generation = $11::bigint AND token = $12 FOR SHARE
       )
       INSERT INTO ${this.#s}.sessions AS s
         (id, document, size_bytes, name, project_path, created_at, updated_at, closed_at, message_count, pinned)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
       WHERE $11::bigint IS NULL OR EXISTS (SELECT 1 FROM fence)
       ON CONFLICT (id) DO UPDATE SET
         document = EXCLUDED.document, size_bytes = EXCLUDED.size_bytes, name = EXCLUDED.name,
         project_path = EXCLUDED.project_path, created_at = EXCLUDED.created_at,
         updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at,
         message_count = EXCLUDED.message_count, pinned = EXCLUDED.pinned, metadata = NULL,
         revision = s.revision + 1, written_at = clock_timestamp()`,
      [
        id,
        bytes,
        bytes.byteLength,
        ...listingColumns(bytes),
        fence?.generation ?? null,
        fence?.token ?? null,
      ],
      'save the session',
    );
    if (rowCount === 0) throw leaseLost(id, fence);
  }

  /**
   * Replaces a stored session in one statement (`replace_session_v2`: advisory lock, fenced update,
   * signed-id ledger, search rows, committed with `synchronous_commit = on`); false when it is not
   * stored. A refused fence is `lease_lost`; a search-index failure is returned, the write stands.
   * The search rows are not sent when this process's last save of the session left rows of the
   * same digest current (the function leaves the row stale if they are not, see migration 6).
   */
  async replace(
    id: string,
    encoded: { readonly bytes: Uint8Array; readonly session: Session },
    fence: Fence | undefined,
    lockKey: string,
  ): Promise<{ written: boolean; indexError: string | null }> {
    const { bytes, session } = encoded;
    const digest = searchRowsDigest(session);
    const key = digest.toString('hex');
    // Rows this process indexed last for the session: neither built nor sent again (the function checks).
    const unchanged = this.#indexedDigests.get(id) === key;
    const { rows } = await this.#db.query<{
      outcome: string;
      index_error: string | null;
      search_current: boolean | null;
    }>(
      `SELECT outcome, index_error, search_current FROM ${this.#s}.replace_session_v2(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::bigint, $13,
         $14, $15::text[], $16::text[], $17::text[], $18::text[], $19::bytea[])`,
      [
        lockKey,
        id,
        bytes,
        bytes.byteLength,
        ...listingColumnsOf(session as unknown as Record<string, unknown>),
        fence?.generation ?? null,
        fence?.token ?? null,
        digest,
        ...(unchanged ? [null, null, null, null, null] : searchRowParameters(session).slice(1)),
      ],
      'save the session',
    );
    const row = rows[0];
    this.#indexedDigests.delete(id);
    if (row?.search_current === true) {
      // A cache only: bounded, dropped whole when full (a miss just sends the rows).
      if (this.#indexedDigests.size >= maxIndexedDigests) this.#indexedDigests.clear();
      this.#indexedDigests.set(id, key);
    }
    if (row?.outcome === 'fenced') throw leaseLost(id, fence);
    return { written: row?.outcome === 'written', indexError: row?.index_error ?? null };
  }

  async remove(id: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `DELETE FROM ${this.#s}.sessions WHERE id = $1`,
      [id],
      'delete the session',
    );
    return rowCount > 0;
  }

  async count(): Promise<number> {
    const { rows } = await this.#db.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#s}.sessions`);
    return Number(rows[0]?.n ?? 0);
  }

  async ids(): Promise<string[]> {
    const { rows } = await this.#db.query<{ id: string }>(`SELECT id FROM ${this.#s}.sessions ORDER BY id`);
    return rows.map((row) => row.id);
  }

  /** Moves the row into the trash with its record, in one statement: live or trashed, never both. */
  async trash(id: string, entry: string, record: Uint8Array): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `WITH moved AS (DELETE FROM ${this.#s}.sessions WHERE id = $1 RETURNING id, document)
       INSERT INTO ${this.#s}.trash (entry, id, document, record)
       SELECT $2, id, document, $3 FROM moved`,
      [id, entry, record],
      'move the session to the trash',
    );
    return rowCount > 0;
  }

  async restore(id: string, entry: string): Promise<void> {
    const { rows } = await this.#db.query<{ document: Buffer }>(
      `DELETE FROM ${this.#s}.trash WHERE entry = $1 AND id = $2 RETURNING document`,
      [entry, id],
      'restore the session',
    );
    const document = rows[0]?.document;
    if (document === undefined) {
      throw new JidoError('not_found', 'The trash entry does not exist.', { details: { entry } });
    }
    await this.write(id, new Uint8Array(document), undefined);
  }

  async purge(entry: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `DELETE FROM ${this.#s}.trash WHERE entry = $1`,
      [entry],
      'empty the trash',
    );
    return rowCount > 0;
  }

  /** Replaces a trash entry's document and record in one statement. */
  async rewriteTrashed(id: string, entry: string, bytes: Uint8Array, record: Uint8Array): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `UPDATE ${this.#s}.trash SET document = $3, record = $4 WHERE entry = $1 AND id = $2`,
      [entry, id, bytes, record],
      'rewrite the trashed session',
    );
    return rowCount > 0;
  }

  async trashEntries(): Promise<{ entry: string; id: string; record: Uint8Array }[]> {
    const { rows } = await this.#db.query<{ entry: string; id: string; record: Buffer }>(
      `SELECT entry, id, record FROM ${this.#s}.trash ORDER BY entry`,
      [],
      'list the trash',
    );
    return rows.map((row) => ({ entry: row.entry, id: row.id, record: new Uint8Array(row.record) }));
  }

  async readTrashed(entry: string): Promise<StoredSession> {
    const { rows } = await this.#db.query<{ document: Buffer }>(
      `SELECT document FROM ${this.#s}.trash WHERE entry = $1`,
      [entry],
      'read the trashed session',
    );
    const row = rows[0];
    if (row === undefined) {
      throw new JidoError('not_found', 'The trash entry does not exist.', { details: { entry } });
    }
    return { bytes: new Uint8Array(row.document), location: `postgres:trash/${entry}` };
  }
}
