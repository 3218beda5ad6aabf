// A child process driven by test/crash/trash-crash and test/processes/trash-race. It waits for a
// first stdin line ("go") so that it can be started while the previous worker runs.
//   cycle <home> <sessionId>
//         moves the session to the trash and restores it, over and over, printing "trashed" and
//         "restored" after each resolved step, until it is killed (by the parent, or by itself at
//         the crash point named in JIDO_TEST_CRASH_POINT)
//   serve <home>
//         runs one command per stdin line and prints its outcome:
//           restore <round> <entry>        -> "restore <round> ok|<code>"
//           empty <round>                  -> "empty <round> <purged count>"
//           cleanup <round> <maxAgeDays>   -> "cleanup <round> <trashed ids or ->"
//           resume <round> <id>            -> "resume <round> ok|gone|<code>" (lease, then a
//                                             save of last_resumed_at under it, then release)
import { stdinLines } from '@jido-code/test-support';
import { fail, openStoreOrExit } from '../support/worker-kit.js';

const [mode = '', home = '', id = ''] = process.argv.slice(2);
const input = stdinLines();
await input.next();

const store = await openStoreOrExit({ home });
process.stdout.write('ready\n');

if (mode === 'cycle') {
  for (;;) {
    const moved = await store.trash(id, 'delete');
    if (!moved.ok) fail('trash', moved.error);
    process.stdout.write('trashed\n');
    const listing = await store.listTrash();
    if (!listing.ok) fail('list the trash', listing.error);
    const entry = listing.value.entries.find((candidate) => candidate.id === id);
    if (entry === undefined) fail('find the entry', { code: 'not_found', message: 'no trash entry' });
    const restored = await store.restoreFromTrash(entry.entry);
    if (!restored.ok) fail('restore', restored.error);
    process.stdout.write('restored\n');
  }
} else if (mode === 'serve') {
  for (let line = await input.next(); line !== undefined; line = await input.next()) {
    const [command = '', round = '', argument = ''] = line.split(' ');
    if (command === 'restore') {
      const restored = await store.restoreFromTrash(argument);
      process.stdout.write(`restore ${round} ${restored.ok ? 'ok' : restored.error.code}\n`);
    } else if (command === 'empty') {
      const emptied = await store.emptyTrash();
      if (!emptied.ok) fail('empty', emptied.error);
      process.stdout.write(`empty ${round} ${emptied.value.purged.length}\n`);
    } else if (command === 'cleanup') {
      const cleaned = await store.cleanup({ maxAgeDays: Number(argument) });
      if (!cleaned.ok) fail('cleanup', cleaned.error);
      process.stdout.write(`cleanup ${round} ${cleaned.value.deleted.join(',') || '-'}\n`);
    } else if (command === 'resume') {
      const lease = await store.acquireLease(argument);
      if (!lease.ok) {
        process.stdout.write(`resume ${round} ${lease.error.code}\n`);
        continue;
      }
      const updated = await store.update(argument, (session) => ({
        ...session,
        last_resumed_at: new Date().toISOString(),
      }));
      await lease.value.release();
      const outcome = updated.ok ? 'ok' : updated.error.code === 'not_found' ? 'gone' : updated.error.code;
      process.stdout.write(`resume ${round} ${outcome}\n`);
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
