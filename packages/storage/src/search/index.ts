/**
 * `@jido-code/storage/search`: the pieces a backend with its own full-text index needs so that
 * its search behaves exactly like the file backend's: the query language, the token rule, and the
 * final step that loads every candidate through the store's verified load and keeps only messages
 * that really match. The backend's index only narrows the candidates.
 */
import type { Message } from '@jido-code/core-schema';
import type { SearchQuery } from './search-query.js';
import type { SearchResult, VerifiedSession } from './session-search.js';
import { scanSearch } from './store-search.js';

export { foldToken, parseSearchQuery, type SearchQuery, type SearchTerm, tokenize } from './search-query.js';
export { rankingWindowNotice } from './store-search.js';

/** Filters of a search, as the SQL and the verification both apply them. */
export interface CandidateFilters {
  readonly projectPath?: string | undefined;
  /** ISO 8601: only messages at or after it. */
  readonly since?: string | undefined;
  readonly role?: Message['role'] | undefined;
}

/**
 * Ranks candidate sessions as the scan does: each is loaded with `load` (every check; undefined
 * when it fails one) and only its messages that match `query` and the filters count. With
 * `within`, only the messages at those positions (0-based) count: a backend that ranks among the
 * most recent matching messages only (as the SQLite index does) passes the window's.
 */
export function rankCandidates(
  ids: readonly string[],
  load: (id: string) => Promise<VerifiedSession | undefined>,
  query: SearchQuery,
  filters: CandidateFilters,
  limit: number,
  within?: ReadonlySet<number>,
): Promise<SearchResult[]> {
  return scanSearch(
    { files: async () => ids.map((id) => ({ id, stamp: '' })), load },
    query,
    filters,
    limit,
    within,
  );
}
