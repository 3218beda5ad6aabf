import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { errnoCode, type FileStats, type FileSystem } from '../fs/file-system.js';

/** One entry under the home, as `lstat` saw it (symlinks are never followed). */
export interface HomeEntry {
  /** Path relative to the home (`.` for the home itself). */
  readonly path: string;
  readonly absolute: string;
  readonly stats: FileStats;
}

/** Why an entry was not walked into or changed. */
export type RefusalReason = 'symlink' | 'foreign_owner' | 'not_directory' | 'unreadable';

/** What a walk found. */
export interface HomeWalk {
  readonly entries: readonly HomeEntry[];
  readonly refused: readonly { readonly path: string; readonly reason: RefusalReason }[];
}

const maxDepth = 8;
const maxEntries = 200_000;

/**
 * Every file and folder under `home`, breadth-first, bounded in depth and count. A symlink, or
 * anything owned by another user, is reported as refused and never descended into.
 */
export async function walkHome(fs: FileSystem, home: string, uid: number | undefined): Promise<HomeWalk> {
  const entries: HomeEntry[] = [];
  const refused: { path: string; reason: RefusalReason }[] = [];
  let level: string[] = [home];
  for (let depth = 0; depth <= maxDepth && level.length > 0 && entries.length < maxEntries; depth++) {
    const next: string[] = [];
    for (const absolute of level) {
      const path = relative(home, absolute) || '.';
      let stats: FileStats;
      try {
        stats = await fs.lstat(absolute);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') refused.push({ path, reason: 'unreadable' });
        continue;
      }
      if (stats.isSymbolicLink()) {
        refused.push({ path, reason: 'symlink' });
        continue;
      }
      if (uid !== undefined && stats.uid !== uid) {
        refused.push({ path, reason: 'foreign_owner' });
        continue;
      }
      entries.push({ path, absolute, stats });
      if (!stats.isDirectory()) continue;
      try {
        for (const name of (await fs.readdir(absolute)).sort()) next.push(join(absolute, name));
      } catch {
        refused.push({ path, reason: 'unreadable' });
      }
    }
    level = next;
  }
  return { entries, refused };
}

/**
 * Removes group and other permissions from one entry, through a descriptor opened without
 * following a symlink and checked to be the same file, owned by `uid`: a path swapped for a
 * symlink, or for someone else's file, after the walk is never changed. Returns the new mode, or
 * the reason it was left alone.
 */
export async function tightenMode(
  entry: HomeEntry,
  uid: number | undefined,
): Promise<{ readonly mode: number } | { readonly refused: RefusalReason }> {
  const flags =
    constants.O_RDONLY |
    constants.O_NOFOLLOW |
    constants.O_NONBLOCK |
    (entry.stats.isDirectory() ? constants.O_DIRECTORY : 0);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(entry.absolute, flags);
  } catch (error) {
    return { refused: errnoCode(error) === 'ELOOP' ? 'symlink' : 'unreadable' };
  }
  try {
    const now = await handle.stat();
    if (now.ino !== entry.stats.ino || now.dev !== entry.stats.dev) return { refused: 'unreadable' };
    if (uid !== undefined && now.uid !== uid) return { refused: 'foreign_owner' };
    const mode = now.mode & 0o7777 & ~0o077;
    await handle.chmod(mode);
    return { mode };
  } finally {
    await handle.close();
  }
}
