// Guarantees 1 (durable writes) and 3 (crash safety) under SIGKILL: a child process saves one
// session in a loop (payloads from 1 KB to near the 10 MiB cap) while appending journal records,
// printing every acknowledged operation; the parent kills it at random moments and at every named
// crash point of storage (JIDO_TEST_CRASH_POINT), then checks the home with the same oracle that
// is shown, below, to catch a deliberately naive writer.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CrashPoint } from '@jido-code/storage/internal';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { plantStaleLock } from '../support/dead-pid.js';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { checkHome } from '../support/home-check.js';
import { counterOf } from '../support/session-data.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { ageFile, listTempFiles } from '../support/temp-files.js';
import { crashPointEnv, Worker, WorkerQueue } from '../support/worker.js';

/** SIGKILLs at random moments: 50 by default, 1,000 with JIDO_STRESS=long. */
const randomKills = scaled(50, 1000);
/** SIGKILLs at each named crash point: 5 by default, 100 with JIDO_STRESS=long. */
const killsPerPoint = scaled(5, 100);
/**
 * Payload sizes (bytes of message content), cycled by the workers. By default 1 KB, 64 KB, 1 MiB
 * and one save in six near the cap (9 MiB); the long form spreads eight sizes up to 10,000,000.
 */
const payloadSizes = scaled(
  [1024, 64 * 1024, 1024 * 1024, 1024, 64 * 1024, 9 * 1024 * 1024],
  [1024, 8 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024, 3 * 1024 * 1024, 6 * 1024 * 1024, 10_000_000],
);
/** Every crash point the issue names, plus the journal's two. */
const namedPoints: readonly CrashPoint[] = [
  'after-temp-open',
  'mid-write',
  'after-fsync',
  'after-rename',
  'before-dir-fsync',
  'holding-lock',
  'lock-takeover',
  'key-creation',
  'journal-mid-append',
  'journal-after-append',
];
/** Journal records per worker before a journal is continued by the next one; rotated to bound its size. */
const workersPerJournal = 10;
const oldAgeMs = 10 * 60 * 1000;

interface Plan {
  readonly point?: CrashPoint;
  /** The N of `<point>@N`: die the Nth time the point is reached. */
  readonly nth: number;
  readonly home: string;
  readonly worker: number;
}

const factory = new SessionFactory({ seed: 42 });
const sessionId = factory.uuid();
const journalIds = Array.from(
  { length: 1 + Math.ceil((randomKills + namedPoints.length * killsPerPoint) / workersPerJournal) },
  () => factory.uuid(),
);
const sharedHome = join(realpathSync(mkdtempSync(join(tmpdir(), 'jido-crash-'))), 'home');

function nthFor(point: CrashPoint | undefined): number {
  if (point === 'key-creation' || point === 'lock-takeover') return 1;
  if (point === 'journal-mid-append' || point === 'journal-after-append')
    return 1 + Math.floor(Math.random() * 20);
  return 1 + Math.floor(Math.random() * 2);
}

/** Every worker the file will run, in order: random kills, then each named point. */
const plans: Plan[] = [
  ...Array.from({ length: randomKills }, () => undefined),
  ...namedPoints.flatMap((point) => Array.from({ length: killsPerPoint }, () => point)),
].map((point, worker) => ({
  ...(point === undefined ? {} : { point }),
  nth: nthFor(point),
  // Key creation happens once per home: each of those kills gets a home without a keyring.
  home:
    point === 'key-creation'
      ? join(realpathSync(mkdtempSync(join(tmpdir(), 'jido-crash-key-'))), 'home')
      : sharedHome,
  worker,
}));

function startPlan(index: number): Worker {
  const plan = plans[index] as Plan;
  const env = crashPointEnv(plan.point, plan.nth);
  return new Worker(
    'crash-worker',
    [
      'save',
      plan.home,
      sessionId,
      journalIds[Math.floor(index / workersPerJournal)] as string,
      payloadSizes.join(','),
      String(index * 1_000_000 + 1),
      String(index),
    ],
    env,
  );
}

let queue: WorkerQueue | undefined;
let nextPlan = 0;

