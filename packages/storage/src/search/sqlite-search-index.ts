import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Message, Session } from '@jido-code/core-schema';
import type BetterSqlite3 from 'better-sqlite3';
import { rankRecentMatches } from './recent-matches.js';
import type {
  IndexedFileState,
  IndexedSession,
  IndexQueryResult,
  SearchFilters,
  SearchIndex,
} from './search-index.js';
import { ftsExpression, type SearchQuery } from './search-query.js';

// 2: sessions carry the digest of their indexed messages, so a message rewritten in place (redacted
// by `sessions scan --fix`) is re-indexed, not kept.
const formatVersion = '2';

/** The code of the error thrown by `open` for an index written in another format: rebuild it. */
export const indexFormatMismatch = 'JIDO_SEARCH_INDEX_FORMAT';

/** Set while text re-indexed away may still be in the index's files (see `purgeRemovedText`). */
const purgePendingKey = 'purge_pending';

/** How many matching messages a query ranks at most: the most recently indexed ones. */
const defaultRankingWindow = 20_000;

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_path TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  stamp TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  message_count INTEGER NOT NULL,
  prefix_digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
  rowid INTEGER PRIMARY KEY,
  session_key INTEGER NOT NULL,
  message_index INTEGER NOT NULL,
  role TEXT NOT NULL,
  timestamp TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_session ON entries (session_key, message_index);
