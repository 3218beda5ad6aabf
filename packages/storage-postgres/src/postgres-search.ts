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
  type SearchQuery,
  type SearchTerm,
  tokenize,
} from '@jido-code/storage/search';
import type { Database } from './database.js';

const defaultLimit = 20;

/** Text as the index holds it: the file backend's tokens, folded the same way, space-separated. */
function indexedText(content: string): string {
  return tokenize(content).map(foldToken).join(' ');
}

/** PostgreSQL text cannot hold U+0000; the index drops it (the signed document keeps it). */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

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
 * search by comparing each session's revision with the one indexed. The index only narrows: every
 * candidate is loaded through the store's verified load and matched exactly as the scan does.
 */
export class PostgresSearch implements SessionSearchProvider {
  readonly #db: Database;
  readonly #s: string;
  readonly #load: (id: string) => Promise<Result<LoadedSession>>;
  readonly #logger: Logger;

  constructor(
    db: Database,
    quotedSchema: string,
    load: (id: string) => Promise<Result<LoadedSession>>,
    logger: Logger,
  ) {
    this.#db = db;
    this.#s = quotedSchema;
    this.#load = load;
    this.#logger = logger;
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
      const { rows } = await this.#db.query<{ session_id: string }>(
        `SELECT m.session_id, count(*) AS hits, max(x.updated_at) AS updated_at
         FROM ${this.#s}.search_messages m
         JOIN ${this.#s}.sessions x ON x.id = m.session_id
         WHERE m.tsv @@ to_tsquery('simple', $1)
           AND ($2::text IS NULL OR x.project_path = $2)
           AND ($3::text IS NULL OR m.at >= $3)
           AND ($4::text IS NULL OR m.role = $4)
         GROUP BY m.session_id
         ORDER BY hits DESC, updated_at DESC
         LIMIT $5`,
        [
          tsQueryOf(query.value),
          filters.projectPath ?? null,
          filters.since ?? null,
          filters.role ?? null,
          limit * 4,
        ],
        'search the sessions',
      );
      const results = await rankCandidates(
        rows.map((row) => row.session_id),
        (id) => this.#verified(id),
        query.value,
        filters,
        limit,
      );
      return ok({ results, mode: 'index', notices: [] });
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
      return ok(await this.#refresh(onProgress));
    } catch (error) {
      return err(
        error instanceof JidoError
          ? error
          : new JidoError('io_error', 'The search index could not be rebuilt.'),
      );
    }
  }

  /**
   * Indexes a saved session inside the save's transaction, behind a savepoint: an index failure
   * never fails the save (the session is re-indexed before the next search, by revision).
   */
  async indexSaved(session: Session): Promise<void> {
    const guarded = this.#db.inTransaction;
    if (guarded) await this.#db.query('SAVEPOINT jido_search');
    try {
      const { rows } = await this.#db.query<{ revision: string }>(
        `SELECT revision FROM ${this.#s}.sessions WHERE id = $1`,
        [session.id],
      );
      const revision = rows[0]?.revision;
      if (revision !== undefined) await this.#index(session, revision);
      if (guarded) await this.#db.query('RELEASE SAVEPOINT jido_search');
    } catch (error) {
      if (guarded) await this.#db.query('ROLLBACK TO SAVEPOINT jido_search');
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

  /** Replaces one session's rows in one transaction (the save's, when called from a save). */
  async #index(session: Session, revision: string): Promise<void> {
    const messages = session.conversation;
    await this.#db.transaction(async () => {
      await this.#db.query(`DELETE FROM ${this.#s}.search_messages WHERE session_id = $1`, [session.id]);
      await this.#db.query(
        `INSERT INTO ${this.#s}.search_messages (session_id, ordinal, message_id, role, at, content, tsv)
         SELECT $1, t.ordinal, t.message_id, t.role, t.at, '', to_tsvector('simple', t.folded)
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS t(ordinal, message_id, role, at, folded)`,
        [
          session.id,
          messages.map((_, index) => index),
          messages.map((message) => withoutNul(message.id)),
          messages.map((message) => withoutNul(message.role)),
          messages.map((message) => withoutNul(message.timestamp)),
          messages.map((message) => withoutNul(indexedText(message.content))),
        ],
        'index the session for search',
      );
      await this.#db.query(
        `INSERT INTO ${this.#s}.search_revisions (session_id, revision) VALUES ($1, $2::bigint)
         ON CONFLICT (session_id) DO UPDATE SET revision = EXCLUDED.revision`,
        [session.id, revision],
      );
    }, 'index the session for search');
  }

  /** Indexes sessions written since they were indexed and drops rows of removed sessions. */
  async #refresh(onProgress?: (done: number, total: number) => void): Promise<RefreshReport> {
    const gone = await this.#db.query<{ session_id: string }>(
      `SELECT r.session_id FROM ${this.#s}.search_revisions r
       LEFT JOIN ${this.#s}.sessions s ON s.id = r.session_id WHERE s.id IS NULL`,
    );
    for (const { session_id } of gone.rows) await this.removed(session_id);
    const stale = await this.#db.query<{ id: string; revision: string }>(
      `SELECT s.id, s.revision FROM ${this.#s}.sessions s
       LEFT JOIN ${this.#s}.search_revisions r ON r.session_id = s.id
       WHERE r.revision IS DISTINCT FROM s.revision ORDER BY s.id`,
    );
    let indexed = 0;
    let dropped = gone.rows.length;
    for (const [done, row] of stale.rows.entries()) {
      const loaded = await this.#load(row.id);
      if (loaded.ok) {
        await this.#index(loaded.value.session, row.revision);
        indexed += 1;
      } else {
        // Not retried until it is written again: its revision is recorded with no rows.
        await this.removed(row.id);
        await this.#db.query(
          `INSERT INTO ${this.#s}.search_revisions (session_id, revision) VALUES ($1, $2::bigint)`,
          [row.id, row.revision],
        );
        dropped += 1;
      }
      onProgress?.(done + 1, stale.rows.length);
    }
    return { indexed, dropped };
  }
}
