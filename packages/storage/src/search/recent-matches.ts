import type BetterSqlite3 from 'better-sqlite3';
import type { IndexQueryResult } from './search-index.js';

interface ScoredRow {
  readonly rowid: number;
  readonly score: number;
}

interface Candidate {
  readonly key: number;
  readonly best: number;
  readonly id: string;
  readonly updatedAt: string;
}

/**
 * A query without filters, ranked as the SQL of `SqliteSearchIndex.query` ranks it (sessions by
 * their best bm25 among the `window` most recent matching messages, then the most recently
 * updated, then the first indexed; each with its three best messages), with one difference: a
 * message's session is looked up only for the best-ranked messages, not for all `window` of them.
 * Joining every ranked message to its entry was half of a search for a common word (about 30 ms
 * of 65 at 20,000 matches, in a new process); the filters need that join, so they keep the SQL.
 */
export function rankRecentMatches(
  db: BetterSqlite3.Database,
  match: string,
  limit: number,
  window: number,
): IndexQueryResult & { readonly considered: number } {
  const rows = db
    .prepare(
      'SELECT rowid, bm25(messages) AS score FROM messages WHERE messages MATCH ? ORDER BY rowid DESC LIMIT ?',
    )
    .all(match, window + 1) as ScoredRow[];
  const hits = rows.length > window ? rows.slice(0, window) : rows;
  const scores = new Map(hits.map((row) => [row.rowid, row.score]));
  const chosen = bestSessions(db, hits, limit);
  const entriesOf = db.prepare('SELECT rowid, message_index FROM entries WHERE session_key = ?');
  const result = chosen.map((candidate) => {
    const places = (entriesOf.all(candidate.key) as { rowid: number; message_index: number }[])
      .filter((entry) => scores.has(entry.rowid))
      .map((entry) => ({ index: entry.message_index, score: scores.get(entry.rowid) as number }))
      .sort((left, right) => left.score - right.score || left.index - right.index)
      .slice(0, 3);
    return { id: candidate.id, score: -candidate.best, messageIndexes: places.map((place) => place.index) };
  });
  return { hits: result, considered: rows.length };
}

/**
 * The `limit` sessions with the best messages among `hits`, in ranking order. Messages are taken
 * best first; once `limit` sessions are found, only messages as good as the last one's best can
 * still bring a session that ties with it (and wins on a later update).
 */
function bestSessions(db: BetterSqlite3.Database, hits: readonly ScoredRow[], limit: number): Candidate[] {
  if (limit <= 0) return [];
  const sessionOf = db.prepare('SELECT session_key FROM entries WHERE rowid = ?').pluck();
  const describe = db.prepare('SELECT id, updated_at FROM sessions WHERE key = ?');
  const best = new Map<number, number>();
  let cut = Number.POSITIVE_INFINITY;
  for (const row of [...hits].sort((left, right) => left.score - right.score)) {
    if (row.score > cut) break;
    const key = sessionOf.get(row.rowid) as number;
    if (best.has(key)) continue;
    best.set(key, row.score);
    if (best.size === limit) cut = row.score;
  }
  return [...best]
    .map(([key, score]) => {
      const { id, updated_at } = describe.get(key) as { id: string; updated_at: string };
      return { key, best: score, id, updatedAt: updated_at };
    })
    .sort(
      (left, right) =>
        left.best - right.best ||
        (left.updatedAt === right.updatedAt ? 0 : left.updatedAt < right.updatedAt ? 1 : -1) ||
        left.key - right.key,
    )
    .slice(0, limit);
}
