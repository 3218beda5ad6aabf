/**
 * Cross-process, on the run's server: 8 processes × 200 read-modify-write updates of one session
 * leave exactly 1,600 (default 8 × 16 = 128 on PGlite, whose one backend serializes everything;
 * JIDO_STRESS=long: 8 × 200 everywhere), and 8 processes racing to resume one session: exactly one
 * winner, every other told `already_open_elsewhere`.
 */
import { unwrap } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';
import { type PgWorker, startPgWorker } from './support/workers.js';

const database = testDatabase();
const long = process.env.JIDO_STRESS === 'long';
const processes = 8;
const updatesEach = long || database.kind === 'postgresql' ? 200 : 16;
const options = { url: database.url, schema: database.newSchema() };
let store: SessionStore<PostgresBackend>;
let workers: PgWorker[] = [];

beforeAll(async () => {
  store = await openConformanceStore(options, {});
  workers = await Promise.all(Array.from({ length: processes }, () => startPgWorker(options)));
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

it(`${processes} processes × ${updatesEach} read-modify-write updates: exactly ${processes * updatesEach} (${database.kind})`, {
  timeout: 900_000,
}, async () => {
  const session = testSession({}, 0);
  const saved = await store.save(session);
  expect(saved.ok || saved.error).toBe(true);
  const replies = await Promise.all(
    workers.map((worker, index) => worker.ask(`update ${session.id} w${index} ${updatesEach}`, 900_000)),
  );
  expect(replies).toEqual(workers.map(() => `ok update ${session.id}`));
  const loaded = await store.load(session.id);
  if (!loaded.ok) throw loaded.error;
  expect(loaded.value.signed).toBe(true);
  expect(loaded.value.session.cumulative_usage?.counter).toBe(processes * updatesEach);
  const ids = new Set(loaded.value.session.conversation.map((message) => message.id));
  expect(ids.size).toBe(processes * updatesEach);
});

it(`the resume race: ${processes} processes take one session's lease at once, exactly one wins`, async () => {
  for (let round = 0; round < 5; round++) {
    const session = testSession();
    const saved = await store.save(session);
    expect(saved.ok || saved.error).toBe(true);
    const replies = await Promise.all(workers.map((worker) => worker.ask(`acquire ${session.id} 0`)));
    const winners = replies.filter((reply) => reply.startsWith('ok'));
    expect(winners).toHaveLength(1);
    expect(replies.filter((reply) => reply === 'err acquire already_open_elsewhere')).toHaveLength(
      processes - 1,
    );
    const winner = workers[replies.indexOf(winners[0] ?? '')];
    expect(unwrap(await store.leaseHolder(session.id))?.pid).toBe(winner?.pid);
    await Promise.all(workers.map((worker) => worker.ask(`release ${session.id}`)));
    expect(unwrap(await store.leaseHolder(session.id))).toBeUndefined();
  }
});
