import { err, JidoError, toJidoError } from '@jido-code/core-schema';
import { fileSystemError } from '../../errors.js';
import { errnoCode, type FileStats } from '../../fs/file-system.js';
import { sessionIdFromFileName } from '../../home/paths.js';
import { entryMatches, type IndexEntry, type SessionIndexCache } from '../../sessions/session-index.js';
import type { SessionMetadata } from '../../sessions/session-metadata.js';
import type { BackendListing, DescribeSession, ListingProblem } from '../session-backend.js';
import { checkSessionFile, type SessionFiles, sessionFolderNames } from './session-files.js';

/**
 * Lists the sessions folder. Unchanged files (same size, mtime and inode) are served from the
 * index; changed ones are described afresh (fully validated) and the index is rewritten.
 */
export async function listSessionFiles(
  files: SessionFiles,
  index: SessionIndexCache,
  describe: DescribeSession,
): Promise<BackendListing> {
  const names = await sessionFolderNames(files);
  const previous = await index.read();
  const next = new Map<string, IndexEntry>();
  const sessions: SessionMetadata[] = [];
  const problems: ListingProblem[] = [];
  let parsed = 0;
  let reused = 0;
  const candidates: { name: string; id: string }[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const id = sessionIdFromFileName(name);
    if (id === undefined) files.logger.debug('Ignored a file that is not a session file.', { file: name });
    else candidates.push({ name, id });
  }
  const allStats = await statsOf(files, candidates);
  for (const [index, { name, id }] of candidates.entries()) {
    const stats = allStats[index];
    if (stats === undefined) continue;
    if ('error' in stats) {
      problems.push(stats);
      continue;
    }
    const cached = previous.get(name);
    if (cached !== undefined && entryMatches(cached, stats)) {
      reused += 1;
      next.set(name, cached);
      sessions.push(cached.metadata);
      continue;
    }
    parsed += 1;
    const described = await describe(id, stats.size).catch((error: unknown) =>
      err(error instanceof JidoError ? error : toJidoError(error, 'internal', 'Could not load the session.')),
    );
    if (!described.ok) {
      problems.push({ file: name, id, error: described.error });
      continue;
    }
    // Stats from before the read: if the file changed meanwhile, the entry will not match next time.
    next.set(name, { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, metadata: described.value });
    sessions.push(described.value);
  }
  if (parsed > 0 || next.size !== previous.size) {
    await index.write(next);
  }
  return { sessions, problems, stats: { parsed, reused } };
}

/** Stats asked for at once; each waits on the file system, not on the processor. */
const statsInFlight = 64;

/**
 * Each candidate's stats (or why it cannot be used), in order, up to {@link statsInFlight} at a
 * time: one after the other, a listing of 1,000 sessions spent most of its time waiting on each
 * answer in turn.
 */
async function statsOf(
  files: SessionFiles,
  candidates: readonly { name: string; id: string }[],
): Promise<(FileStats | ListingProblem | undefined)[]> {
  const all: (FileStats | ListingProblem | undefined)[] = new Array(candidates.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < candidates.length; index = next++) {
      const { name, id } = candidates[index] as { name: string; id: string };
      all[index] = await usableStats(files, name, id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(statsInFlight, candidates.length) }, worker));
  return all;
}

/** The file's stats, why it cannot be used, or undefined when it vanished (which is no problem). */
async function usableStats(
  files: SessionFiles,
  name: string,
  id: string,
): Promise<FileStats | ListingProblem | undefined> {
  const path = files.layout.sessionFile(id);
  let stats: FileStats;
  try {
    stats = await files.fs.lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    return { file: name, id, error: fileSystemError(error, 'read the session', { path }) };
  }
  try {
    checkSessionFile(stats, path, 'skipped', files.uid);
  } catch (error) {
    return { file: name, id, error: error as JidoError };
  }
  return stats;
}
