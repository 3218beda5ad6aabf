// A worker process over the PostgreSQL backend, driven line by line on stdin (one reply line per
// command): argv = spec options JSON. Replies `ok <command> …` or `err <command> <code>`.
import type { Lease } from '@jido-code/storage';
import { stdinLines } from '@jido-code/test-support';
import { openConformanceStore } from './conformance-store.js';

const store = await openConformanceStore(JSON.parse(process.argv[2] ?? '{}'), {});
const leases = new Map<string, Lease>();
const input = stdinLines();
const reply = (line: string) => process.stdout.write(`${line}\n`);
reply('ready');

for (let line = await input.next(); line !== undefined; line = await input.next()) {
  const [command = '', id = '', tag = '', count = '1'] = line.split(' ');
  if (command === 'acquire') {
    // acquire <id> <patience ms>: retries until the lease is free (a takeover after a TTL).
    const patience = Number(tag || '0');
    const started = Date.now();
    let lease = await store.acquireLease(id);
    while (!lease.ok && Date.now() - started < patience) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      lease = await store.acquireLease(id);
    }
    if (lease.ok) leases.set(id, lease.value);
    reply(lease.ok ? `ok acquire ${id}` : `err acquire ${lease.error.code}`);
  } else if (command === 'write') {
    // write <id> <tag>: the holder's read-modify-write, fenced by its lease.
    const written = await store.update(id, (current) => ({ ...current, name: tag }));
    reply(written.ok ? `ok write ${id}` : `err write ${written.error.code}`);
  } else if (command === 'release') {
    await leases.get(id)?.release();
    leases.delete(id);
    reply(`ok release ${id}`);
  } else if (command === 'update') {
    // update <id> <tag> <count>: unfenced read-modify-write increments.
    for (let index = 0; index < Number(count); index++) {
      const updated = await store.update(id, (current) => ({
        ...current,
        cumulative_usage: { counter: (current.cumulative_usage?.counter ?? 0) + 1 },
        conversation: [
          ...current.conversation,
          { id: `${tag}-${index}`, role: 'user', content: tag, timestamp: new Date().toISOString() },
        ],
      }));
      if (!updated.ok) {
        reply(`err update ${updated.error.code}`);
        break;
      }
    }
    reply(`ok update ${id}`);
  } else {
    reply(`err ${command} unknown`);
  }
}
input.close();
await store.backend.close();
