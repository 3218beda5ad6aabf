import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, sessionFixture } from '../test/fixtures.js';
import { SessionStore } from './session-store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const daysAgo = (days: number, from = Date.now()) => new Date(from - days * 86_400_000).toISOString();

async function setup(config: Record<string, unknown> = {}) {
  const opened = await openTestStore({ config });
  cleanups.push(opened.cleanup);
  return opened;
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error;
  return result.value;
}

describe('pins', () => {
  it('are part of the signed file: a pinned session loads pinned, lists pinned, and unpins', async () => {
    const { store } = await setup();
    const session = sessionFixture();
    must(await store.save(session));
    must(await store.setPinned(session.id, true));
    const loaded = must(await store.load(session.id));
    expect(loaded.signed).toBe(true);
    expect(loaded.session.pinned).toBe(true);
    expect(must(await store.listPersisted()).sessions[0]?.pinned).toBe(true);
    must(await store.setPinned(session.id, false));
    expect('pinned' in must(await store.load(session.id)).session).toBe(false);
    expect(must(await store.listPersisted()).sessions[0]?.pinned).toBe(false);
  });

  it('are never removed by cleanup (age or count), clear or auto-cleanup', async () => {
    const { store } = await setup({ max_sessions: 3, auto_cleanup_on_limit: true });
    const pinnedOld = sessionFixture({ closed_at: daysAgo(90), updated_at: daysAgo(90) });
    const plainOld = sessionFixture({ closed_at: daysAgo(80), updated_at: daysAgo(80) });
    const recent = sessionFixture({ closed_at: daysAgo(1), updated_at: daysAgo(1) });
    for (const session of [pinnedOld, plainOld, recent]) must(await store.save(session));
    must(await store.setPinned(pinnedOld.id, true));

    // The count limit moves the oldest unpinned session, not the older pinned one.
    const fresh = sessionFixture({ closed_at: daysAgo(0), updated_at: daysAgo(0) });
    must(await store.save(fresh));
    expect(must(await store.listTrash()).entries.map((entry) => [entry.id, entry.reason])).toEqual([
      [plainOld.id, 'limit'],
    ]);

    const byAge = must(await store.cleanup({ maxAgeDays: 30 }));
    expect(byAge).toMatchObject({ deleted: [], pinned: [pinnedOld.id], purged: false });
    const byCount = must(await store.cleanup({ maxCount: 0 }));
    expect(byCount.pinned).toEqual([pinnedOld.id]);
    expect(byCount.deleted.sort()).toEqual([recent.id, fresh.id].sort());
    must(await store.save(sessionFixture({ id: recent.id, closed_at: daysAgo(0) })));
    const cleared = must(await store.clear());
    expect(cleared).toMatchObject({ deleted: [recent.id], pinned: [pinnedOld.id] });
    expect(await readdir(store.backend.sessionsDir)).toEqual([`${pinnedOld.id}.json`]);
  });
});

