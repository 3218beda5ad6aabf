import { constants } from 'node:fs';
import {
  err,
  JidoError,
  type Logger,
  type Message,
  ok,
  type Result,
  type Session,
} from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import { fileMode } from '../home/secure-directory.js';
import { messageMatches, parseSearchQuery, type SearchQuery } from './search-query.js';
import { snippetOf } from './search-snippet.js';
import type { RefreshReport, SearchResult, SearchSource } from './session-search.js';
import { SessionSearch } from './session-search.js';
import { indexFormatMismatch, SqliteSearchIndex } from './sqlite-search-index.js';

/** Options of a search. */
export interface SearchOptions {
  /** Only sessions of this project folder (absolute). */
  readonly projectPath?: string | undefined;
  /** Only messages at or after this time. */
  readonly since?: Date | undefined;
  /** Only messages of this role. */
  readonly role?: Message['role'] | undefined;
  /** At most this many sessions (default 20). */
  readonly limit?: number | undefined;
}

/** What a search found, and how. */
export interface SearchOutcome {
  readonly results: readonly SearchResult[];
  /** `index` normally; `scan` when the index could not be used and every file was read instead. */
  readonly mode: 'index' | 'scan';
  /** One-line notices for the user (an index rebuilt, or not writable). */
  readonly notices: readonly string[];
}

/** Where the index lives and how sessions are read. */
export interface StoreSearchOptions {
  readonly fs: FileSystem;
  /** `<home>/index/search.db`. */
  readonly path: string;
  /** The path of a session's file, for the stamp recorded after a save. */
  readonly sessionFile: (id: string) => string;
  readonly source: SearchSource;
  readonly logger: Logger;
  /** How many of the most recent matching messages a query ranks at most (default 20,000). */
  readonly rankingWindow?: number | undefined;
}

const defaultLimit = 20;

/** The `code` of an error (better-sqlite3 puts SQLite's own word there, such as `SQLITE_BUSY`). */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Damage, or another format: what rebuilding the index fixes. */
function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || code === indexFormatMismatch);
}

/** Why an index that is not damaged could not be opened, as the notice says it. */
function unusableNotice(error: unknown): string {
  return /^SQLITE_(BUSY|LOCKED)/.test(errorCode(error) ?? '')
    ? 'The search index is busy in another process; searched every session file instead.'
    : 'The search index cannot be written under the jido home; searched every session file instead.';
}

/** The notice of a search that ranked only the `window` most recent matching messages. */
export function rankingWindowNotice(window: number): string {
  return `More than ${window.toLocaleString('en-US')} messages match; ranked the ${window.toLocaleString('en-US')} most recent. Add words to narrow the search.`;
}

/**
 * Full-text search as a backend offers it, behind one interface: SQLite FTS5 over the files for
 * the file backend; a database backend answers with its own full-text search. Every result must
 * come from a session loaded and verified through the store.
 */
export interface SessionSearchProvider {
  /** Searches; `text` is what the user typed (never a syntax error, see {@link parseSearchQuery}). */
  search(text: string, options?: SearchOptions): Promise<Result<SearchOutcome>>;
  /** Rebuilds the index from every stored session. */
  rebuild(onProgress?: (done: number, total: number) => void): Promise<Result<RefreshReport>>;
  /** Keeps an existing index current after a save (only the new messages, when it can). */
  indexSaved(session: Session, contentHash: string): Promise<void>;
  /** Drops a removed session from an existing index. */
  removed(id: string): Promise<void>;
  /**
   * After sessions were rewritten in place (redacted), makes their old text unrecoverable from the
   * index's own storage. A backend whose search keeps no copy of the text has nothing to do.
   */
  purgeRemovedText?(): Promise<void>;
  /** Releases what the index holds open. */
  close(): void;
}

/**
 * The file backend's search: a SQLite FTS5 index under the home, opened on first use, rebuilt when
 * it is missing or corrupt, and replaced by a scan of every file when it cannot be written.
 */
export class StoreSearch implements SessionSearchProvider {
  readonly #options: StoreSearchOptions;
  #search: SessionSearch | undefined;
  #index: SqliteSearchIndex | undefined;

