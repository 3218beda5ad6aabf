import { treeSnapshot } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { importTools } from '../src/index.js';
import { fixtureHome, importAll } from './helpers.js';

describe('reading never changes the source tree', () => {
  it('leaves every byte, mtime and mode of every file and folder as it was, and adds nothing', async () => {
    const { home } = fixtureHome();
    const before = treeSnapshot(home);
    expect(before.size).toBeGreaterThan(30);
    for (const tool of importTools) {
      for (const includeSidechains of [false, true]) {
        const items = await importAll(tool, home, { includeSidechains, workingDirectory: home });
        expect(items.size).toBeGreaterThan(5);
      }
    }
    expect(treeSnapshot(home)).toEqual(before);
  });
});
