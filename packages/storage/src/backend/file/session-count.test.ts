import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, overriding, sessionFixture } from '../../../test/fixtures.js';
import { nodeFileSystem } from '../../fs/file-system.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store whose file system counts the listings of its sessions folder. */
async function countingStore(config: Record<string, unknown> = {}) {
  const listings = { count: 0 };
  const fs = overriding({
    readdir: async (path) => {
      if (path.endsWith('/sessions')) listings.count += 1;
      return nodeFileSystem.readdir(path);
    },
  });
  const opened = await openTestStore({ fs, config });
  cleanups.push(opened.cleanup);
  return { ...opened, listings };
}

function saved(result: { ok: boolean }) {
  expect(result.ok).toBe(true);
}

describe('the session count record', () => {
  it('lets new sessions be created one after another without listing the sessions folder again', async () => {
    const { store, listings } = await countingStore({ max_sessions: 50 });
    saved(await store.save(sessionFixture()));
    const before = listings.count;
    for (let n = 0; n < 10; n += 1) saved(await store.save(sessionFixture()));
    expect(listings.count).toBe(before);
    expect((await readdir(store.backend.sessionsDir)).length).toBe(11);
  });

  it('counts again after any other change to the folder, so files added or removed by hand count exactly', async () => {
    const { store, listings } = await countingStore({ max_sessions: 3 });
    const first = sessionFixture();
    saved(await store.save(first));
    saved(await store.save(sessionFixture()));
    // A third session copied in by hand: the folder changed, the record is not trusted.
    const copy = sessionFixture();
    await copyFile(
      join(store.backend.sessionsDir, `${first.id}.json`),
      join(store.backend.sessionsDir, `${copy.id}.json`),
    );
    const before = listings.count;
    const refused = await store.save(sessionFixture());
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('session_count_limit');
    expect(listings.count).toBeGreaterThan(before);
    // One removed by hand: there is room again.
    await rm(join(store.backend.sessionsDir, `${copy.id}.json`));
    saved(await store.save(sessionFixture()));
    expect((await readdir(store.backend.sessionsDir)).length).toBe(3);
    // A save of an existing session moves the folder's mtime too: still exact at the limit.
    saved(await store.save({ ...first, name: 'renamed' }));
    const again = await store.save(sessionFixture());
    expect(again.ok).toBe(false);
  });

  it('ignores a record it cannot read and counts the folder', async () => {
    const { store, home, listings } = await countingStore({ max_sessions: 2 });
    saved(await store.save(sessionFixture()));
    saved(await store.save(sessionFixture()));
    await writeFile(join(home, 'index', 'session-count.json'), '{"count": 0, "folder": "');
    const before = listings.count;
    const refused = await store.save(sessionFixture());
    expect(refused.ok).toBe(false);
    expect(listings.count).toBeGreaterThan(before);
  });

  it('a record that could not be written costs a listing next time, never a save', async () => {
    let failRename = true;
    const fs = overriding({
      rename: async (from, to) => {
        if (failRename && to.endsWith('session-count.json'))
          throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return nodeFileSystem.rename(from, to);
      },
    });
    const opened = await openTestStore({ fs, config: { max_sessions: 2 } });
    cleanups.push(opened.cleanup);
    saved(await opened.store.save(sessionFixture()));
    saved(await opened.store.save(sessionFixture()));
    expect((await readdir(join(opened.home, 'index'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    failRename = false;
    expect((await opened.store.save(sessionFixture())).ok).toBe(false);
  });
});
