import type { Message, Session } from '@jido-code/core-schema';
import type { IndexedFileState, SearchFilters, SearchIndex } from './search-index.js';
import { messageMatches, type SearchQuery } from './search-query.js';
import { type Snippet, snippetOf } from './search-snippet.js';

/** One session file as its folder lists it. */
export interface SearchSourceFile {
  readonly id: string;
  /** Size, mtime and inode: any rewrite of the file changes it. */
  readonly stamp: string;
  /** When the file was last written, to index older sessions first. */
  readonly modifiedMs?: number;
}

/** A session read from its file and verified. */
export interface VerifiedSession {
  readonly session: Session;
  /** The signature, or a stand-in for an accepted unsigned file. */
  readonly contentHash: string;
}

/** Where the sessions come from: the store's files, read through its own checks. */
export interface SearchSource {
  /** Changes whenever a session file is created, replaced or removed (the folder's mtime). */
  folderStamp(): Promise<number>;
  /** Every session file. */
  files(): Promise<SearchSourceFile[]>;
  /** One session file, without listing the folder; undefined when it is not there. */
  file(id: string): Promise<SearchSourceFile | undefined>;
  /** A session loaded with every check (size, schema, signature); undefined when it fails one. */
  load(id: string): Promise<VerifiedSession | undefined>;
}

/** One matching message. */
export interface SearchMatch {
  /** 1-based message number, as `show` prints it. */
  readonly message_index: number;
  readonly role: Message['role'];
  readonly timestamp: string;
  readonly snippet: Snippet;
}

/** One matching session, best first. */
export interface SearchResult {
  readonly id: string;
  readonly name: string;
  readonly project_path: string;
  readonly updated_at: string;
  /** Relevance (higher is better); ties are broken by recency. */
  readonly score: number;
  /** Up to three matching messages, best first. */
  readonly matches: readonly SearchMatch[];
}

/** What a refresh of the index did. */
export interface RefreshReport {
  /** Sessions (re-)indexed. */
  readonly indexed: number;
  /** Sessions dropped: vanished, or no longer valid. */
  readonly dropped: number;
}

// A folder mtime this close to the moment it was read may still change within the same clock tick
// without the mtime moving, so it is not trusted to mean "nothing changed" next time.
const racyWindowMs = 2000;

/**
 * Search over a derived index that is checked against the signed files: the index is refreshed
 * when the sessions folder changed, and every session a query returns is loaded and verified
 * before any of its text is shown. A session whose file changed since it was indexed is re-indexed
 * and the query run again, so a result never shows text that is not in a valid, signed file.
 */
export class SessionSearch {
  readonly #index: SearchIndex;
  readonly #source: SearchSource;
  readonly #now: () => number;

  constructor(index: SearchIndex, source: SearchSource, now: () => number = Date.now) {
    this.#index = index;
    this.#source = source;
    this.#now = now;
  }

