import { chown, mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overriding, sessionFixture, testStoreSetup } from '../test/fixtures.js';
import { nodeFileSystem } from './fs/file-system.js';
import { SessionStore } from './session-store.js';

const setup = testStoreSetup();

describe('listPersisted', () => {
  it('returns metadata sorted by closed_at, newest first', async () => {
    const { store } = await setup();
    const older = sessionFixture({ name: 'Older', closed_at: '2025-01-01T00:00:00.000Z' });
    const newer = sessionFixture({ name: 'Newer', closed_at: '2025-02-01T00:00:00.000Z' });
    const middle = sessionFixture({ name: 'Middle', closed_at: '2025-01-15T00:00:00.000Z' });
    for (const session of [older, newer, middle]) await store.save(session);
    const listing = await store.listPersisted();
    if (!listing.ok) throw listing.error;
    expect(listing.value.sessions.map((session) => session.name)).toEqual(['Newer', 'Middle', 'Older']);
    expect(listing.value.sessions[0]).toEqual({
      id: newer.id,
      name: 'Newer',
      project_path: newer.project_path,
      created_at: newer.created_at,
      updated_at: newer.updated_at,
      closed_at: newer.closed_at,
      last_resumed_at: null,
      recovered_at: null,
      message_count: 2,
      todo_count: 1,
      signed: true,
      signed_by: 'keyring',
      size_bytes: expect.any(Number),
      imported_at: null,
      parent_id: null,
      pinned: false,
      // The fixture's replies reported usage: the listing carries the totals.
      cumulative_usage: { input_tokens: 10, output_tokens: 20 },
    });
    expect(listing.value.problems).toEqual([]);
  });

  it('is an empty list when the sessions folder is missing', async () => {
    const { store } = await setup();
    await rm(store.backend.sessionsDir, { recursive: true });
    expect(await store.listPersisted()).toMatchObject({ ok: true, value: { sessions: [], problems: [] } });
  });

  it('reports corrupt, tampered, symlinked and foreign-owned files and ignores temp and unrelated files', async () => {
    const { store, home } = await setup();
    const good = sessionFixture();
    await store.save(good);
    const corruptId = '123e4567-e89b-42d3-a456-426614174001';
    await writeFile(join(store.backend.sessionsDir, `${corruptId}.json`), '{broken');
    const tampered = sessionFixture();
    await store.save(tampered);
    const tamperedPath = join(store.backend.sessionsDir, `${tampered.id}.json`);
    const document = JSON.parse(await readFile(tamperedPath, 'utf8'));
    await writeFile(tamperedPath, JSON.stringify({ ...document, name: 'Evil' }));
    const linkId = '123e4567-e89b-42d3-a456-426614174002';
    await writeFile(join(home, 'outside.json'), JSON.stringify(sessionFixture({ id: linkId })));
    await symlink(join(home, 'outside.json'), join(store.backend.sessionsDir, `${linkId}.json`));
    await writeFile(join(store.backend.sessionsDir, `.${good.id}.0123456789abcdef.tmp`), '{"partial');
    await writeFile(join(store.backend.sessionsDir, 'notes.txt'), 'hello');
    await writeFile(join(store.backend.sessionsDir, 'README.json'), '{}');
    await mkdir(join(store.backend.sessionsDir, 'subfolder'));
    const expectedProblems: Record<string, string> = {
      [corruptId]: 'invalid_json',
      [tampered.id]: 'signature_invalid',
      [linkId]: 'permission_denied',
    };
    if (process.getuid?.() === 0) {
      const foreign = sessionFixture();
      await store.save(foreign);
      await chown(join(store.backend.sessionsDir, `${foreign.id}.json`), 65534, 65534);
      expectedProblems[foreign.id] = 'permission_denied';
    }
    const listing = await store.listPersisted();
    if (!listing.ok) throw listing.error;
    expect(listing.value.sessions.map((session) => session.id)).toEqual([good.id]);
    const problems = Object.fromEntries(
      listing.value.problems.map((problem) => [problem.id, problem.error.code]),
    );
    expect(problems).toEqual(expectedProblems);
    for (const problem of listing.value.problems) {
      expect(problem.file).toBe(`${problem.id}.json`);
      expect(problem.error.message).not.toContain(home);
    }
  });

  it('reuses the index when nothing changed and reparses only a file changed behind its back', async () => {
    const { store } = await setup();
    const sessions = [
      sessionFixture({ name: 'One' }),
      sessionFixture({ name: 'Two' }),
      sessionFixture({ name: 'Three' }),
    ];
    for (const session of sessions) await store.save(session);
    const first = await store.listPersisted();
    expect(first.ok && first.value.stats).toEqual({ parsed: 3, reused: 0 });
    const second = await store.listPersisted();
    expect(second.ok && second.value.stats).toEqual({ parsed: 0, reused: 3 });

    // Another process (here: another store) rewrites one session.
    const other = await SessionStore.open({ home: store.backend.home, env: {} });
    if (!other.ok) throw other.error;
    const [changed] = sessions;
    if (changed === undefined) throw new Error('unreachable');
    await other.value.save({ ...changed, name: 'Renamed elsewhere' });
    const third = await store.listPersisted();
    expect(third.ok && third.value.stats).toEqual({ parsed: 1, reused: 2 });
    expect(third.ok && third.value.sessions.map((session) => session.name).sort()).toEqual([
      'Renamed elsewhere',
      'Three',
      'Two',
    ]);

    // A same-size in-place edit with a new mtime is caught too (and found tampered).
    const path = join(store.backend.sessionsDir, `${sessions[1]?.id}.json`);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"Two"', '"Twx"'));
    const later = new Date(Date.now() + 5_000);
    await utimes(path, later, later);
    const fourth = await store.listPersisted();
    expect(fourth.ok && fourth.value.stats).toEqual({ parsed: 1, reused: 2 });
    expect(fourth.ok && fourth.value.problems.map((problem) => problem.error.code)).toEqual([
      'signature_invalid',
    ]);
  });

  it('lists again from the index in memory while its file is unchanged, and reads it again once another store rewrote it', async () => {
    const { store: first } = await setup();
    const indexOpens: string[] = [];
    const opened = await SessionStore.open({
      home: first.backend.home,
      env: {},
      fs: overriding({
        open: async (path, flags, mode) => {
          if (path.endsWith('sessions-index.json')) indexOpens.push(path);
          return nodeFileSystem.open(path, flags, mode);
        },
      }),
    });
    if (!opened.ok) throw opened.error;
    const store = opened.value;
    await store.save(sessionFixture({ name: 'One' }));
    const cold = await store.listPersisted();
    expect(cold.ok && cold.value.stats).toEqual({ parsed: 1, reused: 0 });
    indexOpens.length = 0;
    // The index this store wrote is kept: no read of it, and every entry still checked and reused.
    for (let round = 0; round < 3; round++) {
      const warm = await store.listPersisted();
      expect(warm.ok && warm.value.stats).toEqual({ parsed: 0, reused: 1 });
    }
    expect(indexOpens).toEqual([]);

    // Another store adds a session and rewrites the index: this one reads the new file once.
    await first.save(sessionFixture({ name: 'Two' }));
    const elsewhere = await first.listPersisted();
    expect(elsewhere.ok && elsewhere.value.stats).toEqual({ parsed: 1, reused: 1 });
    const after = await store.listPersisted();
    expect(after.ok && after.value.stats).toEqual({ parsed: 0, reused: 2 });
    expect(indexOpens).toHaveLength(1);
    await store.listPersisted();
    expect(indexOpens).toHaveLength(1);

    // An index file edited behind its back (a wrong field) is read again and not trusted.
    const path = join(store.backend.home, 'index', 'sessions-index.json');
    const index = JSON.parse(await readFile(path, 'utf8'));
    for (const entry of Object.values(index.entries) as { metadata: { name: unknown } }[])
      entry.metadata.name = 7;
    await writeFile(path, JSON.stringify(index));
    const rebuilt = await store.listPersisted();
    expect(rebuilt.ok && rebuilt.value.stats).toEqual({ parsed: 2, reused: 0 });
    expect(rebuilt.ok && rebuilt.value.sessions.map((session) => session.name).sort()).toEqual([
      'One',
      'Two',
    ]);
  });

  it('rebuilds a corrupt index silently and drops entries of deleted files', async () => {
    const { store } = await setup();
    const kept = sessionFixture();
    const removed = sessionFixture();
    await store.save(kept);
    await store.save(removed);
    await store.listPersisted();
    await writeFile(join(store.backend.home, 'index', 'sessions-index.json'), '{not json');
    const rebuilt = await store.listPersisted();
    expect(rebuilt.ok && rebuilt.value.stats).toEqual({ parsed: 2, reused: 0 });
    await store.delete(removed.id);
    const after = await store.listPersisted();
    expect(after.ok && after.value.sessions.map((session) => session.id)).toEqual([kept.id]);
    const index = JSON.parse(
      await readFile(join(store.backend.home, 'index', 'sessions-index.json'), 'utf8'),
    );
    expect(Object.keys(index.entries)).toEqual([`${kept.id}.json`]);
  });

  it('rebuilds an index that parses but has a wrong field, instead of trusting it', async () => {
    const { store } = await setup();
    const session = sessionFixture({ name: 'Real' });
    await store.save(session);
    await store.listPersisted();
    const path = join(store.backend.home, 'index', 'sessions-index.json');
    const index = JSON.parse(await readFile(path, 'utf8'));
    // A crash or a hand edit: the name is a number now, and the count is negative.
    index.entries[`${session.id}.json`].metadata.name = 7;
    index.entries[`${session.id}.json`].metadata.message_count = -1;
    await writeFile(path, JSON.stringify(index));
    const rebuilt = await store.listPersisted();
    if (!rebuilt.ok) throw rebuilt.error;
    expect(rebuilt.value.stats).toEqual({ parsed: 1, reused: 0 });
    expect(rebuilt.value.sessions.map((entry) => [entry.name, entry.message_count])).toEqual([['Real', 2]]);
  });

  it('still lists when the index cannot be written', async () => {
    const { store } = await setup();
    await store.save(sessionFixture());
    const opened = await SessionStore.open({
      home: store.backend.home,
      env: {},
      fs: overriding({
        open: async (path, flags, mode) => {
          if (path.includes('/index/')) throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
          return nodeFileSystem.open(path, flags, mode);
        },
      }),
    });
    if (!opened.ok) throw opened.error;
    const listing = await opened.value.listPersisted();
    expect(listing.ok && listing.value.sessions.length).toBe(1);
  });

  it('a permission error on the sessions folder is an error, not an empty list (injected)', async () => {
    const { store } = await setup();
    await store.save(sessionFixture());
    const opened = await SessionStore.open({
      home: store.backend.home,
      env: {},
      fs: overriding({
        readdir: async (path) => {
          if (path === store.backend.sessionsDir)
            throw Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'scandir' });
          return nodeFileSystem.readdir(path);
        },
      }),
    });
    if (!opened.ok) throw opened.error;
    const listing = await opened.value.listPersisted();
    expect(listing.ok).toBe(false);
    if (!listing.ok) {
      expect(listing.error.code).toBe('permission_denied');
      expect(listing.error.message).not.toContain(store.backend.home);
      expect(listing.error.details).toMatchObject({ errno: 'EACCES' });
    }
  });
});

