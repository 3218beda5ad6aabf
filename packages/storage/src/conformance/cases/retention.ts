import { expect, it } from 'vitest';
import { conformanceSession } from '../conformance-session.js';
import { must, processTimeoutMs, type SuiteContext } from '../suite-context.js';

/** Retention never touches a leased session, wherever the lease is held. */
export function retentionCases(context: SuiteContext): void {
  it('cleanup, clear and delete never remove a session leased by another process', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const [leased, old, fresh] = [
      conformanceSession({ ageDays: 90 }),
      conformanceSession({ ageDays: 60 }),
      conformanceSession({ ageDays: 1 }),
    ];
    for (const session of [leased, old, fresh]) must(await store.save(session));
    const holder = context.worker(spec, 'hold-lease', [leased.id]);
    await holder.waitFor('leased');
    const cleaned = must(await store.cleanup({ maxAgeDays: 30 }));
    expect(cleaned).toMatchObject({ deleted: [old.id], skipped: [leased.id], changed: [], failed: [] });
    const refused = await store.delete(leased.id);
    expect(refused.ok || refused.error.code).toBe('session_active');
    const cleared = must(await store.clear());
    expect(cleared).toMatchObject({ deleted: [fresh.id], skipped: [leased.id], failed: [] });
    expect(must(await store.load(leased.id)).session.id).toBe(leased.id);
  });

  it('cleanup by count keeps the newest and never one open here', async () => {
    const { store } = await context.fresh();
    const sessions = [5, 4, 3, 2, 1].map((ageDays) => conformanceSession({ ageDays }));
    for (const session of sessions) must(await store.save(session));
    const [oldest, second, third] = sessions;
    const report = must(
      await store.cleanup({ maxCount: 2, maxAgeDays: 365, active: { ids: [oldest?.id ?? ''] } }),
    );
    expect(report.skipped).toEqual([oldest?.id]);
    expect(report.deleted.sort()).toEqual([second?.id, third?.id].sort());
    expect(must(await store.listPersisted()).sessions).toHaveLength(3);
  });

  it('auto-cleanup at the limit removes the least recently used session that is not leased', async () => {
    const { store } = await context.fresh({ max_sessions: 2, auto_cleanup_on_limit: true });
    const [older, newer, incoming] = [
      conformanceSession({ ageDays: 9 }),
      conformanceSession({ ageDays: 1 }),
      conformanceSession(),
    ];
    must(await store.save(older));
    must(await store.save(newer));
    const lease = must(await store.acquireLease(older.id));
    must(await store.save(incoming));
    await lease.release();
    const ids = must(await store.listPersisted()).sessions.map((entry) => entry.id);
    expect(ids.sort()).toEqual([older.id, incoming.id].sort());
  });

  it('removals go to the trash with their reason; a pinned session is never removed by retention', async () => {
    const { store } = await context.fresh({ max_sessions: 3, auto_cleanup_on_limit: true });
    const [pinned, old, newer] = [
      conformanceSession({ ageDays: 90 }),
      conformanceSession({ ageDays: 60 }),
      conformanceSession({ ageDays: 1 }),
    ];
    for (const session of [pinned, old, newer]) must(await store.save(session));
    must(await store.setPinned(pinned.id, true));
    must(await store.save(conformanceSession()));
    expect(must(await store.cleanup({ maxAgeDays: 30 }))).toMatchObject({ pinned: [pinned.id] });
    expect(must(await store.clear())).toMatchObject({ pinned: [pinned.id] });
    const refused = await store.delete(pinned.id);
    expect(refused.ok || refused.error.code).toBe('confirmation_required');
    const reasons = must(await store.listTrash()).entries.map((entry) => [entry.id, entry.reason]);
    expect(reasons).toContainEqual([old.id, 'limit']);
    expect(reasons).toContainEqual([newer.id, 'clear']);
    expect(reasons).toHaveLength(3);
    expect(must(await store.listPersisted()).sessions.map((entry) => entry.id)).toEqual([pinned.id]);
    expect(must(await store.load(pinned.id)).session.pinned).toBe(true);
  });
}
