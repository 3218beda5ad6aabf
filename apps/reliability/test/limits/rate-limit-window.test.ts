// Guarantee 8 (docs/architecture.md) (rate limits) at the window edges, across processes: three processes consume
// `resume` attempts against one store's shared rate-limit document, each with an injected clock
// set per attempt; the sliding window must be exact to the millisecond, per session and globally.
// On a file home, and on PostgreSQL (where the processes stand for hosts sharing one database).
import { unwrap } from '@jido-code/core-schema';
import { openPostgresStore } from '@jido-code/storage-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, openStore, removeHome } from '../support/home.js';
import { type PostgresServer, startPostgresServer } from '../support/postgres-server.js';
import { Worker } from '../support/worker.js';

/** [process, key, time (ms after the base), allowed, retryAfterMs, remaining, refusing scope] */
type Step = readonly [number, string, number, boolean, number, number, string];

const base = Date.parse('2025-06-01T00:00:00.000Z');
/** Defaults: 5 per session and 20 globally per 60,000 ms. */
const perSession: readonly Step[] = [
  [0, 's1', 0, true, 0, 4, '-'],
  [1, 's1', 1_000, true, 0, 3, '-'],
  [2, 's1', 2_000, true, 0, 2, '-'],
  [0, 's1', 3_000, true, 0, 1, '-'],
  [1, 's1', 4_000, true, 0, 0, '-'],
  // One millisecond before the first hit leaves the window: refused, retry in exactly 1 ms.
  [2, 's1', 59_999, false, 1, 0, 'key'],
  // At exactly +60,000 ms the first hit stops counting: one slot.
  [0, 's1', 60_000, true, 0, 0, '-'],
  [1, 's1', 60_000, false, 1_000, 0, 'key'],
  [2, 's1', 60_999, false, 1, 0, 'key'],
  [0, 's1', 61_000, true, 0, 0, '-'],
];
const globalBase = 10_000_000;
const global: readonly Step[] = [
  ...Array.from(
    { length: 20 },
    (_, index): Step => [index % 3, `g${index}`, globalBase + index, true, 0, Math.min(4, 19 - index), '-'],
  ),
  [1, 'g20', globalBase + 59_999, false, 1, 0, 'global'],
  [2, 'g20', globalBase + 60_000, true, 0, 0, '-'],
  [0, 'g21', globalBase + 60_000, false, 1, 0, 'global'],
  [1, 'g21', globalBase + 60_001, true, 0, 0, '-'],
];

/** The store the three processes share: where they find it, and how to remove it afterwards. */
interface SharedStore {
  /** The worker's arguments after `limit`: the home, or the URL then the clock then the schema. */
  readonly args: (now: string) => string[];
  /** The size of the shared rate-limit state, read where the processes keep it. */
  stateBytes(): Promise<number>;
  remove(): Promise<void>;
}

async function fileStore(): Promise<SharedStore> {
  const home = await makeHome('jido-limit-');
  const store = await openStore(home);
  const document = unwrap(store.rateLimitDocument());
  return {
    args: (now) => [home, now],
    stateBytes: () => document.update((current) => ({ result: current?.length ?? 0 })),
    remove: () => removeHome(home),
  };
}

async function postgresStore(): Promise<SharedStore> {
  const server: PostgresServer = await startPostgresServer();
  const schema = server.newSchema();
  // Migrated once here, so the processes meet a ready schema.
  const opened = await openPostgresStore({ url: server.url, schema, env: {} });
  if (!opened.ok) throw opened.error;
  const store = opened.value;
  const document = unwrap(store.rateLimitDocument());
  return {
    args: (now) => [server.url, now, schema],
    stateBytes: () => document.update((current) => ({ result: current?.length ?? 0 })),
    async remove() {
      await store.backend.db.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => {});
      await store.backend.close();
      await server.stop();
    },
  };
}

describe.each([
  ['a file home', fileStore],
  ['PostgreSQL', postgresStore],
])('resume rate limits at the window edges across processes on %s (guarantee 8)', (backend, open) => {
  let shared: SharedStore | undefined;
  let workers: Worker[] = [];

  beforeAll(async () => {
    shared = await open();
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('JIDO_RESUME_')) delete env[key];
    const args = shared.args(new Date(base).toISOString());
    workers = [0, 1, 2].map(() => new Worker('session-worker', ['limit', ...args], env));
    for (const worker of workers) worker.go();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await shared?.remove();
  });

  async function run(steps: readonly Step[]): Promise<void> {
    for (const [index, [process, key, time, allowed, retryAfterMs, remaining, scope]] of steps.entries()) {
      const worker = workers[process] as Worker;
      const mark = worker.lines.length;
      worker.send(`consume ${key} ${base + time}`);
      const line = await worker.line(/^decision /, mark);
      expect(line, `step ${index}: process ${process}, ${key} at +${time} ms`).toBe(
        `decision ${allowed} ${retryAfterMs} ${remaining} ${scope}`,
      );
    }
  }

  it('is exact per session: 5 per 60 s, refused at +59,999 ms, a slot again at +60,000 ms', async () => {
    await run(perSession);
    reportFigure('rate-limit-edges', {
      backend,
      scope: 'per-session',
      steps: perSession.length,
      processes: 3,
    });
  });

  it('is exact globally: 20 per 60 s over 20 sessions, edges at +59,999 and +60,000 ms', async () => {
    await run(global);
    reportFigure('rate-limit-edges', { backend, scope: 'global', steps: global.length, processes: 3 });
  });

  it('keeps the state in the store the processes share, which this process reads back', async () => {
    expect(await shared?.stateBytes()).toBeGreaterThan(0);
  });
});
