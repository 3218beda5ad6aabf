// A child process driven by test/crash. It waits for a first stdin line ("go"), so that it can be
// started while the previous worker runs, then works until it is killed (by the parent, or by
// itself at the crash point named in JIDO_TEST_CRASH_POINT).
//   save  <home> <sessionId> <journalId> <sizes> <firstCounter> <worker>
//         saves the session in a loop, the counter in its name (printing "ack <counter>" after each
//         resolved save) with payloads cycling through <sizes> (comma-separated bytes), while
//         appending journal records { w: <worker>, k } (printing "jack <k>" after each resolved
//         append)
//   naive <home> <sessionId> <size>
//         the deliberately broken writer: a plain in-place writeFileSync of a valid signed file,
//         over and over (no temp file, no fsync, no rename)
//   fork  <home> <sourceId>
//         forks the source (forkSession, what `jido sessions fork` runs) in a loop, printing
//         "fork <new id>" after each resolved fork
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { unwrap } from '@jido-code/core-schema';
import { forkSession } from '@jido-code/session';
import { SessionFactory, stdinLines } from '@jido-code/test-support';
import { sessionWithPayload } from '../support/session-data.js';
import { fail, openStoreOrExit } from '../support/worker-kit.js';

const [mode = '', home = '', id = '', ...rest] = process.argv.slice(2);
const input = stdinLines();
await input.next();

const store = await openStoreOrExit({ home });
const factory = new SessionFactory({ seed: process.pid });
process.stdout.write('ready\n');

if (mode === 'save') {
  const [journalId = '', sizesText = '1024', firstCounter = '1', worker = '0'] = rest;
  const sizes = sizesText.split(',').map(Number);
  const journals = unwrap(await store.journals());
  const writer = await journals.open(journalId);
  if (!writer.ok) fail('journal open', writer.error);
  const appendLoop = async () => {
    for (let k = 0; ; k += 4) {
      await Promise.all(
        [0, 1, 2, 3].map(async (offset) => {
          const appended = await writer.value.append('message', { w: Number(worker), k: k + offset });
          if (!appended.ok) fail('append', appended.error);
          process.stdout.write(`jack ${k + offset}\n`);
        }),
      );
      await sleep(2);
    }
  };
  const saveLoop = async () => {
    for (let counter = Number(firstCounter); ; counter++) {
      const size = sizes[(counter + Number(worker)) % sizes.length] ?? 1024;
      const saved = await store.save(sessionWithPayload(factory, id, counter, size));
      if (!saved.ok) fail('save', saved.error);
      process.stdout.write(`ack ${counter}\n`);
    }
  };
  await Promise.all([appendLoop(), saveLoop()]);
} else if (mode === 'naive') {
  const [sizeText = '4194304'] = rest;
  const saved = await store.save(sessionWithPayload(factory, id, 1, Number(sizeText)));
  if (!saved.ok) fail('save', saved.error);
  const path = store.backend.layout.sessionFile(id);
  const bytes = readFileSync(path);
  process.stdout.write('naive\n');
  for (;;) writeFileSync(path, bytes);
} else if (mode === 'fork') {
  for (;;) {
    const forked = await forkSession(store, id);
    if (!forked.ok) fail('fork', forked.error);
    process.stdout.write(`fork ${forked.value.id}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
