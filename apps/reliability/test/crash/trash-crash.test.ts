// The trash's crash safety (issue #17): a child process moves one session to the trash and back in
// a loop, and is SIGKILLed at random moments and at each named point of a move (while the record
// is written, after it, after the rename, between the two folder fsyncs) and of a restore (after
// the rename, before its record is removed). After every kill the session is in exactly one place,
// live or trashed, whole and verified, and the next start (a fresh store listing the trash)
// repairs any half-done record, so the trash lists no problem.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CrashPoint } from '@jido-code/storage/internal';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { crashPlanQueue, type WorkerQueue } from '../support/worker.js';

/** SIGKILLs at random moments: 20 by default, 200 with JIDO_STRESS=long. */
const randomKills = scaled(20, 200);
/** SIGKILLs at each named point: 5 by default (35 + 20 = 55 kills), 100 with JIDO_STRESS=long. */
const killsPerPoint = scaled(5, 100);
/** `mid-write` and `after-fsync` fire inside the record's durable write: the worker writes nothing else. */
const namedPoints: readonly CrashPoint[] = [
  'mid-write',
  'after-fsync',
  'trash-after-record',
  'trash-after-rename',
  'trash-before-sessions-fsync',
  'restore-after-rename',
  'restore-before-record-purge',
];

const factory = new SessionFactory({ seed: 1717 });
const session = factory.session({ name: 'crash in the trash', messageCount: 6 });
const plans: (CrashPoint | undefined)[] = [
  ...Array.from({ length: randomKills }, () => undefined),
  ...namedPoints.flatMap((point) => Array.from({ length: killsPerPoint }, () => point)),
];

let home = '';
let queue: WorkerQueue | undefined;
const perPoint: Record<string, number> = {};
const places = { live: 0, trashed: 0 };

afterAll(async () => {
  await queue?.close();
  if (home !== '') await removeHome(home);
});

/** Where the session is after a kill: exactly one of live or trashed, or the test fails. */
async function whereIsIt(): Promise<'live' | 'trashed'> {
  const store = await openStore(home, { env: {} });
  const live = await store.load(session.id);
  const trash = must(await store.listTrash());
  expect(trash.problems, 'the next start repairs a half-written record').toEqual([]);
  const entries = trash.entries.filter((entry) => entry.id === session.id);
  expect((live.ok ? 1 : 0) + entries.length, 'live or trashed, never both, never lost').toBe(1);
  const [entry] = entries;
  const loaded = entry === undefined ? live : await store.loadTrashed(entry);
  expect(loaded.ok && loaded.value.signed).toBe(true);
  expect(loaded.ok && loaded.value.session.conversation).toEqual(session.conversation);
  // No file in the trash without its record, nor a record without its file.
  const names = await readdir(join(home, 'trash')).catch(() => [] as string[]);
  const files = names.filter((name) => !name.endsWith('.record.json') && name.endsWith('.json'));
  const records = names.filter((name) => name.endsWith('.record.json'));
  expect(records.map((name) => name.replace('.record.json', '.json')).sort()).toEqual(files.sort());
  return live.ok ? 'live' : 'trashed';
}

describe('SIGKILL during moves to and from the trash', () => {
  it(
    `leaves the session in exactly one place after ${plans.length} kills`,
    async () => {
      home = await makeHome('jido-trash-crash-');
      const setup = await openStore(home, { env: {} });
      must(await setup.save(session));
      queue = crashPlanQueue(plans, 'trash-worker', ['cycle', home, session.id]);
      for (const [index, point] of plans.entries()) {
        const worker = queue.next();
        worker.go();
        if (point === undefined) {
          await worker.until((lines) => lines.includes('ready'));
          const steps = 1 + Math.floor(Math.random() * 4);
          await worker.until((lines) => lines.length > steps);
          await worker.kill();
        } else {
          const exit = await worker.exitWithin(120_000, `worker ${index} never reached ${point}`);
          expect(exit.signal, `worker ${index} (${point}) died by its crash point`).toBe('SIGKILL');
        }
        perPoint[point ?? 'random'] = (perPoint[point ?? 'random'] ?? 0) + 1;
        const where = await whereIsIt();
        places[where] += 1;
        // The next worker starts from a live session (it trashes first).
        if (where === 'trashed') {
          const store = await openStore(home, { env: {} });
          const [entry] = must(await store.listTrash()).entries;
          must(await store.restoreFromTrash(entry?.entry ?? ''));
        }
      }
      reportFigure('trash-crash', { kills: plans.length, ...places, lost: 0, both: 0, perPoint });
    },
    testTimeoutMs,
  );
});