CREATE VIRTUAL TABLE IF NOT EXISTS messages USING fts5 (
  content, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
`;

interface SessionRow {
  key: number;
  id: string;
  updated_at: string;
  stamp: string;
  content_hash: string;
  message_count: number;
  prefix_digest: string;
}

interface HitRow {
  id: string;
  message_index: number;
  best: number;
  considered: number;
}

function indexedOf(row: SessionRow): IndexedSession {
  return {
    id: row.id,
    stamp: row.stamp,
    updatedAt: row.updated_at,
    contentHash: row.content_hash,
    messageCount: row.message_count,
  };
}

/** The digests of a conversation's prefixes, as last computed for a conversation starting with a message. */
interface ChainEntry {
  readonly messages: readonly Message[];
  readonly chains: readonly string[];
}

// Messages are immutable once appended, so the chain computed for a conversation holds for any
// conversation that starts with the same message objects: a save hashes only its new messages.
const chainCache = new WeakMap<Message, ChainEntry>();

/**
 * `chains[i]` names messages 0..i (id, role, time and text): the hash of `chains[i - 1]` and
 * message i. Reused, object for object, from the last conversation that began with the same message.
 */
function conversationChains(messages: readonly Message[]): readonly string[] {
  const first = messages[0];
  if (first === undefined) return [];
  const cached = chainCache.get(first);
  let shared = 0;
  if (cached !== undefined) {
    const limit = Math.min(cached.messages.length, messages.length);
    while (shared < limit && cached.messages[shared] === messages[shared]) shared += 1;
    if (shared === messages.length && shared === cached.messages.length) return cached.chains;
  }
  const chains = cached === undefined ? [] : cached.chains.slice(0, shared);
  for (let index = shared; index < messages.length; index += 1) {
    const { id, role, timestamp, content } = messages[index] as Message;
    const previous = chains[index - 1] ?? '';
    chains.push(
      createHash('sha256')
        .update(
          `${previous}${id.length}:${id}${role.length}:${role}${timestamp.length}:${timestamp}${content}`,
        )
        .digest('base64url')
        .slice(0, 22),
    );
  }
  chainCache.set(first, { messages: messages.slice(), chains });
  return chains;
}

type DatabaseConstructor = typeof BetterSqlite3;

let databaseConstructor: DatabaseConstructor | undefined;

// Loaded on first use, so commands that never search never load the native addon.
function loadDatabase(): DatabaseConstructor {
  databaseConstructor ??= createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
  return databaseConstructor;
}

/**
 * The search index in SQLite FTS5 (through better-sqlite3): one contentless FTS row per message,
 * so the index holds tokens, not a second copy of the text; snippets are cut from the verified
 * session file instead. Opening a file that is not a usable index throws; the caller rebuilds.
 */
export class SqliteSearchIndex implements SearchIndex {
  readonly #db: BetterSqlite3.Database;
  readonly #rankingWindow: number;

  private constructor(db: BetterSqlite3.Database, rankingWindow: number) {
    this.#db = db;
    this.#rankingWindow = rankingWindow;
  }

  /**
   * Opens (creating) the index at `path`, or in memory for `:memory:`. `rankingWindow` is how many
   * of the most recently indexed matching messages a query ranks at most.
   */
  static open(path: string, { rankingWindow = defaultRankingWindow } = {}): SqliteSearchIndex {
    const Database = loadDatabase();
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      // Derived data: a crash may lose the last updates, which the freshness check then redoes.
      db.pragma('synchronous = OFF');
      db.pragma('busy_timeout = 5000');
      // Freed pages are zeroed, so text dropped from the index (redacted) does not linger in them.
      db.pragma('secure_delete = ON');
      // A query joins each of up to 20,000 ranked messages to its entry; with SQLite's default 2 MB
      // page cache those pages are read again from the OS on every search. 64 MB (allocated only as
      // pages are read) keeps a warm search's pages in memory.
      db.pragma('cache_size = -65536');
      db.exec(schema);
      const version = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('format');
      if (version === undefined) {
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', formatVersion);
      } else if (version !== formatVersion) {
        throw Object.assign(new Error(`search index format ${String(version)} is not ${formatVersion}`), {
          code: indexFormatMismatch,
        });
      }
      // Cheap on purpose: a count of the messages read every page of the index on each open (about
      // 100 ms at 1,000,000 messages). Damage deeper in the file surfaces as SQLITE_CORRUPT when a
      // query reaches it, and the caller then rebuilds.
      db.prepare('SELECT count(*) FROM sessions').get();
      return new SqliteSearchIndex(db, rankingWindow);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  indexedSessions(): Map<string, IndexedSession> {
    const rows = this.#db
      .prepare('SELECT id, updated_at, stamp, content_hash, message_count FROM sessions')
      .all() as SessionRow[];
    return new Map(rows.map((row) => [row.id, indexedOf(row)]));
  }

  indexedSession(id: string): IndexedSession | undefined {
    const row = this.#db
      .prepare('SELECT id, updated_at, stamp, content_hash, message_count FROM sessions WHERE id = ?')
      .get(id) as SessionRow | undefined;
    return row === undefined ? undefined : indexedOf(row);
  }

  upsert(session: Session, state: IndexedFileState): void {
    this.transaction(() => {
      const row = this.#db
        .prepare('SELECT key, message_count, prefix_digest FROM sessions WHERE id = ?')
        .get(session.id) as SessionRow | undefined;
      const messages = session.conversation;
      const indexed = row !== undefined && row.message_count <= messages.length ? row.message_count : 0;
      const chains = conversationChains(messages);
      // Messages are append-only, so only the ones after an unchanged prefix are new; anything else
      // (a message rewritten in place, messages dropped) re-indexes the session whole.
      const kept =
        row !== undefined && indexed > 0 && chains[indexed - 1] === row.prefix_digest ? indexed : 0;
      if (row !== undefined && kept === 0 && row.message_count > 0) {
        this.#removeEntries(row.key);
        this.setMeta(purgePendingKey, '1');
      }
      const key = this.#writeSessionRow(session, state, chains.at(-1) ?? '', row?.key);
      const insertEntry = this.#db.prepare(
        'INSERT INTO entries (session_key, message_index, role, timestamp) VALUES (?, ?, ?, ?)',
      );
      const insertText = this.#db.prepare('INSERT INTO messages (rowid, content) VALUES (?, ?)');
      for (let index = kept; index < messages.length; index += 1) {
        const message = messages[index];
        if (message === undefined) continue;
        const entry = insertEntry.run(key, index, message.role, message.timestamp);
        insertText.run(entry.lastInsertRowid, message.content);
      }
    });
  }

  /**
   * Makes text re-indexed away (a message rewritten in place, such as a redacted secret)
   * unrecoverable from the index's files: FTS5 only marks such entries deleted until its segments
   * are merged, so they are merged (`optimize`, which rewrites the whole index), the freed pages are
   * zeroed (`secure_delete`), and the write-ahead log is checkpointed and truncated. Does nothing
   * unless something was re-indexed away; false when the log could not be truncated yet (another
   * reader), in which case the next call tries again.
   */
  purgeRemovedText(): boolean {
    if (this.getMeta(purgePendingKey) === undefined) return true;
    this.#db.exec("INSERT INTO messages(messages) VALUES('optimize')");
    const [checkpoint] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint === undefined || checkpoint.busy !== 0) return false;
    this.#db.prepare('DELETE FROM meta WHERE key = ?').run(purgePendingKey);
    return true;
  }

  #writeSessionRow(
    session: Session,
    state: IndexedFileState,
    prefixDigest: string,
    key: number | undefined,
  ): number {
    const values = [
      session.project_path,
      state.updatedAt,
      state.stamp,
      state.contentHash,
      session.conversation.length,
      prefixDigest,
    ];
    if (key !== undefined) {
      this.#db
        .prepare(
          `UPDATE sessions SET project_path = ?, updated_at = ?, stamp = ?, content_hash = ?,
           message_count = ?, prefix_digest = ? WHERE key = ?`,
        )
        .run(...values, key);
      return key;
    }
    const inserted = this.#db
      .prepare(
        `INSERT INTO sessions (project_path, updated_at, stamp, content_hash, message_count,
         prefix_digest, id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...values, session.id);
    return Number(inserted.lastInsertRowid);
  }

  #removeEntries(key: number): void {
    this.#db
      .prepare('DELETE FROM messages WHERE rowid IN (SELECT rowid FROM entries WHERE session_key = ?)')
      .run(key);
    this.#db.prepare('DELETE FROM entries WHERE session_key = ?').run(key);
  }

  remove(id: string): void {
    this.transaction(() => {
      const key = this.#db.prepare('SELECT key FROM sessions WHERE id = ?').pluck().get(id) as
        | number
        | undefined;
      if (key === undefined) return;
      this.#removeEntries(key);
      this.#db.prepare('DELETE FROM sessions WHERE key = ?').run(key);
    });
  }

  clear(): void {
    this.transaction(() => {
      this.#db.exec(
        "DELETE FROM entries; DELETE FROM sessions; INSERT INTO messages(messages) VALUES('delete-all');",
      );
    });
  }

  query(query: SearchQuery, filters: SearchFilters, limit: number): IndexQueryResult {
    const unfiltered =
      filters.role === undefined && filters.since === undefined && filters.projectPath === undefined;
    if (unfiltered) {
      const { hits, considered } = rankRecentMatches(
        this.#db,
        ftsExpression(query),
        limit,
        this.#rankingWindow,
      );
      return considered > this.#rankingWindow ? { hits, rankedAmongRecent: this.#rankingWindow } : { hits };
    }
    const conditions = ['messages MATCH @match'];
    if (filters.role !== undefined) conditions.push('e.role = @role');
    if (filters.since !== undefined) conditions.push('e.timestamp >= @since');
    if (filters.projectPath !== undefined) conditions.push('s.project_path = @project');
    // Every entry has its session (both are written and removed together), so the join to the
    // sessions is made, once per ranked message, only when the project filter needs it.
    const sessionJoin = filters.projectPath === undefined ? '' : 'JOIN sessions s ON s.key = e.session_key';
    // bm25 costs about a microsecond per matching message, so a word found in hundreds of thousands
    // of messages is ranked among the most recently indexed ones only (rowids grow with each save,
    // and a rebuild indexes the oldest sessions first), keeping the slowest search bounded.
    const rows = this.#db
      .prepare(
        `WITH scanned AS MATERIALIZED (
           SELECT messages.rowid AS entry, e.session_key AS session_key,
             e.message_index AS message_index, bm25(messages) AS score
           FROM messages JOIN entries e ON e.rowid = messages.rowid
           ${sessionJoin}
           WHERE ${conditions.join(' AND ')}
           ORDER BY messages.rowid DESC LIMIT @window + 1
         ), hits AS MATERIALIZED (
           SELECT session_key, message_index, score FROM scanned ORDER BY entry DESC LIMIT @window
         ), chosen AS MATERIALIZED (
           SELECT h.session_key AS session_key, min(h.score) AS best, s.updated_at AS updated_at
           FROM hits h JOIN sessions s ON s.key = h.session_key
           GROUP BY h.session_key
           ORDER BY best, updated_at DESC, h.session_key
           LIMIT @limit
         ), ranked AS (
           SELECT h.session_key AS session_key, h.message_index AS message_index,
             row_number() OVER (PARTITION BY h.session_key ORDER BY h.score, h.message_index) AS place
           FROM hits h WHERE h.session_key IN (SELECT session_key FROM chosen)
         )
         SELECT s.id AS id, r.message_index AS message_index, c.best AS best,
           (SELECT count(*) FROM scanned) AS considered
         FROM ranked r JOIN chosen c ON c.session_key = r.session_key
         JOIN sessions s ON s.key = r.session_key
         WHERE r.place <= 3
         ORDER BY c.best, c.updated_at DESC, r.session_key, r.place`,
      )
      .all({
        match: ftsExpression(query),
        role: filters.role,
        since: filters.since,
        project: filters.projectPath,
        limit,
        window: this.#rankingWindow,
      }) as HitRow[];
    const hits: { id: string; score: number; messageIndexes: number[] }[] = [];
    for (const row of rows) {
      const last = hits.at(-1);
      if (last !== undefined && last.id === row.id) last.messageIndexes.push(row.message_index);
      else hits.push({ id: row.id, score: -row.best, messageIndexes: [row.message_index] });
    }
    const considered = rows[0]?.considered ?? 0;
    return considered > this.#rankingWindow ? { hits, rankedAmongRecent: this.#rankingWindow } : { hits };
  }

  getMeta(key: string): string | undefined {
    return this.#db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
