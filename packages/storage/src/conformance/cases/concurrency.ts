import { expect, it } from 'vitest';
import { conformanceSession } from '../conformance-session.js';
import { must, processTimeoutMs, type SuiteContext, sessionLeasedByAWorker } from '../suite-context.js';

/** Exclusive sections and leases, in this process and across processes. */
export function concurrencyCases(context: SuiteContext): void {
  it('concurrent updates from three processes and this one lose nothing', {
    timeout: processTimeoutMs,
  }, async () => {
    const { spec, store } = await context.fresh();
    const session = conformanceSession({ messages: 0 });
    must(await store.save(session));
    const workers = ['a', 'b', 'c'].map((tag) => context.worker(spec, 'update', [session.id, tag, '10']));
    const here = Array.from({ length: 10 }, (_, index) =>
      store.update(session.id, (current) => ({
        ...current,
        cumulative_usage: { counter: (current.cumulative_usage?.counter ?? 0) + 1 },
        conversation: [
          ...current.conversation,
          { id: `here-${index}`, role: 'user', content: 'here', timestamp: new Date().toISOString() },
        ],
      })),
    );
    for (const result of await Promise.all(here)) must(result);
    await Promise.all(workers.map((worker) => worker.done));
    const loaded = must(await store.load(session.id));
    expect(loaded.session.cumulative_usage?.counter).toBe(40);
    expect(new Set(loaded.session.conversation.map((message) => message.id)).size).toBe(40);
  });

  it('a lease is exclusive: a second holder in this process or another store is refused', async () => {
    const { spec, store } = await context.fresh();
    const session = conformanceSession();
    must(await store.save(session));
    const lease = must(await store.acquireLease(session.id));
    const again = await store.acquireLease(session.id);
    expect(again.ok || again.error.code).toBe('already_open_elsewhere');
    const other = await context.open(spec);
    const elsewhere = await other.acquireLease(session.id);
    expect(elsewhere.ok || elsewhere.error.code).toBe('already_open_elsewhere');
    expect(must(await other.leaseHolder(session.id))).toMatchObject({ id: session.id, pid: process.pid });
    await lease.release();
    expect(must(await other.leaseHolder(session.id))).toBeUndefined();
    await must(await other.acquireLease(session.id)).release();
  });

  it('a lease held by another process is refused, and expires when that process dies', {
    timeout: processTimeoutMs,
  }, async () => {
    const { store, session, holder } = await sessionLeasedByAWorker(context);
    const refused = await store.acquireLease(session.id);
    expect(refused.ok || refused.error.code).toBe('already_open_elsewhere');
    expect(must(await store.leaseHolder(session.id))?.pid).toBe(holder.child.pid);
    expect(must(await store.listResumable()).sessions.map((entry) => entry.id)).not.toContain(session.id);
    holder.child.kill('SIGKILL');
    await holder.done.catch(() => {});
    // A backend may notice the death a moment later (a closed connection, a pid check): poll.
    let lease = await store.acquireLease(session.id);
    for (let attempt = 0; !lease.ok && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lease = await store.acquireLease(session.id);
    }
    await must(lease).release();
    expect(must(await store.listResumable()).sessions.map((entry) => entry.id)).toContain(session.id);
  });
}
