import { err, JidoError, type Logger, ok, type Result, type Session } from '@jido-code/core-schema';
import type {
  LoadedSession,
  RefreshReport,
  SearchOptions,
  SearchOutcome,
  SessionSearchProvider,
} from '@jido-code/storage';
import {
  foldToken,
  parseSearchQuery,
  rankCandidates,
  rankingWindowNotice,
  type SearchQuery,
  type SearchTerm,
} from '@jido-code/storage/search';
import type { Database, SqlValue } from './database.js';
import { candidatePage } from './search-candidates.js';
import { searchRowParameters } from './search-rows.js';
import { topVerified } from './top-verified.js';

const defaultLimit = 20;
/** How many of the most recently indexed matching messages a query ranks at most (as SQLite's). */
const defaultRankingWindow = 20_000;
/** Stale sessions read at a time before a search (see `#stale`). */
const staleBatch = 500;

/** A tsquery lexeme: quoted, with the quote and backslash escaped (tokens rarely hold them). */
function lexeme(token: string, prefix: boolean): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${prefix ? ':*' : ''}`;
}

function termQuery(term: SearchTerm): string {
  const tokens = term.tokens.map(foldToken);
  return `(${tokens.map((token, index) => lexeme(token, term.prefix && index === tokens.length - 1)).join(' <-> ')})`;
}

/**
 * The tsquery that narrows the candidates: every included term (exclusions are applied when the
 * candidates are verified, so the index can only miss nothing the scan would find).
 */
function tsQueryOf(query: SearchQuery): string {
  return query.include.map(termQuery).join(' & ');
}

/**
 * Full-text search in PostgreSQL: one row per message with a `tsvector` (GIN index), kept in the
 * save's own transaction. Sessions written another way (a restore, a sync) are re-indexed before a
 * search by comparing each session's revision with the one indexed. The index only narrows and
 * ranks: candidates are loaded through the store's verified load and matched exactly as the scan
 * does, in rank order, until the top `limit` are confirmed (see {@link topVerified}). A query
 * matching more than `rankingWindow` messages is ranked among the most recently indexed
 * `rankingWindow` of them, as the SQLite index ranks, and says so (see {@link candidatePage}).
 */
export class PostgresSearch implements SessionSearchProvider {
  readonly #db: Database;
  readonly #s: string;
  readonly #load: (id: string) => Promise<Result<LoadedSession>>;
  readonly #logger: Logger;
  readonly #rankingWindow: number;

  constructor(
    db: Database,
    quotedSchema: string,
    load: (id: string) => Promise<Result<LoadedSession>>,
    logger: Logger,
    { rankingWindow = defaultRankingWindow }: { rankingWindow?: number } = {},
  ) {
    this.#db = db;
    this.#s = quotedSchema;
    this.#load = load;
    this.#logger = logger;
    this.#rankingWindow = rankingWindow;
  }

  async search(text: string, options: SearchOptions = {}): Promise<Result<SearchOutcome>> {
    const query = parseSearchQuery(text);
    if (!query.ok) return query;
    const limit = options.limit ?? defaultLimit;
    try {
      await this.#refresh();
      const filters = {
        projectPath: options.projectPath,
        since: options.since?.toISOString(),
        role: options.role,
      };
      const window = { tsQuery: tsQueryOf(query.value), filters, window: this.#rankingWindow };
      let windowed = false;
      const results = await topVerified(
        async (offset, count) => {
          const page = await candidatePage(this.#db, this.#s, window, offset, count);
          windowed ||= page.windowed;
          return page.candidates;
        },
        (candidate) =>
          rankCandidates(
            [candidate.id],
            (one) => this.#verified(one),
            query.value,
            filters,
            1,
            candidate.within,
          ),
        limit,
      );
      const notices = windowed ? [rankingWindowNotice(this.#rankingWindow)] : [];
      return ok({ results, mode: 'index', notices });
    } catch (error) {
      return err(
        error instanceof JidoError
          ? error
          : new JidoError('io_error', 'The search failed.', { cause: error }),
      );
    }
  }

  async rebuild(onProgress?: (done: number, total: number) => void): Promise<Result<RefreshReport>> {
    try {
      await this.#db.query(`DELETE FROM ${this.#s}.search_revisions`);
      await this.#db.query(`DELETE FROM ${this.#s}.search_messages`);
      await this.#db.query(
        `UPDATE ${this.#s}.sessions SET search_revision = NULL, search_digest = NULL
         WHERE search_revision IS NOT NULL OR search_digest IS NOT NULL`,
      );
      return ok(await this.#refresh(onProgress, true));
    } catch (error) {
      return err(
        error instanceof JidoError
          ? error
          : new JidoError('io_error', 'The search index could not be rebuilt.'),
      );
    }
  }

  /**
   * Indexes a saved session inside the save's transaction. `index_session_v2` catches its own
   * errors (a subtransaction), so an index failure never fails the save: the session is re-indexed
   * before the next search, by revision.
   */
  async indexSaved(session: Session): Promise<void> {
    try {
      const error = await this.#index(session, undefined);
      if (error !== null) throw new Error(error);
    } catch (error) {
      this.#logger.debug('Could not index a saved session; the next search indexes it.', {
        id: session.id,
        error: String(error),
      });
    }
  }

  async removed(id: string): Promise<void> {
    await this.#db.query(`DELETE FROM ${this.#s}.search_messages WHERE session_id = $1`, [id]);
    await this.#db.query(`DELETE FROM ${this.#s}.search_revisions WHERE session_id = $1`, [id]);
  }

  close(): void {}

  async #verified(id: string) {
    const loaded = await this.#load(id);
    return loaded.ok ? { session: loaded.value.session, contentHash: '' } : undefined;
  }

  /**
   * Brings one session's rows up to `session` in one statement (rows whose digest is unchanged are
   * left alone), recording `revision`, or the stored row's revision when undefined, in
   * `search_revisions` and in the session row; the error the statement caught, else null.
   */
  async #index(session: Session, revision: string | undefined): Promise<string | null> {
    const { rows } = await this.#db.query<{ error: string | null }>(
      `SELECT ${this.#s}.index_session_v2(
         $1, coalesce($2::bigint, (SELECT revision FROM ${this.#s}.sessions WHERE id = $1)),
         $3, $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[]) AS error`,
      [session.id, revision ?? null, ...searchRowParameters(session)],
      'index the session for search',
    );
    return rows[0]?.error ?? null;
  }

  /**
   * Up to `staleBatch` sessions written since they were indexed (`search_revision` differs from
   * `revision`), after `after` in id order: read from the partial index that holds only those rows
   * (see migration 6), so the check costs what is stale, not the size of the store. The LIMIT keeps
   * the planner on that index (it cannot estimate how few rows the condition keeps).
   */
  async #stale(after: string | null): Promise<{ id: string; revision: string }[]> {
    const { rows } = await this.#db.query<{ id: string; revision: string }>(
      `SELECT id, revision FROM ${this.#s}.sessions
       WHERE search_revision IS DISTINCT FROM revision AND ($1::uuid IS NULL OR id > $1::uuid)
       ORDER BY id LIMIT ${staleBatch}`,
      [after],
    );
    return rows;
  }

  /**
   * Indexes the sessions written since they were indexed, a batch at a time (see {@link #stale}).
   * A stale row that `search_revisions` shows indexed at its current revision (by an older release)
   * is adopted without loading it. Rows of removed sessions cannot be candidates (the candidate
   * query joins the sessions) and are dropped here when something needs indexing, or by a rebuild.
   */
  async #refresh(onProgress?: (done: number, total: number) => void, prune = false): Promise<RefreshReport> {
    let batch = await this.#stale(null);
    if (batch.length === 0 && !prune) return { indexed: 0, dropped: 0 };
    const gone = await this.#db.query<{ session_id: string }>(
      `SELECT r.session_id FROM ${this.#s}.search_revisions r
       LEFT JOIN ${this.#s}.sessions s ON s.id = r.session_id WHERE s.id IS NULL`,
    );
    for (const { session_id } of gone.rows) await this.removed(session_id);
    const counted = await this.#db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM ${this.#s}.sessions WHERE search_revision IS DISTINCT FROM revision`,
    );
    const total = counted.rows[0]?.n ?? batch.length;
    let indexed = 0;
    let dropped = gone.rows.length;
    let done = 0;
    while (batch.length > 0) {
      const adopted = await this.#adopt(batch.map((row) => row.id));
      for (const row of batch) {
        if (!adopted.has(row.id)) {
          if (await this.#reindex(row)) indexed += 1;
          else dropped += 1;
        }
        done += 1;
        onProgress?.(done, Math.max(total, done));
      }
      if (batch.length < staleBatch) break;
      batch = await this.#stale(batch.at(-1)?.id ?? null);
    }
    return { indexed, dropped };
  }

  /** Marks current those of `ids` that `search_revisions` shows indexed at their revision. */
  async #adopt(ids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.#db.query<{ id: string }>(
      `UPDATE ${this.#s}.sessions s SET search_revision = s.revision, search_digest = r.digest
       FROM ${this.#s}.search_revisions r
       WHERE s.id = ANY($1::uuid[]) AND s.search_revision IS DISTINCT FROM s.revision
         AND r.session_id = s.id AND r.revision = s.revision
       RETURNING s.id`,
      [ids as unknown as SqlValue],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Loads and indexes one stale session; false when it does not load (it is dropped instead). */
  async #reindex(row: { id: string; revision: string }): Promise<boolean> {
    const loaded = await this.#load(row.id);
    if (loaded.ok) {
      const error = await this.#index(loaded.value.session, row.revision);
      if (error !== null) throw new JidoError('io_error', 'The search index could not be updated.');
      return true;
    }
    // Not retried until it is written again: its revision is recorded with no rows.
    await this.removed(row.id);
    await this.#db.query(
      `INSERT INTO ${this.#s}.search_revisions (session_id, revision) VALUES ($1, $2::bigint)`,
      [row.id, row.revision],
    );
    await this.#db.query(
      `UPDATE ${this.#s}.sessions SET search_revision = $2::bigint, search_digest = NULL
       WHERE id = $1 AND revision = $2::bigint`,
      [row.id, row.revision],
    );
    return false;
  }
}
