import { JidoError, type Logger, parseJson } from '@jido-code/core-schema';
import type { FileStats, FileSystem } from '../fs/file-system.js';
import { writeFileDurably } from '../io/durable-write.js';
import { readFileBounded } from '../io/read-file.js';
import { indexEntriesOf } from './session-index-shape.js';
import type { SessionMetadata } from './session-metadata.js';

/** One cached listing entry, valid while the file's size, mtime and inode are unchanged. */
export interface IndexEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly metadata: SessionMetadata;
}

const maxIndexBytes = 64 * 1024 * 1024;

/** True when the entry still describes the file with these stats. */
export function entryMatches(entry: IndexEntry, stats: FileStats): boolean {
  return entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ino === stats.ino;
}

/** The index file as one read saw it: a later read of the same file may reuse its entries. */
interface ReadIndex {
  readonly entries: ReadonlyMap<string, IndexEntry>;
  /** The identity of the file the entries came from; undefined when there was none to read. */
  readonly version: string | undefined;
}

function versionOf(stats: FileStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/**
 * Reads the derived metadata cache. It is never the source of truth: a missing, unreadable or
 * malformed index (checked field by field, see {@link indexEntriesOf}) is an empty one (logged at
 * debug level) and gets rebuilt.
 */
async function readIndexFile(fs: FileSystem, path: string, logger: Logger): Promise<ReadIndex> {
  try {
    const read = await readFileBounded(fs, path, maxIndexBytes, 'the session index');
    const json = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes), { maxDepth: 8 });
    if (!json.ok) throw json.error;
    const entries = indexEntriesOf(json.value);
    if (entries === undefined) throw new Error('The session index does not have the expected shape.');
    return { entries, version: versionOf(read.stats) };
  } catch (error) {
    if (!(error instanceof JidoError && error.code === 'not_found')) {
      logger.debug('The session index is unusable; rebuilding it.', { path, error: String(error) });
    }
    return { entries: new Map(), version: undefined };
  }
}

/**
 * One store's view of the index file: the entries last read or written, kept while the file's
 * device, inode, size and mtime are unchanged, so that a long-lived process lists again with one
 * `lstat` of the index instead of reading, parsing and checking all of it. The entries are what
 * the file held (or what this store wrote into it), and each is still used only while its own
 * session file's stats match, so reusing them trusts nothing the file would not have given.
 */
export class SessionIndexCache {
  readonly #fs: FileSystem;
  readonly #path: string;
  readonly #logger: Logger;
  #last: ReadIndex = { entries: new Map(), version: undefined };

  constructor(fs: FileSystem, path: string, logger: Logger) {
    this.#fs = fs;
    this.#path = path;
    this.#logger = logger;
  }

  /** The index's entries, from memory while the file is the one they came from. */
  async read(): Promise<ReadonlyMap<string, IndexEntry>> {
    if (this.#last.version !== undefined && (await this.#currentVersion()) === this.#last.version) {
      return this.#last.entries;
    }
    this.#last = await readIndexFile(this.#fs, this.#path, this.#logger);
    return this.#last.entries;
  }

  /** Writes the index (see {@link writeSessionIndex}) and keeps its entries for the next read. */
  async write(entries: ReadonlyMap<string, IndexEntry>): Promise<void> {
    this.#last = { entries: new Map(), version: undefined };
    if (!(await writeSessionIndex(this.#fs, this.#path, entries, this.#logger))) return;
    // Stats taken after the rename: if another store replaced the file in between, these entries
    // are kept under its version; they still only serve session files whose stats they match.
    const version = await this.#currentVersion();
    if (version !== undefined) this.#last = { entries, version };
  }

  async #currentVersion(): Promise<string | undefined> {
    try {
      return versionOf(await this.#fs.lstat(this.#path));
    } catch {
      return undefined;
    }
  }
}

/**
 * Writes the cache durably; a failure is logged and ignored (the cache is only an optimization).
 * True when it was written.
 */
async function writeSessionIndex(
  fs: FileSystem,
  path: string,
  entries: ReadonlyMap<string, IndexEntry>,
  logger: Logger,
): Promise<boolean> {
  const document = { format: 'jido-session-index', version: 1, entries: Object.fromEntries(entries) };
  try {
    await writeFileDurably(fs, path, new TextEncoder().encode(JSON.stringify(document)), {
      action: 'write the session index',
    });
    return true;
  } catch (error) {
    logger.debug('Could not write the session index; it will be rebuilt next time.', {
      path,
      error: String(error),
    });
    return false;
  }
}
