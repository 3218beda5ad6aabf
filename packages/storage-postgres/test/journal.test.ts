/**
 * The journal as rows: group commit into one INSERT, fencing by the lease generation, the lease
 * needed to write, damage found on read, quarantine that keeps the bytes. (The journal cases of the
 * conformance suite, with real processes, run in conformance.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import type { Result } from '@jido-code/core-schema';
import type { JournalStore, SessionStore } from '@jido-code/storage';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';

const database = testDatabase();
const opened: { store: SessionStore<PostgresBackend>; schema: string }[] = [];

afterEach(async () => {
  for (const { store } of opened) await store.backend.close();
  for (const schema of new Set(opened.splice(0).map((entry) => entry.schema))) {
    await dropSchema(database.url, schema);
  }
});

function must<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function openStore(schema = database.newSchema()) {
  const store = await openConformanceStore({ url: database.url, schema, leaseTtlMs: 60_000 }, {});
  opened.push({ store, schema });
  return { store, schema, journals: must(await store.journals()) as JournalStore };
}

describe(`postgres journal (${database.kind})`, () => {
  it('commits 16 concurrent appends in fewer INSERTs, each acknowledged row readable', async () => {
    const { store, journals } = await openStore();
    const id = randomUUID();
    const lease = must(await store.acquireLease(id));
    const journal = must(await journals.open(id));
    const acks = await Promise.all(
      Array.from({ length: 16 }, (_, index) => journal.append('message', { index })),
    );
    expect(acks.map((ack) => must(ack).seq)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    expect(journal.stats.records).toBe(16);
    expect(journal.stats.syncs).toBeLessThan(16);
    const { rows } = await store.backend.db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM ${store.backend.schema}.journal WHERE session_id = $1`,
      [id],
    );
    expect(rows[0]?.n).toBe(16);
    const read = must(await journals.read(id));
    expect(read.records.map((record) => record.data)).toEqual(acks.map((_, index) => ({ index })));
    expect(must(await journals.list())).toEqual([id]);
    await journal.close();
    // Reopening continues the chain.
    const again = must(await journals.open(id));
    expect(must(await again.append('message', { index: 16 })).seq).toBe(17);
    await again.close();
    must(await journals.retire(id));
    must(await journals.retire(id));
    expect(must(await journals.list())).toEqual([]);
    expect((await journals.read(id)).ok).toBe(false);
    await lease.release();
  });

  it('refuses to open, retire or quarantine a journal without the lease', async () => {
    const { journals } = await openStore();
    const id = randomUUID();
    for (const attempt of [
      journals.open(id),
      journals.retire(id),
      journals.quarantine(id, 'bad-signature'),
    ]) {
      const result = await attempt;
      expect(result.ok ? 'ok' : result.error.code).toBe('lease_lost');
    }
    expect((await journals.open('not-a-uuid')).ok ? 'ok' : 'refused').toBe('refused');
  });

  it('refuses the appends of a holder whose lease was taken over, keeping the new holder’s rows', async () => {
    const first = await openStore();
    const id = randomUUID();
    must(await first.store.acquireLease(id));
    const journal = must(await first.journals.open(id));
    must(await journal.append('message', { by: 'first' }));
    // The lease expires (as after a pause past the TTL) and a second store takes it over.
    await first.store.backend.db.query(
      `UPDATE ${first.store.backend.schema}.leases SET expires_at = clock_timestamp() WHERE id = $1`,
      [id],
    );
    const second = await openStore(first.schema);
    const lease = must(await second.store.acquireLease(id));
    const late = await journal.append('message', { by: 'first, late' });
    expect(late.ok ? 'ok' : late.error.code).toBe('lease_lost');
    const after = await journal.append('message', { by: 'first, later' });
    expect(after.ok ? 'ok' : after.error.code).toBe('lease_lost');
    const read = must(await second.journals.read(id));
    expect(read.records.map((record) => record.data)).toEqual([{ by: 'first' }]);
    const taken = must(await second.journals.open(id));
    expect(must(await taken.append('message', { by: 'second' })).seq).toBe(2);
    expect((await first.journals.retire(id)).ok).toBe(false);
    must(await second.journals.retire(id));
    await lease.release();
  });

  it('reads damaged rows as corruption and quarantines them, bytes kept, under the lease', async () => {
    const { store, journals } = await openStore();
    const s = store.backend.schema;
    const id = randomUUID();
    must(await store.acquireLease(id));
    const journal = must(await journals.open(id));
    for (let index = 0; index < 3; index++) must(await journal.append('message', { index }));
    await journal.close();
    const { rows } = await store.backend.db.query<{ bytes: Buffer }>(
      `SELECT string_agg(record, ''::bytea ORDER BY seq) AS bytes FROM ${s}.journal WHERE session_id = $1`,
      [id],
    );
    // An edited record: the two before it are still returned.
    await store.backend.db.query(
      `UPDATE ${s}.journal
       SET record = convert_to(replace(convert_from(record, 'UTF8'), '"index":2', '"index":9'), 'UTF8')
       WHERE session_id = $1 AND seq = 3`,
      [id],
    );
    const edited = must(await journals.read(id));
    expect(edited.records).toHaveLength(2);
    expect(edited.corruption?.details.reason).toBe('signature invalid');
    expect((await journals.open(id)).ok).toBe(false);
    // A last record without its newline is damage too: a row is never torn.
    await store.backend.db.query(
      `UPDATE ${s}.journal SET record = substring(record FROM 1 FOR octet_length(record) - 1)
       WHERE session_id = $1 AND seq = 3`,
      [id],
    );
    const cut = must(await journals.read(id));
    expect(cut.tornTail).toBe(false);
    expect(cut.corruption?.details.reason).toBe('incomplete record');
    const moved = must(await journals.quarantine(id, 'damaged-line'));
    expect(moved.sessionId).toBe(id);
    expect(must(await journals.list())).toEqual([]);
    expect(must(await journals.listQuarantined()).map((entry) => entry.fileName)).toEqual([moved.fileName]);
    expect(must(await store.quarantinedJournals()).map((entry) => entry.reason)).toEqual(['damaged-line']);
    const kept = await store.backend.db.query<{ records: Buffer; record_count: number }>(
      `SELECT records, record_count FROM ${s}.journal_quarantine WHERE entry = $1`,
      [moved.fileName],
    );
    expect(kept.rows[0]?.record_count).toBe(3);
    expect(kept.rows[0]?.records.subarray(0, 100)).toEqual(rows[0]?.bytes.subarray(0, 100));
    // A second quarantine of the same session in the same second gets its own entry.
    const again = must(await journals.open(id));
    must(await again.append('message', { index: 0 }));
    await again.close();
    const second = must(await journals.quarantine(id, 'damaged-line'));
    expect(second.fileName).not.toBe(moved.fileName);
    expect(must(await journals.listQuarantined())).toHaveLength(2);
  });
});
