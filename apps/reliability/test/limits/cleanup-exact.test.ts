// Guarantee 9 (docs/architecture.md) (retention) exact at its edges with an injected clock: by age to the millisecond
// (decided in another process), by count exactly, with last activity = the latest of updated_at,
// closed_at and last_resumed_at (never the file's mtime), and a leased session never deleted.
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { Worker } from '../support/worker.js';

const now = new Date('2025-06-01T00:00:00.000Z');
const day = 24 * 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

describe('cleanup by age and count, exact (guarantee 9, injected clock)', () => {
  const factory = new SessionFactory({ seed: 31 });
  let home = '';
  const workers: Worker[] = [];

  beforeAll(async () => {
    home = await makeHome('jido-retention-');
  });

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await removeHome(home);
  });

  async function saveWithActivity(
    store: Awaited<ReturnType<typeof openStore>>,
    closedAt: string,
    lastResumedAt?: string,
  ): Promise<string> {
    const session = factory.session({ messageCount: 1, todoCount: 0 });
    must(
      await store.save({
        ...session,
        created_at: at(-400 * day),
        updated_at: closedAt,
        closed_at: closedAt,
        ...(lastResumedAt === undefined ? {} : { last_resumed_at: lastResumedAt }),
      }),
    );
    return session.id;
  }

  it('deletes by age to the millisecond, decided in another process at an injected time', async () => {
    const store = await openStore(home, { env: {}, now: () => now });
    const exactly30 = await saveWithActivity(store, at(-30 * day));
    const older = await saveWithActivity(store, at(-30 * day - 1));
    const newer = await saveWithActivity(store, at(-30 * day + 1));
    const resumedLately = await saveWithActivity(store, at(-90 * day), at(-29 * day));
    const resumedLongAgo = await saveWithActivity(store, at(-10 * day), at(-31 * day));
    const leased = await saveWithActivity(store, at(-365 * day));
    const leaser = new Worker('session-worker', ['lease', home, leased]);
    const cleaner = new Worker('session-worker', ['cleaner', home, now.toISOString()]);
    workers.push(leaser, cleaner);
    leaser.go();
    cleaner.go();
    await leaser.line(/^leased$/);
    cleaner.send('cleanup 1 30 1000');
    const [, , deleted = '', skipped = ''] = (await cleaner.line(/^cleaned 1 /)).split(' ');
    // resumedLongAgo: resumed 31 days ago but closed 10 days ago: the latest activity wins, so it
    // stays; resumedLately: closed 90 days ago, resumed 29 days ago, stays too.
    expect(deleted.split(',')).toEqual([older]);
    expect(skipped).toBe(leased);
    const remaining = must(await store.listPersisted()).sessions.map((session) => session.id);
    expect(remaining.sort()).toEqual([exactly30, newer, resumedLately, resumedLongAgo, leased].sort());
    reportFigure('cleanup-exact-age', { sessions: 6, deleted: 1, skippedLeased: 1 });
  });

  it('keeps exactly the newest N by last activity, never an active one', async () => {
    const countHome = await makeHome('jido-retention-count-');
    const store = await openStore(countHome, { env: {}, now: () => now });
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) ids.push(await saveWithActivity(store, at(-(8 - index) * 1000)));
    // ids[0] is the oldest, ids[7] the newest.
    const dry = must(await store.cleanup({ maxCount: 3, maxAgeDays: 3650, dryRun: true }));
    expect(dry.deleted.sort()).toEqual(ids.slice(0, 5).sort());
    const report = must(
      await store.cleanup({ maxCount: 3, maxAgeDays: 3650, active: { ids: [ids[0] as string] } }),
    );
    expect(report.deleted.sort()).toEqual(ids.slice(1, 5).sort());
    expect(report.skipped).toEqual([ids[0]]);
    const remaining = must(await store.listPersisted()).sessions.map((session) => session.id);
    expect(remaining.sort()).toEqual([ids[0], ...ids.slice(5)].sort());
    // Idempotent: at the limit nothing more goes (the active one is still skipped).
    const again = must(
      await store.cleanup({ maxCount: 3, maxAgeDays: 3650, active: { ids: [ids[0] as string] } }),
    );
    expect(again.deleted).toEqual([]);
    reportFigure('cleanup-exact-count', { sessions: 8, maxCount: 3, deleted: 4, skippedActive: 1 });
    await removeHome(countHome);
  });
});
