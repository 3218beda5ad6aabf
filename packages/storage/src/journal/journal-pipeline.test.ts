import { describe, expect, it } from 'vitest';
import { useJournalDir } from '../../test/journal/use-journal-dir.js';
import { type FileSystem, nodeFileSystem } from '../fs/file-system.js';

const journal = useJournalDir();

/**
 * The real file system, with each `fdatasync` held until the test lets it finish (or fail), and a
 * log of the writes and syncs as they start and end.
 */
function heldSyncs() {
  const log: string[] = [];
  const held: { finish: (error?: Error) => void }[] = [];
  let writes = 0;
  const fs: FileSystem = {
    ...nodeFileSystem,
    async write(fd, buffer, offset, length, position) {
      const index = ++writes;
      log.push(`write ${index}`);
      return nodeFileSystem.write(fd, buffer, offset, length, position);
    },
    async fdatasync(fd) {
      const index = held.length + 1;
      log.push(`sync ${index} start`);
      const outcome = await new Promise<Error | undefined>((resolve) => held.push({ finish: resolve }));
      if (outcome !== undefined) throw outcome;
      await nodeFileSystem.fdatasync(fd);
      log.push(`sync ${index} end`);
    },
  };
  return { fs, log, held };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('JournalWriter group commit, pipelined (write + fdatasync)', () => {
  it("writes the next batch while the previous batch's fdatasync runs, and acknowledges each after its own", async () => {
    const { fs, log, held } = heldSyncs();
    const writer = await journal.openWriter({ fs, syncMode: 'fdatasync' });
    const acknowledged: string[] = [];
    const first = writer.append('message', 'one').then(() => acknowledged.push('one'));
    await until(() => held.length === 1);
    const second = writer.append('message', 'two').then(() => acknowledged.push('two'));
    // The second batch is written while the first sync is still under way.
    await until(() => log.includes('write 2'));
    expect(log).toEqual(['write 1', 'sync 1 start', 'write 2']);
    expect(acknowledged).toEqual([]);
    held[0]?.finish();
    await first;
    expect(acknowledged).toEqual(['one']);
    // "two" waits for a sync that started after its write.
    await until(() => held.length === 2);
    expect(acknowledged).toEqual(['one']);
    held[1]?.finish();
    await second;
    expect(log).toEqual(['write 1', 'sync 1 start', 'write 2', 'sync 1 end', 'sync 2 start', 'sync 2 end']);
    expect(writer.stats).toEqual({ syncs: 2, records: 2 });
    await writer.close();
  });

  it('fails the batch written during a failed fdatasync with it: nothing unsynced is acknowledged', async () => {
    const { fs, held } = heldSyncs();
    const writer = await journal.openWriter({ fs, syncMode: 'fdatasync' });
    const first = writer.append('message', 'one');
    await until(() => held.length === 1);
    const second = writer.append('message', 'two');
    await new Promise((resolve) => setTimeout(resolve, 20));
    held[0]?.finish(Object.assign(new Error('EIO'), { code: 'EIO' }));
    const results = await Promise.all([first, second]);
    expect(results.map((result) => result.ok)).toEqual([false, false]);
    expect(writer.failed).toBe(true);
    await writer.close();
  });
});
