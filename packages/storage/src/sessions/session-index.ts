import { type Logger, parseJson } from '@jido-code/core-schema';
import { z } from 'zod';
import type { FileStats, FileSystem } from '../fs/file-system.js';
import { writeFileDurably } from '../io/durable-write.js';
import { readFileIfExists } from '../io/read-file.js';
import { type SessionMetadata, sessionMetadataSchema } from './session-metadata.js';

/** One cached listing entry, valid while the file's size, mtime and inode are unchanged. */
export interface IndexEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly metadata: SessionMetadata;
}

const indexEntrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  ino: z.number(),
  metadata: sessionMetadataSchema,
});

const indexDocumentSchema = z.object({
  format: z.literal('jido-session-index'),
  version: z.literal(1),
  entries: z.record(z.string(), indexEntrySchema),
});

const maxIndexBytes = 64 * 1024 * 1024;

/** True when the entry still describes the file with these stats. */
export function entryMatches(entry: IndexEntry, stats: FileStats): boolean {
  return entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ino === stats.ino;
}

/**
 * Reads the derived metadata cache. It is never the source of truth: a missing, unreadable or
 * malformed index is an empty one (logged at debug level) and gets rebuilt.
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
    const document = indexDocumentSchema.safeParse(json.value);
    if (!document.success) throw document.error;
    return new Map(Object.entries(document.data.entries));
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
