// A conformance worker process: argv = spec JSON, command, arguments. Opens the backend from the
// spec exactly as the suite does, runs one command and reports on stdout; failures exit 1.

import { unwrap } from '@jido-code/core-schema';
import { openFromSpec } from './backend-spec.js';
import { journalCommand } from './journal-commands.js';

const [specText = '{}', command = '', ...args] = process.argv.slice(2);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const store = await openFromSpec(JSON.parse(specText));

if (command === 'update') {
  // update <id> <tag> <count>: read-modify-write increments of one session's counter.
  const [id = '', tag = '', count = '0'] = args;
  for (let index = 0; index < Number(count); index++) {
    const updated = await store.update(id, (current) => ({
      ...current,
      cumulative_usage: { counter: (current.cumulative_usage?.counter ?? 0) + 1 },
      conversation: [
        ...current.conversation,
        { id: `${tag}-${index}`, role: 'user', content: tag, timestamp: new Date().toISOString() },
      ],
    }));
    if (!updated.ok) fail(`update failed: ${updated.error.code}`);
  }
  process.stdout.write('done\n');
} else if (command === 'hold-lease') {
  // hold-lease <id>: takes the lease, says so, and holds it until killed.
  const lease = await store.acquireLease(args[0] ?? '');
  if (!lease.ok) fail(`lease refused: ${lease.error.code}`);
  process.stdout.write('leased\n');
  setInterval(() => {}, 60_000);
} else if (command === 'bump') {
  // bump <document> <count>: increments a counter in a locked document.
  const document = unwrap(store.rateLimitDocument(args[0]));
  for (let index = 0; index < Number(args[1] ?? '0'); index++) {
    await document.update((current) => {
      const value = current === undefined ? 0 : Number(new TextDecoder().decode(current));
      return { next: new TextEncoder().encode(String(value + 1)), result: undefined };
    });
  }
  process.stdout.write('done\n');
} else if (command === 'save') {
  // save <session JSON>
  const saved = await store.save(JSON.parse(args[0] ?? '{}'));
  if (!saved.ok) fail(`save failed: ${saved.error.code}`);
  process.stdout.write('saved\n');
} else if (command === 'rotate') {
  const rotated = await store.rotateKey();
  if (!rotated.ok) fail(`rotate failed: ${rotated.error.code}`);
  process.stdout.write('rotated\n');
} else if (command.startsWith('journal-')) {
  await journalCommand(store, command, args, fail);
} else {
  fail(`unknown command ${command}`);
}