  constructor(options: StoreSearchOptions) {
    this.#options = options;
  }

  /** Searches; `text` is what the user typed (never a syntax error, see {@link parseSearchQuery}). */
  async search(text: string, options: SearchOptions = {}): Promise<Result<SearchOutcome>> {
    const query = parseSearchQuery(text);
    if (!query.ok) return query;
    const limit = options.limit ?? defaultLimit;
    const filters = {
      projectPath: options.projectPath,
      since: options.since?.toISOString(),
      role: options.role,
    };
    const notices: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const search = await this.#open(notices);
      if (search === undefined) break;
      try {
        const { results, rankedAmongRecent } = await search.search(query.value, filters, limit);
        if (rankedAmongRecent !== undefined) notices.push(rankingWindowNotice(rankedAmongRecent));
        return ok({ results, mode: 'index', notices });
      } catch (error) {
        this.close();
        // A damaged page met by the query: the index is rebuilt once and the query run again.
        if (attempt === 0 && isCorruption(error) && (await this.#removeFiles())) {
          this.#options.logger.debug('The search index is damaged; rebuilding it.', { error: String(error) });
          notices.push('The search index was unusable and has been rebuilt.');
          continue;
        }
        this.#options.logger.debug('The search index failed; scanning instead.', { error: String(error) });
        notices.push('The search index could not be used; searched every session file instead.');
        break;
      }
    }
    const results = await scanSearch(this.#options.source, query.value, filters, limit);
    return ok({ results, mode: 'scan', notices });
  }

  /** Rebuilds the index from every session file. */
  async rebuild(onProgress?: (done: number, total: number) => void): Promise<Result<RefreshReport>> {
    this.close();
    await this.#removeFiles();
    const notices: string[] = [];
    const search = await this.#open(notices, { rebuilding: true });
    if (search === undefined) {
      return err(new JidoError('io_error', 'The search index could not be written under the jido home.'));
    }
    return ok(await search.rebuild(onProgress));
  }

  /** Keeps an existing index current after a save; does nothing when no index was ever built. */
  async indexSaved(session: Session, contentHash: string): Promise<void> {
    try {
      const search = await this.#openExisting();
      if (search === undefined) return;
      const stats = await this.#options.fs.lstat(this.#options.sessionFile(session.id));
      search.indexSaved(session, {
        stamp: `${stats.size}:${stats.mtimeMs}:${stats.ino}`,
        updatedAt: session.updated_at,
        contentHash,
      });
    } catch (error) {
      // The next search's freshness check re-indexes what this missed.
      this.#options.logger.debug('Could not update the search index after a save.', { error: String(error) });
    }
  }

  /** See {@link SessionSearchProvider.purgeRemovedText}; the next search retries what this cannot finish. */
  async purgeRemovedText(): Promise<void> {
    try {
      const search = await this.#openExisting();
      if (search !== undefined && !search.purgeRemovedText()) {
        this.#options.logger.debug('The search index is in use; its purge waits for the next search.');
      }
    } catch (error) {
      this.#options.logger.debug('Could not purge the search index.', { error: String(error) });
    }
  }

  /** Drops a removed session from an existing index. */
  async removed(id: string): Promise<void> {
    try {
      (await this.#openExisting())?.removeSession(id);
    } catch (error) {
      this.#options.logger.debug('Could not update the search index after a removal.', {
        error: String(error),
      });
    }
  }

  close(): void {
    this.#index?.close();
    this.#index = undefined;
    this.#search = undefined;
  }

  async #openExisting(): Promise<SessionSearch | undefined> {
    if (this.#search !== undefined) return this.#search;
    try {
      await this.#options.fs.lstat(this.#options.path);
    } catch {
      return undefined;
    }
    return this.#open([]);
  }

