/**
 * Journal fencing across processes: a holder with an open journal is SIGSTOPped past its lease
 * TTL, a second process takes the lease over, reads the acknowledged records and appends its own;
 * the first, SIGCONTed, appends and is refused with `lease_lost`, and no row of it lands. 10 rounds
 * (JIDO_STRESS=long: 100), with a short TTL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropSchema, testDatabase } from './support/database.js';
import { type PgWorker, startPgWorker } from './support/workers.js';

const rounds = process.env.JIDO_STRESS === 'long' ? 100 : 10;
const ttlMs = 400;
const database = testDatabase();
const options = { url: database.url, schema: database.newSchema(), leaseTtlMs: ttlMs };
let first: PgWorker;
let second: PgWorker;

beforeAll(async () => {
  [first, second] = await Promise.all([startPgWorker(options), startPgWorker(options)]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await dropSchema(database.url, options.schema);
});

it(`a journal holder paused past its TTL cannot append after a takeover (${rounds} rounds, ${database.kind})`, {
  timeout: rounds * 10_000,
}, async () => {
  for (let round = 0; round < rounds; round++) {
    const id = randomUUID();
    expect(await first.ask(`acquire ${id} 0`)).toBe(`ok acquire ${id}`);
    expect(await first.ask(`jopen ${id}`)).toBe(`ok jopen ${id}`);
    expect(await first.ask(`jappend ${id} first-a`)).toBe('ok jappend 1');
    expect(await first.ask(`jappend ${id} first-b`)).toBe('ok jappend 2');
    first.process.child.kill('SIGSTOP');
    try {
      expect(await second.ask(`acquire ${id} ${ttlMs * 20}`)).toBe(`ok acquire ${id}`);
      expect(await second.ask(`jread ${id}`)).toBe('ok jread 2 first-a,first-b');
      expect(await second.ask(`jopen ${id}`)).toBe(`ok jopen ${id}`);
      expect(await second.ask(`jappend ${id} second`)).toBe('ok jappend 3');
    } finally {
      first.process.child.kill('SIGCONT');
    }
    expect(await first.ask(`jappend ${id} first-late`)).toBe('err jappend lease_lost');
    expect(await second.ask(`jappend ${id} second-again`)).toBe('ok jappend 4');
    expect(await second.ask(`jread ${id}`)).toBe('ok jread 4 first-a,first-b,second,second-again');
    await second.ask(`release ${id}`);
    await first.ask(`release ${id}`);
  }
});
