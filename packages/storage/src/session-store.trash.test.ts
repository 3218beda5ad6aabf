import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overriding, sessionFixture, testStoreSetup } from '../test/fixtures.js';
import { nodeFileSystem } from './fs/file-system.js';
import { SessionStore } from './session-store.js';

const setup = testStoreSetup();

describe('trash on the file backend', () => {
  it('moves the file byte for byte into <home>/trash with a signed record', async () => {
    const { store, home } = await setup();
    const session = sessionFixture();
    await store.save(session);
    const before = await readFile(join(store.backend.sessionsDir, `${session.id}.json`));
    const trashed = await store.trash(session.id, 'cleanup:count');
    expect(trashed).toEqual({ ok: true, value: { trashed: true } });
    const names = (await readdir(join(home, 'trash'))).sort();
    expect(names).toHaveLength(2);
    const [file, record] = names;
    expect(record).toMatch(/\.record\.json$/);
    expect(await readFile(join(home, 'trash', file ?? ''))).toEqual(before);
    expect(JSON.parse(await readFile(join(home, 'trash', record ?? ''), 'utf8'))).toMatchObject({
      id: session.id,
      reason: 'cleanup:count',
      signature: expect.stringMatching(/^v1:/),
    });
    expect(await readdir(store.backend.sessionsDir)).toEqual([]);
  });

  it('a crash between the record and the rename leaves the session live; the next listing repairs the record', async () => {
    const { store, home } = await setup();
    const session = sessionFixture();
    await store.save(session);
    const crashing = await SessionStore.open({
      home,
      env: {},
      fs: overriding({
        rename: async (from, to) => {
          if (to.includes('/trash/') && from.includes('/sessions/')) {
            throw Object.assign(new Error('killed'), { code: 'EIO' });
          }
          return nodeFileSystem.rename(from, to);
        },
        unlink: async (path) => {
          // The process "dies" before cleaning up: its record stays behind.
          if (path.endsWith('.record.json')) return;
          return nodeFileSystem.unlink(path);
        },
      }),
    });
    if (!crashing.ok) throw crashing.error;
    const failed = await crashing.value.trash(session.id);
    expect(failed.ok).toBe(false);
    expect((await readdir(join(home, 'trash'))).filter((name) => name.endsWith('.record.json'))).toHaveLength(
      1,
    );
    expect((await store.load(session.id)).ok).toBe(true);
    expect(await store.listTrash()).toEqual({ ok: true, value: { entries: [], problems: [] } });
    expect(await readdir(join(home, 'trash'))).toEqual([]);
  });

  it('a changed record is reported as a problem, never trusted', async () => {
    const { store, home } = await setup();
    const session = sessionFixture();
    await store.save(session);
    await store.trash(session.id);
    const record = (await readdir(join(home, 'trash'))).find((name) => name.endsWith('.record.json')) ?? '';
    const text = await readFile(join(home, 'trash', record), 'utf8');
    await writeFile(join(home, 'trash', record), text.replace('"delete"', '"clear"'));
    const listing = await store.listTrash();
    if (!listing.ok) throw listing.error;
    expect(listing.value.entries).toEqual([]);
    expect(listing.value.problems.map((problem) => [problem.id, problem.error.code])).toEqual([
      [session.id, 'signature_invalid'],
    ]);
  });
});
