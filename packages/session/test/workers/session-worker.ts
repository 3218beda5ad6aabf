// A child process driven by the cross-process tests. It waits for a line "go" on stdin (so it can
// be started ahead of time while the previous one runs), then does its job and reports on stdout.
//   append <home> <projectPath>       create a session, print "session <id>", then append messages
//                                     forever, printing "ack <n>" after each acknowledgement
//   secrets <home> <projectPath> <seed>
//                                     like append, but the messages are the secret corpus of <seed>
//   resume <home> <id> <hold>         resume the session, print "ok" or "error <code>", then hold it
//                                     until a line "release" (hold = "wait") or for <hold> ms, close
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionStore } from '@jido-code/storage';
import { secretCorpus, stdinLines } from '@jido-code/test-support';
import { SessionManager } from '../../src/index.js';

const [mode, home, arg, extra] = process.argv.slice(2);
if (!mode || !home || !arg) throw new Error('usage: session-worker <mode> <home> <arg> [extra]');

const input = stdinLines();
const store = await SessionStore.open({ home });
if (!store.ok) throw store.error;
// WORKER_NOW pins the clock, so a rate-limit window cannot slide while a slow machine starts workers.
const pinned = process.env.WORKER_NOW;
const manager = new SessionManager({
  store: store.value,
  ...(pinned ? { now: () => new Date(pinned) } : {}),
});
process.stdout.write('ready\n');
await input.next();

if (mode === 'append') {
  const session = await manager.create({ projectPath: arg });
  if (!session.ok) throw session.error;
  process.stdout.write(`session ${session.value.id}\n`);
  for (let batch = 0; ; batch += 4) {
    const appends = [0, 1, 2, 3].map(async (offset) => {
      const n = batch + offset;
      const added = await session.value.addMessage('user', `m${n}`);
      if (!added.ok) throw added.error;
      process.stdout.write(`ack ${n}\n`);
    });
    await Promise.all(appends);
  }
} else if (mode === 'secrets') {
  const session = await manager.create({ projectPath: arg });
  if (!session.ok) throw session.error;
  process.stdout.write(`session ${session.value.id}\n`);
  const samples = secretCorpus(Number(extra));
  await Promise.all(
    samples.map(async (sample, n) => {
      const added = await session.value.addMessage('user', sample.text);
      if (!added.ok) throw added.error;
      process.stdout.write(`ack ${n}\n`);
    }),
  );
  await input.next();
} else if (mode === 'resume') {
  const resumed = await manager.resume(arg);
  process.stdout.write(resumed.ok ? 'ok\n' : `error ${resumed.error.code}\n`);
  if (resumed.ok) {
    if (extra === 'wait') await input.next();
    else await sleep(Number(extra ?? 0));
    await manager.close(arg);
  }
  input.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
