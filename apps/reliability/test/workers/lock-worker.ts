// A child process driven by test/processes. It waits for a first stdin line ("go") before it
// touches the home, so that it can be started ahead of time.
//   update   <home> <worker>   for each stdin line "run <phase> <ids> <count>": <count> store.update
//            calls over the comma-separated session ids, each appending message "p<phase>-w<worker>-<i>";
//            prints "ack <id> <tag> <messages> <lockWaitMs> <sha256 of the file just after>", then
//            "done <phase>"; "exit" ends it
//   hold     <home> <id>                     waits for the session's save lock (printing "waiting"),
//            prints "acquired <epoch ms>" and holds it until killed
//   takeover <home> <id>                     for each stdin line "round <r>": takes the session
//            lock, creates <home>/witness with O_CREAT|O_EXCL while holding it (EEXIST would mean two
//            holders: prints "violation <r>"), removes it, releases, prints "done <r> <lock nonce>"
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileLock } from '@jido-code/storage/internal';
import { stdinLines } from '@jido-code/test-support';
import { fail, openStoreOrExit } from '../support/worker-kit.js';

const [mode = '', home = '', ...rest] = process.argv.slice(2);
const input = stdinLines();
await input.next();

const store = await openStoreOrExit({ home });

if (mode === 'update') {
  const [worker = '0'] = rest;
  for (;;) {
    const line = (await input.next()) ?? 'exit';
    if (line === 'exit') break;
    const [, phase = '0', idsText = '', countText = '0'] = line.split(' ');
    const ids = idsText.split(',');
    for (let i = 0; i < Number(countText); i++) {
      const id = ids[(i * 7 + Number(worker)) % ids.length] as string;
      const tag = `p${phase}-w${worker}-${i}`;
      const started = performance.now();
      let waited = 0;
      let messages = 0;
      const updated = await store.update(id, (current) => {
        waited = performance.now() - started;
        const conversation = [
          ...current.conversation,
          { id: randomUUID(), role: 'user' as const, content: tag, timestamp: new Date().toISOString() },
        ];
        messages = conversation.length;
        return { ...current, conversation };
      });
      if (!updated.ok) fail('update', updated.error);
      const sha = createHash('sha256')
        .update(readFileSync(store.backend.layout.sessionFile(id)))
        .digest('hex');
      process.stdout.write(`ack ${id} ${tag} ${messages} ${waited.toFixed(2)} ${sha}\n`);
    }
    process.stdout.write(`done ${phase}\n`);
  }
  input.close();
} else if (mode === 'hold') {
  const [id = ''] = rest;
  process.stdout.write('waiting\n');
  await FileLock.acquire(store.backend.fs, store.backend.layout.sessionLock(id), {
    ...store.backend.lockOptions,
    timeoutMs: 120_000,
  });
  process.stdout.write(`acquired ${Date.now()}\n`);
  setInterval(() => undefined, 60_000);
} else if (mode === 'takeover') {
  const [id = ''] = rest;
  const witness = join(home, 'witness');
  process.stdout.write('ready\n');
  for (;;) {
    const line = (await input.next()) ?? 'exit';
    if (line === 'exit') break;
    const round = line.split(' ')[1];
    const lock = await FileLock.acquire(store.backend.fs, store.backend.layout.sessionLock(id), {
      ...store.backend.lockOptions,
      timeoutMs: 120_000,
    });
    let violation = false;
    try {
      closeSync(openSync(witness, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      violation = true;
    }
    if (violation) process.stdout.write(`violation ${round}\n`);
    else {
      await sleep(Math.random() * 3);
      unlinkSync(witness);
    }
    await lock.release();
    process.stdout.write(`done ${round} ${lock.record.nonce}\n`);
  }
  input.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
