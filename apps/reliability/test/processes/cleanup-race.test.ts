// Guarantee 9 (docs/architecture.md) under concurrency (the item 2): processes save sessions while another runs
// cleanup by age and count with an injected clock, and a live process holds one session open:
// cleanup never deletes a fresh acknowledged session nor the leased one, and exactly the old and
// surplus sessions are gone at the end.
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { checkHome } from '../support/home-check.js';
import { counterOf } from '../support/session-data.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { Worker } from '../support/worker.js';

const rounds = scaled(50, 500);
const now = new Date('2025-06-01T00:00:00.000Z');
const day = 24 * 60 * 60 * 1000;
const freshPerSaver = 5;
const savers = 2;
/** Keep the newest 10 (exactly the fresh ones) and nothing older than 30 days. */
const maxCount = freshPerSaver * savers;
const maxAgeDays = 30;

describe('cleanup racing saves across processes (guarantee 9)', () => {
  const factory = new SessionFactory({ seed: 23 });
  let home = '';
  const workers: Worker[] = [];

  beforeAll(async () => {
    home = await makeHome('jido-cleanup-');
    await openStore(home);
  });

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await removeHome(home);
  });

  it(
    `never deletes a fresh acknowledged or a leased session over ${rounds} cleanup-plus-save rounds`,
    async () => {
      const store = await openStore(home, { env: {}, now: () => now });
      const fresh = Array.from({ length: savers }, () =>
        Array.from({ length: freshPerSaver }, () => factory.uuid()),
      );
      const lastAck = new Map<string, number>();
      for (const id of fresh.flat()) {
        const closedAt = new Date(now.getTime() - 2 * 60 * 60 * 1000).toISOString();
        const session = factory.session({ id, name: 'c0', messageCount: 1, todoCount: 0 });
        must(await store.save({ ...session, updated_at: closedAt, closed_at: closedAt }));
        lastAck.set(id, 0);
      }
      // The active session: 60 days old (due for deletion by age and count) but leased by a live process.
      const leasedId = factory.uuid();
      const oldAt = new Date(now.getTime() - 60 * day).toISOString();
      must(
        await store.save({
          ...factory.session({ id: leasedId, messageCount: 1 }),
          updated_at: oldAt,
          closed_at: oldAt,
        }),
      );
      const leaser = new Worker('session-worker', ['lease', home, leasedId]);
      const saverWorkers = fresh.map(
        (_, index) => new Worker('session-worker', ['saver', home, now.toISOString(), String(index)]),
      );
      const cleaner = new Worker('session-worker', ['cleaner', home, now.toISOString()]);
      workers.push(leaser, ...saverWorkers, cleaner);
      for (const worker of workers) worker.go();
      await leaser.line(/^leased$/);

      const created = new Set<string>();
      const deleted = new Set<string>();
      let skippedLeased = 0;
      for (let round = 1; round <= rounds; round++) {
        const marks = workers.map((worker) => worker.lines.length);
        saverWorkers.forEach((worker, index) => {
          worker.send(`round ${round} ${(fresh[index] as string[]).join(',')} 2 1`);
        });
        cleaner.send(`cleanup ${round} ${maxAgeDays} ${maxCount}`);
        await Promise.all(
          saverWorkers.map((worker, index) => worker.line(new RegExp(`^saved ${round}$`), marks[index + 1])),
        );
        const cleaned = await cleaner.line(new RegExp(`^cleaned ${round} `), marks[workers.length - 1]);
        const [, , deletedText = '-', skippedText = '-'] = cleaned.split(' ');
        for (const id of deletedText === '-' ? [] : deletedText.split(',')) deleted.add(id);
        if (skippedText.split(',').includes(leasedId)) skippedLeased += 1;
        for (const [index, worker] of saverWorkers.entries()) {
          for (const line of worker.lines.slice(marks[index + 1])) {
            const [kind = '', id = '', counter] = line.split(' ');
            if (kind === 'ack') lastAck.set(id, Number(counter));
            if (kind === 'old' || kind === 'middle') created.add(id);
          }
        }

        for (const id of [...fresh.flat(), leasedId]) {
          expect(deleted.has(id), `round ${round}: cleanup reported deleting protected session ${id}`).toBe(
            false,
          );
        }
        const check = await checkHome(home);
        expect(check.broken, `round ${round}`).toEqual([]);
        expect(check.sessions.has(leasedId), `round ${round}: the leased session was deleted`).toBe(true);
        for (const id of fresh.flat()) {
          const loaded = check.sessions.get(id);
          expect(loaded, `round ${round}: fresh acknowledged session ${id} was deleted`).toBeDefined();
          expect(counterOf(loaded?.session ?? { name: '' })).toBeGreaterThanOrEqual(lastAck.get(id) ?? 0);
        }
      }

      // Exact at the end: one more cleanup leaves the fresh sessions and the leased one, nothing else.
      const final = must(await store.cleanup({ maxAgeDays, maxCount }));
      for (const id of final.deleted) deleted.add(id);
      const listing = must(await store.listPersisted());
      expect(listing.sessions.map((session) => session.id).sort()).toEqual(
        [...fresh.flat(), leasedId].sort(),
      );
      expect(final.skipped).toEqual([leasedId]);
      expect([...created].filter((id) => !deleted.has(id))).toEqual([]);
      reportFigure('cleanup-race', {
        rounds,
        processes: workers.length,
        sessionsCreated: created.size,
        deleted: deleted.size,
        freshAcknowledgedSaves: [...lastAck.values()].length * rounds,
        leasedSkippedRounds: skippedLeased,
        protectedLost: 0,
      });
    },
    testTimeoutMs,
  );

  // Regression: cleanup planned from a listing taken before any lock and deleted a session
  // re-saved in between; storage now re-reads the victim under its lock and keeps it if it changed.
  it('does not delete a session that another process re-saved as fresh after cleanup listed it', async () => {
    const victim = factory.uuid();
    const oldAt = new Date(now.getTime() - 60 * day).toISOString();
    const setup = await openStore(home, { env: {}, now: () => now });
    must(
      await setup.save({
        ...factory.session({ id: victim, name: 'old', messageCount: 1 }),
        updated_at: oldAt,
        closed_at: oldAt,
      }),
    );
    const saver = new Worker('session-worker', ['saver', home, now.toISOString(), '9']);
    workers.push(saver);
    saver.go();
    const victimLock = setup.backend.layout.sessionLock(victim);
    let acknowledged = false;
    const cleaner = await openStore(home, {
      env: {},
      now: () => now,
      fs: {
        ...setup.backend.fs,
        open: async (path, flags, mode) => {
          if (path === victimLock && !acknowledged) {
            // Another process saves the victim as fresh, and is acknowledged, before the delete.
            const mark = saver.lines.length;
            saver.send(`round 1 ${victim} 0 0`);
            await saver.line(/^saved 1$/, mark);
            acknowledged = saver.lines.slice(mark).includes(`ack ${victim} 1`);
          }
          return setup.backend.fs.open(path, flags, mode);
        },
      },
    });
    const report = must(await cleaner.cleanup({ maxAgeDays }));
    expect(acknowledged).toBe(true);
    expect(report.changed).toEqual([victim]);
    expect(report.skipped).not.toContain(victim);
    const after = await setup.load(victim);
    reportFigure('cleanup-toctou', {
      deleted: report.deleted.includes(victim),
      acknowledgedFreshSaveLost: !after.ok,
    });
    expect(after.ok, 'the acknowledged fresh save was deleted by a cleanup planned before it').toBe(true);
  });
});