/** What the harness knows about each home: the last acknowledged counter and journal records. */
const lastAck = new Map<string, number>();
const journalAcks = new Map<string, Set<string>>();
const totals = {
  kills: 0,
  acknowledgedSaves: 0,
  acknowledgedRecords: 0,
  tempFilesSwept: 0,
  tempFilesKeptFresh: 0,
  newerThanAcknowledged: 0,
  maxCheckedFiles: 0,
};
const perPoint: Record<string, number> = {};
const keptFresh = new Set<string>();
let tempTurn = 0;

function acknowledged(lines: readonly string[], prefix: string): number[] {
  return lines.filter((line) => line.startsWith(prefix)).map((line) => Number(line.slice(prefix.length)));
}

/** Runs the next planned worker to its death, then checks the home. */
async function killAndCheck(): Promise<void> {
  queue ??= new WorkerQueue(startPlan, { ahead: 2, total: plans.length });
  const index = nextPlan++;
  const plan = plans[index] as Plan;
  const worker = queue.next();
  if (plan.point === 'lock-takeover') {
    // A lock left by a dead process: the worker's first save must take it over.
    mkdirSync(join(plan.home, 'locks'), { recursive: true, mode: 0o700 });
    plantStaleLock(join(plan.home, 'locks', `session-${sessionId}.lock`));
  }
  worker.go();
  if (plan.point === undefined) {
    await worker.until((lines) => lines.includes('ready'));
    const acksWanted = Math.floor(Math.random() * 3);
    await worker.until((lines) => acknowledged(lines, 'ack ').length >= acksWanted);
    // Meanwhile another process starts on the same home (its open sweeps temp files): a live
    // write's temp file must survive it, or the worker's save fails and it exits with an error.
    await Promise.all([sleep(Math.random() * 250), openStore(plan.home, { env: {} })]);
    if (worker.done)
      throw new Error(`worker ${index} ended before the kill: ${(await worker.exited).stderr}`);
  }
  // Under a named point the worker must kill itself there; the timeout only guards a point that is
  // never reached (the test then fails).
  const exit =
    plan.point === undefined
      ? await worker.kill()
      : await worker.exitWithin(120_000, `worker ${index} never reached crash point ${plan.point}`);
  // Under a named point the worker kills itself; either way it must have died of SIGKILL, not of
  // an error (a failed save or a lock it could not take exits with a code).
  expect(exit.signal, `worker ${index} (${plan.point ?? 'random'}): ${exit.stderr}`).toBe('SIGKILL');
  totals.kills += 1;
  perPoint[plan.point ?? 'random'] = (perPoint[plan.point ?? 'random'] ?? 0) + 1;

  const acks = acknowledged(worker.lines, 'ack ');
  totals.acknowledgedSaves += acks.length;
  if (acks.length > 0) lastAck.set(plan.home, Math.max(lastAck.get(plan.home) ?? 0, ...acks));
  const journalId = journalIds[Math.floor(index / workersPerJournal)] as string;
  const journalKey = `${plan.home}:${journalId}`;
  const records = journalAcks.get(journalKey) ?? new Set<string>();
  for (const k of acknowledged(worker.lines, 'jack ')) records.add(`${index}:${k}`);
  totals.acknowledgedRecords += acknowledged(worker.lines, 'jack ').length;
  journalAcks.set(journalKey, records);

  // Temp files left by kills: each new one is, in turn, aged past the sweep limit (a dead write) or
  // left fresh (as a live write's would be, until the next round, when it is aged). The next start
  // must remove exactly the old ones.
  const temps = listTempFiles(plan.home);
  const aged: string[] = [];
  const fresh: string[] = [];
  for (const temp of temps) {
    if (keptFresh.has(temp) || tempTurn++ % 2 === 0) aged.push(temp);
    else fresh.push(temp);
  }
  for (const temp of aged) await ageFile(plan.home, temp, oldAgeMs);
  const store = await openStore(plan.home, { env: {} });
  const after = listTempFiles(plan.home);
  for (const temp of aged) expect(after, `old temp file ${temp} survived the next start`).not.toContain(temp);
  for (const temp of fresh) expect(after, `fresh temp file ${temp} was swept`).toContain(temp);
  for (const temp of fresh) keptFresh.add(temp);
  totals.tempFilesSwept += aged.length;
  totals.tempFilesKeptFresh += fresh.length;

  const check = await checkHome(plan.home, store);
  expect(check.broken, `after kill ${index} (${plan.point ?? 'random'})`).toEqual([]);
  totals.maxCheckedFiles = Math.max(totals.maxCheckedFiles, check.checked);
  const last = lastAck.get(plan.home);
  if (last !== undefined) {
    const loaded = check.sessions.get(sessionId);
    if (loaded === undefined)
      throw new Error(`kill ${index}: the session is gone after c${last} was acknowledged`);
    const onDisk = counterOf(loaded.session);
    expect(onDisk, `kill ${index}: disk holds c${onDisk}, last acknowledged c${last}`).toBeGreaterThanOrEqual(
      last,
    );
    if (onDisk > last) totals.newerThanAcknowledged += 1;
  }
  if (records.size > 0) {
    const contents = must(await must(await store.journals()).read(journalId));
    expect(contents.corruption, `journal after kill ${index}`).toBeUndefined();
    const found = new Set(
      contents.records.map((record) => {
        const data = record.data as { w: number; k: number };
        return `${data.w}:${data.k}`;
      }),
    );
    const lost = [...records].filter((record) => !found.has(record));
    expect(lost, `acknowledged journal records lost after kill ${index}`).toEqual([]);
  }
}

