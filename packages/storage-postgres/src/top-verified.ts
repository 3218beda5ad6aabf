import type { SearchResult } from '@jido-code/storage';

/** A session the index found, with what bounds its place in the ranking. */
export interface Candidate {
  readonly id: string;
  /** Indexed messages that match (in the ranking window): never fewer than the verified score. */
  readonly hits: number;
  /** The row's `updated_at` (the verified session's, for any row that verifies); null: unknown. */
  readonly updatedAt: string | null;
  /** Set when the search ranked a window of matches: the positions (0-based) that may count. */
  readonly within?: ReadonlySet<number>;
}

/** The scan's order: score, then the most recently updated first. */
function compare(left: SearchResult, right: SearchResult): number {
  return right.score - left.score || (left.updated_at < right.updated_at ? 1 : -1);
}

/** Whether a candidate not verified yet could still rank above `last`. */
function mayOutrank(candidate: Candidate, last: SearchResult): boolean {
  if (candidate.hits !== last.score) return candidate.hits > last.score;
  return candidate.updatedAt === null || candidate.updatedAt > last.updated_at;
}

/**
 * The best `limit` results, exactly as ranking every candidate would give them, verifying only as
 * many as that takes. `page(offset, count)` returns candidates ordered by `hits` then `updatedAt`,
 * both descending; `verify` loads one through the store's verified load and matches it exactly
 * ([] when it fails a check or has no matching message). Candidates are verified in rank order,
 * a few at once (no more than the results still missing), and the search stops as soon as the next
 * candidate, even if all its hits verified, could not outrank the last of the `limit` kept: every
 * later one is bounded by it. Nothing is returned that `verify` did not return.
 */
export async function topVerified(
  page: (offset: number, count: number) => Promise<Candidate[]>,
  verify: (candidate: Candidate) => Promise<SearchResult[]>,
  limit: number,
): Promise<SearchResult[]> {
  if (limit <= 0) return [];
  // The candidate query ranks every match it considers before its LIMIT, so a larger page costs little more.
  const pageSize = Math.max(limit * 4, 20);
  const found: SearchResult[] = [];
  let queue: Candidate[] = [];
  let offset = 0;
  let exhausted = false;
  for (;;) {
    if (queue.length === 0 && !exhausted) {
      queue = await page(offset, pageSize);
      offset += queue.length;
      exhausted = queue.length < pageSize;
    }
    const next = queue[0];
    if (next === undefined) break;
    const last = found[limit - 1];
    if (last !== undefined && !mayOutrank(next, last)) break;
    const chunk = queue.splice(0, Math.max(1, limit - found.length));
    for (const results of await Promise.all(chunk.map((candidate) => verify(candidate)))) {
      found.push(...results);
    }
    found.sort(compare);
  }
  return found.slice(0, limit);
}
