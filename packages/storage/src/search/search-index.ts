import type { Message, Session } from '@jido-code/core-schema';
import type { SearchQuery } from './search-query.js';

/** What identifies the indexed state of one session file, compared before a result is shown. */
export interface IndexedFileState {
  /** The file's identity when it was read (size, mtime, inode): any rewrite changes it. */
  readonly stamp: string;
  /** The session's `updated_at`. */
  readonly updatedAt: string;
  /** The file's signature (a keyed hash of its content), or a stand-in for an unsigned file. */
  readonly contentHash: string;
}

/** One session as the index keeps it. */
export interface IndexedSession extends IndexedFileState {
  readonly id: string;
  readonly messageCount: number;
}

/** Filters applied with a query. */
export interface SearchFilters {
  /** Only sessions of this project folder. */
  readonly projectPath?: string | undefined;
  /** Only messages at or after this time (ISO 8601). */
  readonly since?: string | undefined;
  /** Only messages of this role. */
  readonly role?: Message['role'] | undefined;
}

/** A session the index ranks as matching, with its best messages. */
interface IndexHit {
  readonly id: string;
  /** Relevance: higher is better (the negated bm25 of its best message). */
  readonly score: number;
  /** 0-based indexes of its best matching messages, best first (at most 3). */
  readonly messageIndexes: readonly number[];
}

/** What a query found. */
export interface IndexQueryResult {
  readonly hits: readonly IndexHit[];
  /**
   * Set when more messages matched than one query ranks: the hits are the best among this many
   * most recently indexed matching messages, not among all of them.
   */
  readonly rankedAmongRecent?: number;
}

/**
 * A derived full-text index over session messages. It is never the source of truth: callers check
 * every hit against the signed file before showing it. Backend-neutral so that a PostgreSQL store
 * can answer the same calls with its own full-text search.
 */
export interface SearchIndex {
  /** The indexed state of every session, by id. */
  indexedSessions(): Map<string, IndexedSession>;
  /** The indexed state of one session (a query checks only the sessions it returns). */
  indexedSession(id: string): IndexedSession | undefined;
  /**
   * Brings one session up to date: appends only the messages added since the indexed state when the
   * earlier ones are unchanged, else re-indexes it whole.
   */
  upsert(session: Session, state: IndexedFileState): void;
  /** Drops a session. */
  remove(id: string): void;
  /**
   * Makes the text of messages re-indexed away by `upsert` (rewritten in place, as a redaction
   * does) unrecoverable from the index's storage; false when it must be tried again later.
   */
  purgeRemovedText(): boolean;
  /** Drops everything. */
  clear(): void;
  /** Sessions matching `query` in one message, best first. */
  query(query: SearchQuery, filters: SearchFilters, limit: number): IndexQueryResult;
  /** A small key-value store for the index's own bookkeeping (freshness stamps). */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Runs `fn` as one transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