describe('process crashes (guarantees 1 and 3)', () => {
  afterAll(async () => {
    await queue?.close();
    reportFigure('crash', { ...totals, perPoint, payloadSizes });
    const homes = new Set(plans.map((plan) => plan.home));
    for (const home of homes) await removeHome(home);
  });

  it(
    `loses no acknowledged save or journal record over ${randomKills} SIGKILLs at random moments`,
    async () => {
      for (let kill = 0; kill < randomKills; kill++) await killAndCheck();
      expect(totals.acknowledgedSaves).toBeGreaterThan(0);
      expect(totals.acknowledgedRecords).toBeGreaterThan(0);
    },
    testTimeoutMs,
  );

  for (const point of namedPoints) {
    it(
      `loses nothing acknowledged over ${killsPerPoint} SIGKILLs at crash point ${point}`,
      async () => {
        for (let kill = 0; kill < killsPerPoint; kill++) await killAndCheck();
        expect(perPoint[point]).toBe(killsPerPoint);
      },
      testTimeoutMs,
    );
  }

  it('still saves, loads and verifies in the shared home after every kill', async () => {
    const store = await openStore(sharedHome, { env: {} });
    const current = must(await store.load(sessionId)).session;
    must(await store.save({ ...current, name: 'after-the-kills' }));
    expect(must(await store.load(sessionId)).session.name).toBe('after-the-kills');
    const report = must(await store.verifyAll());
    expect(report.failed).toEqual([]);
  });
});

describe('the harness can fail', () => {
  /** Bounded attempts to catch the naive writer corrupting its file. */
  const maxAttempts = 25;

  it(
    'catches a naive in-place writeFileSync tearing its file under SIGKILL',
    async () => {
      const home = await makeHome('jido-naive-');
      const id = factory.uuid();
      const naive = new WorkerQueue(
        () => new Worker('crash-worker', ['naive', home, id, String(6 * 1024 * 1024)]),
      );
      let attempts = 0;
      const reasons: string[] = [];
      try {
        while (attempts < maxAttempts && reasons.length === 0) {
          attempts += 1;
          const worker = naive.next();
          worker.go();
          await worker.until((lines) => lines.includes('naive'));
          await sleep(Math.random() * 40);
          const exit = await worker.kill();
          expect(exit.signal, exit.stderr).toBe('SIGKILL');
          const check = await checkHome(home);
          reasons.push(...check.broken.map((broken) => `${broken.file}: ${broken.reason}`));
        }
      } finally {
        await naive.close();
        await removeHome(home);
      }
      reportFigure('naive-writer', { attempts, detected: reasons.length > 0, reasons });
      expect(
        reasons.length,
        `the checker never caught the naive writer in ${attempts} kills`,
      ).toBeGreaterThan(0);
    },
    testTimeoutMs,
  );
});
