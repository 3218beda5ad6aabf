// The trash under concurrency (issue #17), across real processes:
// - a restore racing an empty of the same entry: the session ends whole and live, or gone from
//   both places; never half a session (a file without its record, or live and trashed at once);
// - a cleanup racing a resume of the same old session: exactly one wins. Either the resume saved
//   it (then it is live, never trashed: a leased or re-saved session is kept) or the cleanup moved
//   it to the trash first (then the resume finds it gone). Never both, never lost.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { Worker } from '../support/worker.js';

const rounds = scaled(200, 1000);
const day = 24 * 60 * 60 * 1000;
const factory = new SessionFactory({ seed: 1718 });

let home = '';
const workers: Worker[] = [];

beforeAll(async () => {
  home = await makeHome('jido-trash-race-');
  await openStore(home, { env: {} });
});

afterAll(async () => {
  for (const worker of workers) await worker.kill();
  await removeHome(home);
});

function served(): Worker {
  const worker = new Worker('trash-worker', ['serve', home]);
  workers.push(worker);
  worker.go();
  return worker;
}

async function trashFiles(): Promise<{ files: string[]; records: string[] }> {
  const names = await readdir(join(home, 'trash')).catch(() => [] as string[]);
  return {
    files: names.filter((name) => name.endsWith('.json') && !name.endsWith('.record.json')),
    records: names.filter((name) => name.endsWith('.record.json')),
  };
}

describe('the trash across processes', () => {
  it(
    `a restore racing an empty never leaves half a session (${rounds} rounds)`,
    async () => {
      const store = await openStore(home, { env: {} });
      const session = factory.session({ name: 'restore or empty', messageCount: 4 });
      const [restorer, emptier] = [served(), served()];
      await Promise.all([restorer.line(/^ready$/), emptier.line(/^ready$/)]);
      const outcomes = { restored: 0, emptied: 0 };
      for (let round = 1; round <= rounds; round++) {
        must(await store.save(session));
        must(await store.trash(session.id));
        const [entry] = must(await store.listTrash()).entries;
        const marks = [restorer.lines.length, emptier.lines.length];
        restorer.send(`restore ${round} ${entry?.entry ?? ''}`);
        emptier.send(`empty ${round}`);
        const restored = await restorer.line(new RegExp(`^restore ${round} `), marks[0]);
        await emptier.line(new RegExp(`^empty ${round} `), marks[1]);
        const live = await store.load(session.id);
        const trash = must(await store.listTrash());
        expect(trash.problems, `round ${round}`).toEqual([]);
        expect(trash.entries, `round ${round}: the trash is empty either way`).toEqual([]);
        const files = await trashFiles();
        expect(files, `round ${round}: no file or record left in the trash`).toEqual({
          files: [],
          records: [],
        });
        if (restored.endsWith(' ok')) {
          expect(live.ok && live.value.session.conversation, `round ${round}: restored whole`).toEqual(
            session.conversation,
          );
          outcomes.restored += 1;
          must(await store.delete(session.id, { purge: true }));
        } else {
          expect(restored, `round ${round}`).toBe(`restore ${round} not_found`);
          expect(live.ok, `round ${round}: emptied, so not live`).toBe(false);
          outcomes.emptied += 1;
        }
      }
      reportFigure('trash-restore-vs-empty', { rounds, ...outcomes, halfSessions: 0 });
    },
    testTimeoutMs,
  );

  it(
    `a cleanup racing a resume of the same session: exactly one wins (${rounds} rounds)`,
    async () => {
      const store = await openStore(home, { env: {} });
      const old = new Date(Date.now() - 60 * day).toISOString();
      const session = {
        ...factory.session({ name: 'resume or trash', messageCount: 3 }),
        updated_at: old,
        closed_at: old,
      };
      const [cleaner, resumer] = [served(), served()];
      await Promise.all([cleaner.line(/^ready$/), resumer.line(/^ready$/)]);
      const outcomes = { resumed: 0, trashed: 0 };
      for (let round = 1; round <= rounds; round++) {
        must(await store.save({ ...session, last_resumed_at: null }));
        const marks = [cleaner.lines.length, resumer.lines.length];
        cleaner.send(`cleanup ${round} 30`);
        resumer.send(`resume ${round} ${session.id}`);
        const cleaned = await cleaner.line(new RegExp(`^cleanup ${round} `), marks[0]);
        const resumed = await resumer.line(new RegExp(`^resume ${round} `), marks[1]);
        const trashedByCleanup = cleaned.split(' ')[2]?.split(',').includes(session.id) === true;
        const live = await store.load(session.id);
        const entries = must(await store.listTrash()).entries.filter((entry) => entry.id === session.id);
        expect((live.ok ? 1 : 0) + entries.length, `round ${round}: in exactly one place`).toBe(1);
        if (resumed.endsWith(' ok')) {
          // The resume won: it saved under its lease, so cleanup kept the session.
          expect(trashedByCleanup, `round ${round}: a resumed session was trashed`).toBe(false);
          expect(live.ok && live.value.session.last_resumed_at, `round ${round}`).toBeTruthy();
          outcomes.resumed += 1;
        } else {
          expect(resumed, `round ${round}`).toBe(`resume ${round} gone`);
          expect(trashedByCleanup, `round ${round}: gone, so the cleanup moved it`).toBe(true);
          expect(entries, `round ${round}`).toHaveLength(1);
          outcomes.trashed += 1;
        }
        // Back to the starting point: no trash, the old session live again.
        must(await store.emptyTrash());
      }
      reportFigure('trash-cleanup-vs-resume', { rounds, ...outcomes, lost: 0, both: 0 });
    },
    testTimeoutMs,
  );
});
