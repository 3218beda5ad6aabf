import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every entry under `root` (not following links) with its mode, size, mtime and content digest:
 * two snapshots are equal only when nothing under `root` was written, touched or added.
 */
export function treeSnapshot(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      const digest = stats.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
      entries.set(path, `${stats.mode} ${stats.size} ${stats.mtimeMs} ${digest}`);
      if (stats.isDirectory()) visit(path);
    }
  };
  visit(root);
  return entries;
}
