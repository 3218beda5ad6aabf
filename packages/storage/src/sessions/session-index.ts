import { type Logger, parseJson } from '@jido-code/core-schema';
import type { FileStats, FileSystem } from '../fs/file-system.js';
import { writeFileDurably } from '../io/durable-write.js';
import { readFileIfExists } from '../io/read-file.js';
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

/**
 * Reads the derived metadata cache. It is never the source of truth: a missing, unreadable or
 * malformed index (checked field by field, see {@link indexEntriesOf}) is an empty one (logged at
 * debug level) and gets rebuilt.
 */
export async function readSessionIndex(
  fs: FileSystem,
  path: string,
  logger: Logger,
): Promise<Map<string, IndexEntry>> {
  try {
    const bytes = await readFileIfExists(fs, path, maxIndexBytes, 'the session index');
    if (bytes === undefined) return new Map();
    const json = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes), { maxDepth: 8 });
    if (!json.ok) throw json.error;
    const entries = indexEntriesOf(json.value);
    if (entries === undefined) throw new Error('The session index does not have the expected shape.');
    return entries;
  } catch (error) {
    logger.debug('The session index is unusable; rebuilding it.', { path, error: String(error) });
    return new Map();
  }
}

/** Writes the cache durably; a failure is logged and ignored (the cache is only an optimization). */
export async function writeSessionIndex(
  fs: FileSystem,
  path: string,
  entries: ReadonlyMap<string, IndexEntry>,
  logger: Logger,
): Promise<void> {
  const document = { format: 'jido-session-index', version: 1, entries: Object.fromEntries(entries) };
  try {
    await writeFileDurably(fs, path, new TextEncoder().encode(JSON.stringify(document)), {
      action: 'write the session index',
    });
  } catch (error) {
    logger.debug('Could not write the session index; it will be rebuilt next time.', {
      path,
      error: String(error),
    });
  }
}