describe('retention into the trash', () => {
  it('cleanup moves by age with the reason, counts it in the notices, and --purge deletes for good', async () => {
    const { store } = await setup();
    const old = sessionFixture({ closed_at: daysAgo(40), updated_at: daysAgo(40) });
    const older = sessionFixture({ closed_at: daysAgo(50), updated_at: daysAgo(50) });
    // Updated long ago but resumed yesterday: its last activity is recent.
    const resumed = sessionFixture({
      closed_at: daysAgo(45),
      updated_at: daysAgo(45),
      last_resumed_at: daysAgo(1),
    });
    for (const session of [old, older, resumed]) must(await store.save(session));
    const report = must(await store.cleanup({ maxAgeDays: 30 }));
    expect(report.deleted.sort()).toEqual([old.id, older.id].sort());
    const trash = must(await store.listTrash());
    expect(trash.entries.map((entry) => entry.reason)).toEqual(['cleanup:age', 'cleanup:age']);
    expect(must(await store.takeRemovalNotices())).toEqual([{ reason: 'cleanup:age', count: 2, days: 30 }]);
    expect(must(await store.takeRemovalNotices())).toEqual([]);

    const purged = must(await store.cleanup({ maxCount: 0, purge: true }));
    expect(purged).toMatchObject({ deleted: [resumed.id], purged: true });
    expect(must(await store.listTrash()).entries).toHaveLength(2);
    expect(must(await store.takeRemovalNotices())).toEqual([]);
  });

  it('clear moves to the trash with reason clear; purge deletes for good', async () => {
    const { store } = await setup();
    const [first, second] = [sessionFixture(), sessionFixture()];
    must(await store.save(first));
    must(await store.clear());
    expect(must(await store.listTrash()).entries.map((entry) => [entry.id, entry.reason])).toEqual([
      [first.id, 'clear'],
    ]);
    must(await store.save(second));
    expect(must(await store.clear(undefined, { purge: true }))).toMatchObject({
      deleted: [second.id],
      purged: true,
    });
    expect(must(await store.listTrash()).entries).toHaveLength(1);
  });

  it('ages the trash past trash_retention_days, at most once a day with daily, and counts it', async () => {
    const { store, home } = await setup({ trash_retention_days: 14 });
    const sessions = [sessionFixture(), sessionFixture()];
    for (const session of sessions) must(await store.save(session));
    let now = Date.now() - 20 * 86_400_000;
    const past = must(await SessionStore.open({ home, env: {}, now: () => new Date(now) }));
    must(await past.trash(sessions[0]?.id ?? ''));
    now = Date.now() - 3 * 86_400_000;
    must(await past.trash(sessions[1]?.id ?? ''));
    expect(must(await store.ageTrash({ daily: true }))).toEqual({ ran: true, purged: 1 });
    expect(must(await store.listTrash()).entries.map((entry) => entry.id)).toEqual([sessions[1]?.id]);
    // Within the day, nothing runs; the notice is there for the next shell start.
    expect(must(await store.ageTrash({ daily: true }))).toEqual({ ran: false, purged: 0 });
    expect(must(await store.takeRemovalNotices())).toEqual([
      { reason: 'trash-retention', count: 1, days: 14 },
    ]);
    const tomorrow = must(
      await SessionStore.open({
        home,
        env: {},
        now: () => new Date(Date.now() + 86_400_001 + 12 * 86_400_000),
      }),
    );
    expect(must(await tomorrow.ageTrash({ daily: true }))).toEqual({ ran: true, purged: 1 });
  });

  it('the trash retention comes from JIDO_TRASH_RETENTION_DAYS', async () => {
    const { home } = await setup();
    const store = must(await SessionStore.open({ home, env: { JIDO_TRASH_RETENTION_DAYS: '3' } }));
    expect(store.config.trash_retention_days).toBe(3);
    const bad = await SessionStore.open({ home, env: { JIDO_TRASH_RETENTION_DAYS: '0' } });
    expect(bad.ok || bad.error.code).toBe('invalid_config');
  });

  it('a deleted or trashed session leaves the search index at once', async () => {
    const { store } = await setup();
    const session = sessionFixture({
      conversation: [
        {
          id: 'm1',
          role: 'user',
          content: 'zebrafinch migration notes',
          timestamp: new Date().toISOString(),
        },
      ],
    } as never);
    must(await store.save(session));
    expect(must(await store.search('zebrafinch')).results).toHaveLength(1);
    must(await store.delete(session.id));
    const other = sessionFixture();
    must(await store.save(other));
    must(await store.delete(other.id, { purge: true }));
    // The index itself no longer holds it (not only the refresh that follows the folder's mtime).
    const index = await import('better-sqlite3').then(
      ({ default: Database }) => new Database(`${store.backend.home}/index/search.db`, { readonly: true }),
    );
    try {
      const held = (id: string) =>
        index.prepare('SELECT count(*) AS n FROM sessions WHERE id = ?').get(id) as { n: number };
      expect(held(session.id).n).toBe(0);
      expect(held(other.id).n).toBe(0);
    } finally {
      index.close();
    }
    expect(must(await store.search('zebrafinch')).results).toEqual([]);
    // search --trash: found in the trash, verified, under its session id.
    const inTrash = must(await store.searchTrash('zebrafinch'));
    expect(inTrash.results.map((result) => result.id)).toEqual([session.id]);
    expect(inTrash.entries.map((entry) => entry.id)).toEqual([session.id]);
    expect(must(await store.searchTrash('-zebrafinch nothingmatches')).results).toEqual([]);
  });
});

describe('rename', () => {
  it('renames under the lock, keeping the rest; a session leased by a live process is refused', async () => {
    const { store } = await setup();
    const session = sessionFixture({ name: 'before' });
    must(await store.save(session));
    const lease = must(await store.acquireLease(session.id));
    const refused = await store.rename(session.id, 'after');
    expect(refused.ok || refused.error.code).toBe('session_active');
    expect(refused.ok || refused.error.details.change).toBe('rename');
    expect(must(await store.load(session.id)).session.name).toBe('before');
    await lease.release();
    must(await store.rename(session.id, 'after'));
    const loaded = must(await store.load(session.id)).session;
    expect(loaded.name).toBe('after');
    expect(loaded.conversation).toEqual(session.conversation);
    expect(loaded.updated_at > session.updated_at).toBe(true);
  });
});
