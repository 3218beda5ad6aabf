// A crash during a fork (issue #20): a child process forks one saved session in a loop
// (`forkSession`, what `jido sessions fork` runs) and is SIGKILLed at random moments and at the
// named crash points a fork passes (the source's lock, each step of the fork's durable write, the
// search index after it). After every kill: each fork on disk is complete, signed and loads, with
// exactly the source's messages; every acknowledged fork is there; the source's bytes are unchanged;
// and the next start sweeps every temp file the kill left.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CrashPoint } from '@jido-code/storage/internal';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { checkHome } from '../support/home-check.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { ageFile, listTempFiles } from '../support/temp-files.js';
import { crashPlanQueue, type WorkerQueue } from '../support/worker.js';

/** SIGKILLs at random moments: 15 by default, 200 with JIDO_STRESS=long. */
const randomKills = scaled(15, 200);
/** SIGKILLs at each named point: 5 by default (35 + 15 = 50 kills), 100 with JIDO_STRESS=long. */
const killsPerPoint = scaled(5, 100);
const namedPoints: readonly CrashPoint[] = [
  'holding-lock',
  'after-temp-open',
  'mid-write',
  'after-fsync',
  'after-rename',
  'before-dir-fsync',
  'before-search-index',
];
/** Older than the sweep's limit (5 minutes): a temp file of a dead write. */
const oldAgeMs = 10 * 60 * 1000;

const factory = new SessionFactory({ seed: 2021 });
const source = factory.session({ name: 'fork under kill', messageCount: 40, todoCount: 3 });
const plans: (CrashPoint | undefined)[] = [
  ...Array.from({ length: randomKills }, () => undefined),
  ...namedPoints.flatMap((point) => Array.from({ length: killsPerPoint }, () => point)),
];

let home = '';
let queue: WorkerQueue | undefined;

afterAll(async () => {
  await queue?.close();
  if (home !== '') await removeHome(home);
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('SIGKILL during a fork', () => {
  it(
    `leaves no fork or a complete, signed fork, and the source unchanged, after ${plans.length} kills`,
    async () => {
      home = await makeHome('jido-fork-crash-');
      const setup = await openStore(home, { env: {} });
      must(await setup.save(source));
      const sourceFile = setup.backend.layout.sessionFile(source.id);
      const sourceSha = sha(await readFile(sourceFile));
      const expected = must(await setup.load(source.id)).session;
      const totals = {
        kills: 0,
        acknowledgedForks: 0,
        inFlightForkComplete: 0,
        noInFlightFork: 0,
        tempFilesSwept: 0,
      };
      const perPoint: Record<string, number> = {};
      queue = crashPlanQueue(plans, 'crash-worker', ['fork', home, source.id]);
      for (const [index, point] of plans.entries()) {
        const worker = queue.next();
        worker.go();
        const exit =
          point === undefined
            ? await (async () => {
                await worker.until((lines) => lines.includes('ready'));
                const wanted = Math.floor(Math.random() * 3);
                await worker.until(
                  (lines) => lines.filter((line) => line.startsWith('fork ')).length >= wanted,
                );
                await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
                return worker.kill();
              })()
            : await worker.exitWithin(120_000, `worker ${index} never reached ${point}`);
        expect(exit.signal, `worker ${index} (${point ?? 'random'}): ${exit.stderr}`).toBe('SIGKILL');
        totals.kills += 1;
        perPoint[point ?? 'random'] = (perPoint[point ?? 'random'] ?? 0) + 1;
        const acknowledged = worker.lines
          .filter((line) => line.startsWith('fork '))
          .map((line) => line.slice('fork '.length));
        totals.acknowledgedForks += acknowledged.length;

        // The next start sweeps what the kill left (temp files of a dead write are old by then).
        const left = listTempFiles(home);
        for (const temp of left) await ageFile(home, temp, oldAgeMs);
        totals.tempFilesSwept += left.length;
        const store = await openStore(home, { env: {} });
        const temps = listTempFiles(home);
        expect(temps, `kill ${index}: temp files left after the next start`).toEqual([]);

        const check = await checkHome(home, store);
        expect(check.broken, `kill ${index} (${point ?? 'random'})`).toEqual([]);
        expect(sha(await readFile(sourceFile)), `kill ${index}: the source was written`).toBe(sourceSha);
        const forks = [...check.sessions.values()].filter((loaded) => loaded.session.id !== source.id);
        for (const fork of forks) {
          expect(fork.signed, `kill ${index}: an unsigned fork`).toBe(true);
          expect(fork.session.parent_id).toBe(source.id);
          expect(fork.session.forked_at_message).toBe(expected.conversation.length);
          expect(fork.session.conversation).toEqual(expected.conversation);
          expect(fork.session.todos).toEqual(expected.todos);
        }
        const onDisk = new Set(forks.map((fork) => fork.session.id));
        for (const id of acknowledged)
          expect(onDisk, `kill ${index}: acknowledged fork ${id} lost`).toContain(id);
        if (forks.length > acknowledged.length) totals.inFlightForkComplete += 1;
        else totals.noInFlightFork += 1;
        expect(forks.length - acknowledged.length).toBeLessThanOrEqual(1);
        // Back to the source alone, so that every round starts the same way.
        for (const id of onDisk) must(await store.delete(id, { purge: true }));
      }
      reportFigure('fork-crash', { ...totals, perPoint, lost: 0, halfForks: 0 });
      expect(totals.kills).toBe(plans.length);
      // The kills did land inside forks: some left a fork's temp file, some a complete fork.
      expect(totals.tempFilesSwept).toBeGreaterThan(0);
      expect(totals.inFlightForkComplete).toBeGreaterThan(0);
    },
    testTimeoutMs,
  );
});
