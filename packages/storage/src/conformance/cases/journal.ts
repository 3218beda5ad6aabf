import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { SessionBackend } from '../../backend/session-backend.js';
import type { SessionStore } from '../../session-store.js';
import { must, processTimeoutMs, type SuiteContext } from '../suite-context.js';

async function pending(store: SessionStore<SessionBackend>): Promise<string[]> {
  return must(await store.pendingJournals());
}

async function recordData(store: SessionStore<SessionBackend>, id: string): Promise<unknown[]> {
  return must(await must(await store.journals()).read(id)).records.map((record) => record.data);
}

const counted = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

/**
 * The write-ahead journal behind `SessionBackend.journals`: acknowledged appends, recovery after
 * a real `kill -9`, by another process, a live holder's journal left alone, and quarantine.
 */
export function journalCases(context: SuiteContext): void {
  acknowledgementCases(context);
  holderCases(context);
}

/** Appends acknowledged, read back elsewhere, and recovered after a real `kill -9`. */
function acknowledgementCases(context: SuiteContext): void {
  it('journal: acknowledged appends (grouped) read back in order from another store, then retired', async () => {
    const { spec, store } = await context.fresh();
    const other = await context.open(spec);
    const id = randomUUID();
    const lease = must(await store.acquireLease(id));
    const journal = must(await must(await store.journals()).open(id));
    const together = await Promise.all(
      Array.from({ length: 16 }, (_, n) => journal.append('message', { n })),
    );
    for (let n = 16; n < 20; n++) expect(must(await journal.append('message', { n })).seq).toBe(n + 1);
    expect(together.map((ack) => must(ack).seq)).toEqual(Array.from({ length: 16 }, (_, n) => n + 1));
    expect(journal.stats.records).toBe(20);
    expect(journal.stats.syncs).toBeLessThan(20);
    expect(await pending(other)).toEqual([id]);
    expect(await recordData(other, id)).toEqual(counted(20));
    await journal.close();
    must(await must(await store.journals()).retire(id));
    expect(await pending(other)).toEqual([]);
    const gone = await must(await other.journals()).read(id);
    expect(gone.ok || gone.error.code).toBe('not_found');
    await lease.release();
  });

  it('journal: kill -9 of a real process after N acknowledged appends; recovery finds exactly those N', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const id = randomUUID();
    const holder = context.worker(spec, 'journal-append', [id, '25']);
    await holder.waitFor('holding');
    holder.child.kill('SIGKILL');
    await holder.done.catch(() => {});
    expect(await pending(store)).toEqual([id]);
    const lease = must(await store.acquireLease(id));
    expect(await recordData(store, id)).toEqual(counted(25));
    must(await must(await store.journals()).retire(id));
    expect(await pending(store)).toEqual([]);
    await lease.release();
  });
}

/** Another process's journal: recovered once its holder is dead, left alone while it lives, quarantined. */
function holderCases(context: SuiteContext): void {
  it('journal: a dead holder’s journal is recovered by another process', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const id = randomUUID();
    const holder = context.worker(spec, 'journal-append', [id, '5']);
    await holder.waitFor('holding');
    holder.child.kill('SIGKILL');
    await holder.done.catch(() => {});
    const recoverer = context.worker(spec, 'journal-recover', [id]);
    expect((await recoverer.done).trim()).toBe(`recovered 5 ${JSON.stringify(counted(5))}`);
    expect(await pending(store)).toEqual([]);
  });

  it('journal: a live holder’s journal is read, never taken or changed, and it appends on', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const id = randomUUID();
    const holder = context.worker(spec, 'journal-append', [id, '3']);
    await holder.waitFor('holding');
    expect(await pending(store)).toEqual([id]);
    const lease = await store.acquireLease(id);
    expect(lease.ok || lease.error.code).toBe('already_open_elsewhere');
    expect(await recordData(store, id)).toEqual(counted(3));
    const recoverer = context.worker(spec, 'journal-recover', [id]);
    await expect(recoverer.done).rejects.toThrow(/lease refused: already_open_elsewhere/);
    holder.child.kill('SIGUSR2');
    await holder.waitFor('acked 4');
    expect(await recordData(store, id)).toEqual(counted(4));
    expect(await pending(store)).toEqual([id]);
  });

  it('journal: quarantine moves an unusable journal aside, listed with its reason, never deleted', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const id = randomUUID();
    const holder = context.worker(spec, 'journal-append', [id, '4']);
    await holder.waitFor('holding');
    holder.child.kill('SIGKILL');
    await holder.done.catch(() => {});
    const lease = must(await store.acquireLease(id));
    const journals = must(await store.journals());
    const moved = must(await journals.quarantine(id, 'broken-chain'));
    expect([moved.sessionId, moved.reason]).toEqual([id, 'broken-chain']);
    await lease.release();
    expect(await pending(store)).toEqual([]);
    const read = await journals.read(id);
    expect(read.ok || read.error.code).toBe('not_found');
    const other = await context.open(spec);
    const listed = must(await other.quarantinedJournals());
    expect(listed.map((entry) => [entry.sessionId, entry.reason, entry.fileName])).toEqual([
      [id, 'broken-chain', moved.fileName],
    ]);
    expect(must(await must(await other.journals()).listQuarantined())).toEqual(listed);
  });
}