  /**
   * Re-indexes what changed since the last refresh; cheap (one stat) when the folder did not change.
   * Text re-indexed away (by this refresh, or left unpurged by a process that stopped first) is
   * then purged from the index's files.
   */
  async refresh(
    options: { force?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<RefreshReport> {
    const report = await this.#refreshEntries(options);
    this.#index.purgeRemovedText();
    return report;
  }

  async #refreshEntries(options: { force?: boolean; onProgress?: (done: number, total: number) => void }) {
    const readAt = this.#now();
    const stamp = await this.#source.folderStamp();
    if (!options.force && this.#index.getMeta('folder_stamp') === trustedStamp(stamp)) {
      return { indexed: 0, dropped: 0 } satisfies RefreshReport;
    }
    const files = await this.#source.files();
    const indexed = this.#index.indexedSessions();
    const present = new Set(files.map((file) => file.id));
    let dropped = 0;
    for (const id of indexed.keys()) {
      if (present.has(id)) continue;
      this.#index.remove(id);
      dropped += 1;
    }
    let done = 0;
    let reindexed = 0;
    // Oldest first, so that rowids follow recency and a query's ranking window keeps the newest.
    files.sort((a, b) => (a.modifiedMs ?? 0) - (b.modifiedMs ?? 0));
    for (const file of files) {
      if (options.force || indexed.get(file.id)?.stamp !== file.stamp) {
        if (await this.#reindex(file)) reindexed += 1;
        else dropped += 1;
      }
      done += 1;
      options.onProgress?.(done, files.length);
    }
    const settled = readAt - stamp > racyWindowMs;
    this.#index.setMeta('folder_stamp', settled ? trustedStamp(stamp) : 'unsettled');
    return { indexed: reindexed, dropped } satisfies RefreshReport;
  }

  /** Drops everything and indexes every session from its file. */
  async rebuild(onProgress?: (done: number, total: number) => void): Promise<RefreshReport> {
    this.#index.clear();
    this.#index.setMeta('folder_stamp', 'unsettled');
    return this.refresh({ force: true, ...(onProgress === undefined ? {} : { onProgress }) });
  }

  /** Brings one session's entry up to date after this process saved it. */
  indexSaved(session: Session, state: IndexedFileState): void {
    this.#index.upsert(session, state);
  }

  /** See {@link SearchIndex.purgeRemovedText}. */
  purgeRemovedText(): boolean {
    return this.#index.purgeRemovedText();
  }

  /** Drops one session after this process removed it. */
  removeSession(id: string): void {
    this.#index.remove(id);
  }

  /**
   * Sessions with a message matching `query`, best first, each checked against its signed file.
   * `rankedAmongRecent` is set when the index ranked only that many most recent matching messages.
   */
  async search(
    query: SearchQuery,
    filters: SearchFilters,
    limit: number,
  ): Promise<{ results: SearchResult[]; rankedAmongRecent?: number }> {
    await this.refresh();
    let checked = await this.#checkedResults(query, filters, limit);
    for (let attempt = 1; attempt < 3 && checked.stale; attempt += 1) {
      checked = await this.#checkedResults(query, filters, limit);
    }
    // A stale hit may have been re-indexed away from rewritten text.
    this.#index.purgeRemovedText();
    const { results, rankedAmongRecent } = checked;
    return rankedAmongRecent === undefined ? { results } : { results, rankedAmongRecent };
  }

  async #checkedResults(query: SearchQuery, filters: SearchFilters, limit: number) {
    const results: SearchResult[] = [];
    let stale = false;
    const { hits, rankedAmongRecent } = this.#index.query(query, filters, limit);
    for (const hit of hits) {
      const entry = this.#index.indexedSession(hit.id);
      const verified = await this.#source.load(hit.id);
      if (verified === undefined) {
        this.#index.remove(hit.id);
        stale = true;
        continue;
      }
      if (entry?.contentHash !== verified.contentHash || entry.updatedAt !== verified.session.updated_at) {
        const file = await this.#source.file(hit.id);
        if (file === undefined) this.#index.remove(hit.id);
        else await this.#reindex(file);
        stale = true;
        continue;
      }
      const matches = matchesIn(verified.session, hit.messageIndexes, query, filters);
      if (matches.length === 0) {
        stale = true;
        continue;
      }
      const { session } = verified;
      results.push({
        id: session.id,
        name: session.name,
        project_path: session.project_path,
        updated_at: session.updated_at,
        score: hit.score,
        matches,
      });
    }
    return { results, stale, rankedAmongRecent };
  }

  async #reindex(file: SearchSourceFile): Promise<boolean> {
    const verified = await this.#source.load(file.id);
    if (verified === undefined) {
      this.#index.remove(file.id);
      return false;
    }
    this.#index.upsert(verified.session, {
      stamp: file.stamp,
      updatedAt: verified.session.updated_at,
      contentHash: verified.contentHash,
    });
    return true;
  }
}

function trustedStamp(stamp: number): string {
  return `settled:${stamp}`;
}

function matchesIn(
  session: Session,
  indexes: readonly number[],
  query: SearchQuery,
  filters: SearchFilters,
): SearchMatch[] {
  const matches: SearchMatch[] = [];
  for (const index of indexes) {
    const message = session.conversation[index];
    if (message === undefined || !messageMatches(query, message.content)) continue;
    if (filters.role !== undefined && message.role !== filters.role) continue;
    if (filters.since !== undefined && message.timestamp < filters.since) continue;
    matches.push({
      message_index: index + 1,
      role: message.role,
      timestamp: message.timestamp,
      snippet: snippetOf(message.content, query),
    });
  }
  return matches;
}
