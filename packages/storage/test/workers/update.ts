import { unwrap } from '@jido-code/core-schema';
import { openStore, waitUntil } from './open-store.js';

/** argv: home, session id, worker tag, update count, start time. Read-modify-write updates of one session. */
const [home = '', id = '', tag = '', countText = '0', startAt = '0'] = process.argv.slice(2);
const store = await openStore(home);
unwrap(await store.keyring());
await waitUntil(Number(startAt));
for (let index = 0; index < Number(countText); index++) {
  const result = await store.update(id, (current) => ({
    ...current,
    cumulative_usage: { ...current.cumulative_usage, counter: (current.cumulative_usage?.counter ?? 0) + 1 },
    conversation: [
      ...current.conversation,
      {
        id: `${tag}-${index}`,
        role: 'user',
        content: `update ${index} from ${tag}`,
        timestamp: new Date().toISOString(),
      },
    ],
  }));
  if (!result.ok) {
    process.stderr.write(`update failed: ${result.error.code} ${result.error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write('done\n');