  async #open(notices: string[], { rebuilding = false } = {}): Promise<SessionSearch | undefined> {
    if (this.#search !== undefined) return this.#search;
    const { logger } = this.#options;
    try {
      await this.#createPrivately();
      this.#index = this.#openIndex();
    } catch (error) {
      logger.debug('The search index could not be opened.', { error: String(error) });
      // Only damage is rebuilt: a busy or unwritable index is derived data someone else may be
      // using or that a later run can open, so it is left alone and every file is scanned instead.
      if (rebuilding || !isCorruption(error) || !(await this.#removeFiles())) {
        notices.push(unusableNotice(error));
        return undefined;
      }
      try {
        await this.#createPrivately();
        this.#index = this.#openIndex();
        notices.push('The search index was unusable and has been rebuilt.');
      } catch (second) {
        logger.debug('The search index could not be rebuilt.', { error: String(second) });
        notices.push(unusableNotice(second));
        return undefined;
      }
    }
    this.#search = new SessionSearch(this.#index, this.#options.source);
    return this.#search;
  }

  #openIndex(): SqliteSearchIndex {
    const { path, rankingWindow } = this.#options;
    return SqliteSearchIndex.open(path, rankingWindow === undefined ? {} : { rankingWindow });
  }

  // SQLite creates its -wal and -shm files with the database file's mode, so a private file is
  // created first and SQLite opens it.
  async #createPrivately(): Promise<void> {
    const { fs, path } = this.#options;
    try {
      const fd = await fs.open(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        fileMode,
      );
      await fs.close(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stats = await fs.lstat(path);
    if (!stats.isFile()) throw new JidoError('unsafe_home', 'The search index is not a regular file.');
    if ((stats.mode & 0o077) !== 0) await fs.chmod(path, fileMode);
  }

  async #removeFiles(): Promise<boolean> {
    let removed = true;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        await this.#options.fs.unlink(`${this.#options.path}${suffix}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') removed = false;
      }
    }
    return removed;
  }
}

/** A search for a backend with no index of its own: every stored session read on each search. */
export function scanningSearch(
  ids: () => Promise<readonly { readonly id: string }[]>,
  load: SearchSource['load'],
): SessionSearchProvider {
  const source = { files: async () => (await ids()).map(({ id }) => ({ id, stamp: '' })), load };
  return {
    async search(text, options = {}) {
      const query = parseSearchQuery(text);
      if (!query.ok) return query;
      const filters = {
        projectPath: options.projectPath,
        since: options.since?.toISOString(),
        role: options.role,
      };
      const results = await scanSearch(source, query.value, filters, options.limit ?? defaultLimit);
      return ok({ results, mode: 'scan', notices: [] });
    },
    rebuild: async () => ok({ indexed: 0, dropped: 0 }),
    indexSaved: async () => {},
    removed: async () => {},
    close: () => {},
  };
}

/**
 * The search without an index: every session loaded and checked, ranked by matching messages.
 * `within`, when given, holds the only message positions (0-based) that may count: a ranking
 * window's.
 */
export async function scanSearch(
  source: Pick<SearchSource, 'files' | 'load'>,
  query: SearchQuery,
  filters: {
    projectPath?: string | undefined;
    since?: string | undefined;
    role?: Message['role'] | undefined;
  },
  limit: number,
  within?: ReadonlySet<number>,
): Promise<SearchResult[]> {
  const found: SearchResult[] = [];
  for (const file of await source.files()) {
    const verified = await source.load(file.id);
    if (verified === undefined) continue;
    const { session } = verified;
    if (filters.projectPath !== undefined && session.project_path !== filters.projectPath) continue;
    const matching = session.conversation.flatMap((message, index) =>
      (within === undefined || within.has(index)) &&
      (filters.role === undefined || message.role === filters.role) &&
      (filters.since === undefined || message.timestamp >= filters.since) &&
      messageMatches(query, message.content)
        ? [
            {
              message_index: index + 1,
              role: message.role,
              timestamp: message.timestamp,
              snippet: snippetOf(message.content, query),
            },
          ]
        : [],
    );
    if (matching.length === 0) continue;
    found.push({
      id: session.id,
      name: session.name,
      project_path: session.project_path,
      updated_at: session.updated_at,
      score: matching.length,
      matches: matching.slice(0, 3),
    });
  }
  found.sort((left, right) => right.score - left.score || (left.updated_at < right.updated_at ? 1 : -1));
  return found.slice(0, limit);
}