describe('listResumable', () => {
  it('leaves out sessions active here (by id or project path) and sessions leased by a live process', async () => {
    const { store } = await setup();
    const byId = sessionFixture({ project_path: '/p/one' });
    const byPath = sessionFixture({ project_path: '/p/two' });
    const leased = sessionFixture({ project_path: '/p/three' });
    const free = sessionFixture({ project_path: '/p/four' });
    for (const session of [byId, byPath, leased, free]) await store.save(session);
    const lease = await store.acquireLease(leased.id);
    if (!lease.ok) throw lease.error;
    const listing = await store.listResumable({ ids: [byId.id], projectPaths: ['/p/two'] });
    expect(listing.ok && listing.value.sessions.map((session) => session.id)).toEqual([free.id]);
    await lease.value.release();
    const after = await store.listResumable({ ids: [byId.id], projectPaths: ['/p/two'] });
    expect(after.ok && after.value.sessions.map((session) => session.id).sort()).toEqual(
      [free.id, leased.id].sort(),
    );
  });

  it('filters a listing it is given instead of listing again', async () => {
    const { store } = await setup();
    const leased = sessionFixture({ project_path: '/p/one' });
    const free = sessionFixture({ project_path: '/p/two' });
    for (const session of [leased, free]) await store.save(session);
    const taken = await store.listPersisted();
    if (!taken.ok) throw taken.error;
    await store.save(sessionFixture({ project_path: '/p/later' }));
    const lease = await store.acquireLease(leased.id);
    if (!lease.ok) throw lease.error;
    const listing = await store.listResumable(undefined, taken.value);
    // The session saved after the listing was taken is not there: nothing was listed again.
    expect(listing.ok && listing.value.sessions.map((session) => session.id)).toEqual([free.id]);
    await lease.value.release();
  });
});
