import type { Result, Session } from '@jido-code/core-schema';
import { JidoError, type Logger, silentLogger, toJidoError } from '@jido-code/core-schema';
import type { KeyringPersistence } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import {
  type BackendListing,
  type DescribeSession,
  defaultJournalMaxBytes,
  type JournalSigner,
  type JournalStore,
  type Lease,
  type LeaseInfo,
  type ListingProblem,
  type LoadedSession,
  type QuarantinedJournal,
  type SessionBackend,
  type SessionCensus,
  type SessionMetadata,
  type SessionSearchProvider,
  type SessionSlot,
  type StoredSession,
  type TrashedSession,
} from '@jido-code/storage';
import { sessionMetadataSchema } from '@jido-code/storage/schemas';
import { Database, type DatabaseOptions } from './database.js';
import { databaseKeyring, databaseLockedDocument, databaseSignedIds, fileKeyring } from './documents.js';
import { JournalRows } from './journal-rows.js';
import { defaultLeaseTtlMs, LeaseTable } from './leases.js';
import { migrate, quoteIdentifier } from './migrations.js';
import { PostgresJournals, quarantinedJournal } from './postgres-journals.js';
import { PostgresSearch } from './postgres-search.js';
import { SessionRows } from './session-rows.js';

/** How to open a {@link PostgresBackend}. */
export interface PostgresBackendOptions extends DatabaseOptions {
  /** The schema that holds the tables (default `jido`); created on first open. */
  readonly schema?: string | undefined;
  /** A lease not renewed for this long can be taken over (default 30 s). */
  readonly leaseTtlMs?: number | undefined;
  /** How often a holder renews its leases (default a third of the TTL). */
  readonly leaseHeartbeatMs?: number | undefined;
  /**
   * A keyring file outside the database (what `JIDO_SIGNING_KEYS` names). Without it the keyring
   * is a locked document in the database.
   */
  readonly signingKeysFile?: string | undefined;
  /** The clock for journal record times (default `() => new Date()`). */
  readonly now?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * Sessions in PostgreSQL: the signed canonical bytes exactly as a file would hold them, listing
 * columns beside them, the trash, leases with a TTL and a fencing generation, and the keyring and
 * rate-limit state as row-locked documents. Per-session exclusive sections are transactions under
 * an advisory lock, so they hold across every host that shares the database.
 */
export class PostgresBackend implements SessionBackend {
  readonly kind = 'postgres';
  readonly db: Database;
  /** The quoted schema name. */
  readonly schema: string;
  readonly #rows: SessionRows;
  readonly #journalRows: JournalRows;
  readonly #leases: LeaseTable;
  readonly #now: () => Date;
  readonly #keyFile: string | undefined;
  readonly #logger: Logger;
  #signedIds: ReturnType<typeof databaseSignedIds> | undefined;
  readonly #schemaName: string;

  private constructor(db: Database, options: PostgresBackendOptions) {
    this.db = db;
    this.#schemaName = options.schema ?? 'jido';
    this.schema = quoteIdentifier(this.#schemaName);
    this.#logger = options.logger ?? silentLogger;
    this.#rows = new SessionRows(db, this.schema);
    this.#journalRows = new JournalRows(db, this.schema);
    this.#now = options.now ?? (() => new Date());
    const ttlMs = options.leaseTtlMs ?? defaultLeaseTtlMs;
    this.#leases = new LeaseTable(
      db,
      this.schema,
      { ttlMs, heartbeatMs: options.leaseHeartbeatMs ?? Math.max(1, Math.floor(ttlMs / 3)) },
      this.#logger,
    );
    this.#keyFile = options.signingKeysFile;
  }

  /** Connects, and brings the schema up to date (under an advisory lock, never destructive). */
  static async open(options: PostgresBackendOptions): Promise<PostgresBackend> {
    const schema = options.schema ?? 'jido';
    quoteIdentifier(schema);
    const db = new Database(options);
    try {
      await migrate(db, schema);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new PostgresBackend(db, options);
  }

  read(id: string): Promise<StoredSession> {
    return this.#rows.read(id);
  }

  withSession<T>(id: string, fn: (slot: SessionSlot) => Promise<T>): Promise<T> {
    const rows = this.#rows;
    const slot: SessionSlot = {
      read: () => rows.read(id),
      exists: () => rows.exists(id),
      write: (bytes) => rows.write(id, bytes, this.#leases.fenceOf(id)),
      remove: () => rows.remove(id),
      leaseHolder: () => this.#leases.holder(id),
      trash: (entry, record) => rows.trash(id, entry, record),
      restore: (entry) => rows.restore(id, entry),
      purgeTrashed: (entry) => rows.purge(entry),
      rewriteTrashed: (entry, bytes, record) => rows.rewriteTrashed(id, entry, bytes, record),
    };
    return this.db.transaction(async () => {
      await this.db.lock(this.#sessionLock(id));
      return fn(slot);
    }, 'use the session');
  }

  /**
   * A save of a stored session in one statement and one round trip (see `replace_session_v2`): the
   * same advisory lock as {@link withSession}, the lease's fence, the signed-id ledger and the
   * search rows, committed with `synchronous_commit = on`. False when the session is not stored.
   */
  async replaceStored(
    id: string,
    encoded: { readonly bytes: Uint8Array; readonly session: Session },
  ): Promise<boolean> {
    const { written, indexError } = await this.#rows.replace(
      id,
      encoded,
      this.#leases.fenceOf(id),
      this.#sessionLock(id),
    );
    if (indexError !== null) {
      this.#logger.debug('Could not index a saved session; the next search indexes it.', {
        id,
        error: indexError,
      });
    }
    return written;
  }

