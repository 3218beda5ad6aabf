import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { toStoreError } from './pg-errors.js';

/** A parameter of a query. */
export type SqlValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | bigint
  | readonly (string | number)[]
  | readonly Uint8Array[];

/** The rows of a query and how many it touched. */
export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

/** How to reach the database. */
export interface DatabaseOptions {
  /** `postgres://user:password@host:port/database?sslmode=…` */
  readonly url: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number | undefined;
  /** Server-side limit of one statement in ms (default 30 000); 0 turns it off. */
  readonly statementTimeoutMs?: number | undefined;
  /** How long to wait for a connection in ms (default 10 000). */
  readonly connectTimeoutMs?: number | undefined;
}

type Queryable = pg.PoolClient | pg.Pool;

/**
 * The pool and the transaction of the current call chain. Every query made while a
 * {@link Database.transaction} runs, however deep, goes through that transaction's connection (an
 * AsyncLocalStorage), so nested helpers join it instead of taking a second connection, which would
 * wait forever behind the first on a single-session server such as PGlite.
 */
export class Database {
  readonly pool: pg.Pool;
  readonly #current = new AsyncLocalStorage<pg.PoolClient>();

  constructor(options: DatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // A connection killed while idle (server restart, pg_terminate_backend) is dropped from the
    // pool; the next query opens a new one. Without a listener the process would crash.
    this.pool.on('error', () => {});
    // The same while checked out: the query in flight rejects, which is where the error is reported.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** True while the caller runs inside a transaction. */
  get inTransaction(): boolean {
    return this.#current.getStore() !== undefined;
  }

  /** Runs one statement on the current transaction's connection, else on any pooled one. */
  async query<Row = Record<string, unknown>>(
    text: string,
    values: readonly SqlValue[] = [],
    action = 'use the session database',
  ): Promise<QueryResult<Row>> {
    const target: Queryable = this.#current.getStore() ?? this.pool;
    try {
      const result = await target.query(text, values as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw toStoreError(error, action);
    }
  }

  /**
   * Runs `fn` in one transaction (joining the caller's, if any), with `synchronous_commit = on` so
   * that a resolved call means a committed, flushed change. A throw rolls everything back.
   */
  async transaction<T>(fn: () => Promise<T>, action = 'use the session database'): Promise<T> {
    if (this.inTransaction) return fn();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStoreError(error, action);
    }
    let broken: unknown;
    try {
      // One round trip: both statements in one simple query.
      await client.query('BEGIN; SET LOCAL synchronous_commit = on');
      const value = await this.#current.run(client, fn);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError;
      }
      throw toStoreError(error, action);
    } finally {
      // A connection that failed its rollback is closed rather than reused.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Takes a transaction-scoped advisory lock on `key` (hashed), waiting for it. */
  async lock(key: string): Promise<void> {
    await this.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key], 'wait for a lock');
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
