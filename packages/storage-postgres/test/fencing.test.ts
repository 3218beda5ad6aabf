/**
 * Fencing across processes: a holder SIGSTOPped past its lease TTL is taken over by a second
 * process, which writes; the first, SIGCONTed, tries to write and is refused with `lease_lost`, and
 * the second's state is intact. 100 rounds (JIDO_STRESS=long: 1,000), with a short TTL so that a
 * round takes well under a second of waiting.
 */
import { randomUUID } from 'node:crypto';
import type { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { type PgWorker, startPgWorker } from './support/workers.js';

const rounds = process.env.JIDO_STRESS === 'long' ? 1000 : 100;
const ttlMs = 400;
const database = testDatabase();
const options = { url: database.url, schema: database.newSchema(), leaseTtlMs: ttlMs };
let store: SessionStore<PostgresBackend>;
let first: PgWorker;
let second: PgWorker;

beforeAll(async () => {
  store = await openConformanceStore(options, {});
  [first, second] = await Promise.all([startPgWorker(options), startPgWorker(options)]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

it(`a holder paused past its TTL cannot overwrite the new holder (${rounds} rounds, ${database.kind})`, {
  timeout: rounds * 5_000,
}, async () => {
  let refused = 0;
  for (let round = 0; round < rounds; round++) {
    const id = randomUUID();
    const now = new Date().toISOString();
    const saved = await store.save({
      version: 1,
      id,
      name: 'initial',
      project_path: '/tmp/fencing',
      config: { provider: 'anthropic', model: 'claude' },
      created_at: now,
      updated_at: now,
      closed_at: null,
      conversation: [],
      todos: [],
    });
    expect(saved.ok || saved.error).toBe(true);
    expect(await first.ask(`acquire ${id} 0`)).toBe(`ok acquire ${id}`);
    expect(await first.ask(`write ${id} first-${round}`)).toBe(`ok write ${id}`);
    first.process.child.kill('SIGSTOP');
    try {
      // The second process retries until the first's lease has expired by the server's clock.
      expect(await second.ask(`acquire ${id} ${ttlMs * 20}`)).toBe(`ok acquire ${id}`);
      expect(await second.ask(`write ${id} second-${round}`)).toBe(`ok write ${id}`);
    } finally {
      first.process.child.kill('SIGCONT');
    }
    const late = await first.ask(`write ${id} late-${round}`);
    expect(late).toBe('err write lease_lost');
    refused += 1;
    const loaded = await store.load(id);
    expect(loaded.ok && loaded.value.session.name).toBe(`second-${round}`);
    // The new holder keeps its fence (no one took over from it) and goes on writing.
    expect(await second.ask(`write ${id} second-again-${round}`)).toBe(`ok write ${id}`);
    const after = await store.load(id);
    expect(after.ok && after.value.session.name).toBe(`second-again-${round}`);
    await second.ask(`release ${id}`);
    await first.ask(`release ${id}`);
  }
  expect(refused).toBe(rounds);
});