  #sessionLock(id: string): string {
    return `jido:${this.#schemaName}:session:${id}`;
  }

  withCreation<T>(fn: (census: SessionCensus) => Promise<T>): Promise<T> {
    const census: SessionCensus = {
      count: () => this.#rows.count(),
      removeUnleased: async (id) => {
        if ((await this.#leases.holder(id)) !== undefined) return false;
        await this.#rows.remove(id);
        return true;
      },
    };
    return this.db.transaction(async () => {
      await this.db.lock(`jido:${this.#schemaName}:creation`);
      return fn(census);
    }, 'create the session');
  }

  /** Rows whose verified metadata is cached are reused; the others are described and cached. */
  async list(describe: DescribeSession): Promise<BackendListing> {
    const { rows } = await this.db.query<{
      id: string;
      size_bytes: number;
      revision: string;
      metadata: unknown;
    }>(
      // In no particular order: the store sorts the listing; the problems are sorted below.
      `SELECT id, size_bytes, revision, metadata FROM ${this.schema}.sessions`,
      [],
      'list the saved sessions',
    );
    const sessions: SessionMetadata[] = [];
    const problems: ListingProblem[] = [];
    let parsed = 0;
    let reused = 0;
    for (const row of rows) {
      const cached = row.metadata === null ? undefined : sessionMetadataSchema.safeParse(row.metadata);
      if (cached?.success === true) {
        reused += 1;
        sessions.push(cached.data);
        continue;
      }
      parsed += 1;
      const described = await describe(row.id, row.size_bytes).catch((error: unknown) => ({
        ok: false as const,
        error:
          error instanceof JidoError ? error : toJidoError(error, 'internal', 'Could not load the session.'),
      }));
      if (!described.ok) {
        if (described.error.code !== 'not_found') {
          problems.push({ file: row.id, id: row.id, error: described.error });
        }
        continue;
      }
      sessions.push(described.value);
      // Only if the row was not rewritten meanwhile: the next listing describes it again otherwise.
      // A cache only: metadata jsonb cannot hold (e.g. a U+0000 in a name) is described every time.
      await this.db
        .query(`UPDATE ${this.schema}.sessions SET metadata = $3 WHERE id = $1 AND revision = $2::bigint`, [
          row.id,
          row.revision,
          JSON.stringify(described.value),
        ])
        .catch((error: unknown) => {
          if (this.db.inTransaction) throw error;
          this.#logger.debug('Could not cache the listing metadata.', { id: row.id, error: String(error) });
        });
    }
    problems.sort((left, right) => (left.file < right.file ? -1 : left.file > right.file ? 1 : 0));
    return { sessions, problems, stats: { parsed, reused } };
  }

  async entries(): Promise<{ file: string; id: string }[]> {
    return (await this.#rows.ids()).map((id) => ({ file: id, id }));
  }

  trashEntries(): Promise<TrashedSession[]> {
    return this.#rows.trashEntries();
  }

  readTrashed(entry: string): Promise<StoredSession> {
    return this.#rows.readTrashed(entry);
  }

  /** Full-text search through a tsvector column with a GIN index, behind the store's search interface. */
  search(load: (id: string) => Promise<Result<LoadedSession>>): SessionSearchProvider {
    return new PostgresSearch(this.db, this.schema, load, this.#logger);
  }

  acquireLease(id: string): Promise<Result<Lease>> {
    return this.#leases.acquire(id);
  }

  leaseHolder(id: string): Promise<LeaseInfo | undefined> {
    return this.#leases.holder(id);
  }

  leasedIds(): Promise<Set<string>> {
    return this.#leases.liveIds();
  }

  keyringPersistence(): KeyringPersistence {
    return this.#keyFile === undefined ? databaseKeyring(this.db, this.schema) : fileKeyring(this.#keyFile);
  }

  lockedDocument(name: string): LockedDocument {
    return databaseLockedDocument(this.db, this.schema, 'state', name);
  }

  signedIds() {
    this.#signedIds ??= databaseSignedIds(this.db, this.schema);
    return this.#signedIds;
  }

  /**
   * The journals as rows, signed like journal file lines, each batch of appends one fenced INSERT
   * committed with `synchronous_commit = on`; writing one needs the session's lease here.
   */
  async journals(signer: JournalSigner): Promise<JournalStore> {
    return new PostgresJournals({
      rows: this.#journalRows,
      signer,
      fenceOf: (id) => this.#leases.fenceOf(id),
      now: this.#now,
      maxBytes: defaultJournalMaxBytes,
    });
  }

  journalIds(): Promise<string[]> {
    return this.#journalRows.ids();
  }

  async quarantinedJournals(): Promise<QuarantinedJournal[]> {
    return (await this.#journalRows.quarantined()).map(quarantinedJournal);
  }

  /** Stops the lease heartbeats and closes the pool. Leases still held expire after their TTL. */
  async close(): Promise<void> {
    this.#leases.stopHeartbeats();
    await this.db.close();
  }
}
