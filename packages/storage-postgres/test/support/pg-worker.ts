// A worker process over the PostgreSQL backend, driven line by line on stdin (one reply line per
// command): argv = spec options JSON. Replies `ok <command> …` or `err <command> <code>`.
import type { Lease, SessionJournal } from '@jido-code/storage';
import { stdinLines } from '@jido-code/test-support';
import { openConformanceStore } from './conformance-store.js';

const store = await openConformanceStore(JSON.parse(process.argv[2] ?? '{}'), {});
const leases = new Map<string, Lease>();
const journals = new Map<string, SessionJournal>();
const input = stdinLines();

/**
 * jopen <id>: opens the journal under the lease held here; jappend <id> <tag>: appends a record
 * (`ok jappend <seq>`); jread <id>: `ok jread <count> <tags, comma-separated>`.
 */
async function journalCommand(command: string, id: string, tag: string): Promise<string> {
  const available = await store.journals();
  if (!available.ok) return `err ${command} ${available.error.code}`;
  if (command === 'jopen') {
    const opened = await available.value.open(id);
    if (opened.ok) journals.set(id, opened.value);
    return opened.ok ? `ok jopen ${id}` : `err jopen ${opened.error.code}`;
  }
  if (command === 'jappend') {
    const appended = await journals.get(id)?.append('message', { tag });
    if (appended === undefined) return 'err jappend not_open';
    return appended.ok ? `ok jappend ${appended.value.seq}` : `err jappend ${appended.error.code}`;
  }
  if (command === 'jread') {
    const read = await available.value.read(id);
    if (!read.ok) return `err jread ${read.error.code}`;
    const tags = read.value.records.map((record) => (record.data as { tag: string }).tag);
    return `ok jread ${read.value.records.length} ${tags.join(',')}`;
  }
  return `err ${command} unknown`;
}
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
  } else if (command.startsWith('j')) {
    reply(await journalCommand(command, id, tag));
  } else {
    reply(`err ${command} unknown`);
  }
}
input.close();
await store.backend.close();
