// A child of the "lock" figure: <count> read-modify-write updates (store.update, under the session's
// cross-process lock) of one session, each appending a message; prints the lock waits (ms) as JSON.
// Usage: lock-updates.ts <home> <session id> <count>
import { randomUUID } from 'node:crypto';
import { SessionStore } from '@jido-code/storage';

const [home = '', id = '', countText = '0'] = process.argv.slice(2);
const opened = await SessionStore.open({ home, env: { JIDO_LOCK_TIMEOUT_MS: '120000' } });
if (!opened.ok) throw opened.error;
const store = opened.value;
// Start together: the parent releases every child at once through stdin.
await new Promise((resolve) => process.stdin.once('data', resolve));
const waits: number[] = [];
for (let index = 0; index < Number(countText); index++) {
  const started = performance.now();
  const updated = await store.update(id, (current) => {
    waits.push(performance.now() - started);
    const message = {
      id: randomUUID(),
      role: 'user' as const,
      content: `update ${process.pid}-${index}`,
      timestamp: new Date().toISOString(),
    };
    return { ...current, conversation: [...current.conversation, message] };
  });
  if (!updated.ok) throw updated.error;
}
process.stdout.write(`${JSON.stringify(waits)}\n`);
process.exit(0);
