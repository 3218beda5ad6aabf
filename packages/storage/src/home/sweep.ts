import type { Logger } from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import { tempFilePattern } from '../io/durable-write.js';
import type { HomeLayout } from './paths.js';

/** How old a temp file must be before a sweep removes it: older than any write still in flight. */
export const staleTempAgeMs = 5 * 60 * 1000;

/**
 * Removes temp files (and stale-lock leftovers) older than `maxAgeMs`: what a crash between temp
 * creation and rename leaves behind. Returns how many were removed; failures are logged, not thrown.
 */
export async function sweepStaleFiles(
  fs: FileSystem,
  layout: HomeLayout,
  maxAgeMs: number,
  logger: Logger,
): Promise<number> {
  const cutoff = Date.now() - maxAgeMs;
  let removed = 0;
  const folders: [string, (name: string) => boolean][] = [
    [layout.sessionsDir, (name) => tempFilePattern.test(name)],
    [layout.keysDir, (name) => tempFilePattern.test(name)],
    [layout.stateDir, (name) => tempFilePattern.test(name)],
    [layout.indexDir, (name) => tempFilePattern.test(name)],
    [`${layout.home}/trash`, (name) => tempFilePattern.test(name)],
    [layout.locksDir, (name) => /\.lock\.stale\.[0-9a-f]+$/.test(name)],
    [layout.leasesDir, (name) => /\.lease\.stale\.[0-9a-f]+$/.test(name)],
  ];
  for (const [folder, matches] of folders) {
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!matches(name)) continue;
      const path = `${folder}/${name}`;
      try {
        const stats = await fs.lstat(path);
        if (!stats.isFile() || stats.mtimeMs > cutoff) continue;
        await fs.unlink(path);
        removed += 1;
        logger.debug('Removed a stale temporary file.', { path });
      } catch (error) {
        logger.debug('Could not remove a stale temporary file.', { path, error: String(error) });
      }
    }
  }
  return removed;
}
