import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTools } from '../src/index.js';
import { fixtureHome, importAll } from './helpers.js';

/** Every entry under `root` with its kind, mode, size, mtime and content digest. */
function snapshot(root: string): Map<string, string> {
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

describe('reading never changes the source tree', () => {
  it('leaves every byte, mtime and mode of every file and folder as it was, and adds nothing', async () => {
    const { home } = fixtureHome();
    const before = snapshot(home);
    expect(before.size).toBeGreaterThan(30);
    for (const tool of importTools) {
      for (const includeSidechains of [false, true]) {
        const items = await importAll(tool, home, { includeSidechains, workingDirectory: home });
        expect(items.size).toBeGreaterThan(5);
      }
    }
    expect(snapshot(home)).toEqual(before);
  });
});
