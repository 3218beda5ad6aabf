import type { CandidateFilters } from '@jido-code/storage/search';
import type { Database } from './database.js';
import type { Candidate } from './top-verified.js';

/** One page of candidates, and whether more messages matched than the window ranks. */
export interface CandidatePage {
  readonly candidates: Candidate[];
  /** More than the window: only the `window` most recent matching messages were ranked. */
  readonly windowed: boolean;
}

/**
 * One page of candidate sessions, best first, ranked among the `window` most recently indexed
 * messages the index matches (`seq`, migration 7), as the SQLite index ranks among its most recent
 * rowids: the number of those messages each session has (an upper bound of the verified score:
 * the index only narrows), then `updated_at` as the scan compares it (code points: `COLLATE "C"`),
 * then the id. When no more than `window` messages match, that is every match, and the ranking is
 * the scan's. The `since` filter compares the same way, so the index never drops a message the scan
 * keeps.
 *
 * The newest matches come first from the btree on `seq` (read backwards, each row checked against
 * the tsquery, stopping after window + 1) or from the GIN index (every match, then sorted): the
 * planner picks the cheaper from the tsquery's estimated selectivity. Either way a query matching
 * most of the table reads about `window` / its share of rows, not every match. Each candidate
 * carries the positions of its counted messages, which alone may count when it is verified.
 */
export async function candidatePage(
  db: Database,
  s: string,
  query: { tsQuery: string; filters: CandidateFilters; window: number },
  offset: number,
  count: number,
): Promise<CandidatePage> {
  const { filters } = query;
  const { rows } = await db.query<{
    session_id: string;
    hits: string;
    ordinals: number[];
    updated_at: string | null;
    considered: string;
  }>(
    `WITH recent AS MATERIALIZED (
       SELECT m.session_id, m.ordinal, m.seq FROM ${s}.search_messages m
       WHERE m.tsv @@ to_tsquery('simple', $1)
         AND ($2::text IS NULL OR EXISTS (
           SELECT 1 FROM ${s}.sessions p WHERE p.id = m.session_id AND p.project_path = $2))
         AND ($3::text IS NULL OR m.at COLLATE "C" >= $3)
         AND ($4::text IS NULL OR m.role = $4)
       ORDER BY m.seq DESC LIMIT $7::integer + 1
     ), considered AS MATERIALIZED (
       SELECT count(*) AS n, min(seq) AS oldest FROM recent
     ), ranked AS MATERIALIZED (
       SELECT r.session_id, r.ordinal FROM recent r, considered c
       WHERE c.n <= $7::integer OR r.seq > c.oldest
     ), counted AS MATERIALIZED (
       SELECT session_id, count(*) AS hits FROM ranked GROUP BY session_id
     ), page AS MATERIALIZED (
       -- Only sessions with as many hits as the page's last need their updated_at (a join each).
       SELECT k.session_id, k.hits, x.updated_at COLLATE "C" AS updated_at
       FROM counted k JOIN ${s}.sessions x ON x.id = k.session_id
       WHERE k.hits >= coalesce(
         (SELECT hits FROM counted ORDER BY hits DESC OFFSET $5::integer + $6::integer - 1 LIMIT 1), 0)
       ORDER BY k.hits DESC, updated_at DESC NULLS LAST, k.session_id
       OFFSET $5 LIMIT $6
     )
     SELECT p.session_id, p.hits, p.updated_at, array_agg(r.ordinal) AS ordinals,
       (SELECT n FROM considered) AS considered
     FROM page p JOIN ranked r ON r.session_id = p.session_id
     GROUP BY p.session_id, p.hits, p.updated_at
     ORDER BY p.hits DESC, p.updated_at DESC NULLS LAST, p.session_id`,
    [
      query.tsQuery,
      filters.projectPath ?? null,
      filters.since ?? null,
      filters.role ?? null,
      offset,
      count,
      query.window,
    ],
    'search the sessions',
  );
  const windowed = Number(rows[0]?.considered ?? 0) > query.window;
  return {
    windowed,
    candidates: rows.map((row) => ({
      id: row.session_id,
      hits: Number(row.hits),
      updatedAt: row.updated_at,
      ...(windowed ? { within: new Set(row.ordinals) } : {}),
    })),
  };
}
