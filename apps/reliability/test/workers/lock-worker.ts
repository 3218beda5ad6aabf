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
//   race     <home>                          one command a line, each started after a random 0–4 ms
//            so that two workers' commands overlap (test/processes/fork-rename-race):
//              save <r> <id> <n>    loads the session once, then saves it n times whole (a live
//                                   session's snapshot save), each with one message "r<r>-s<k>"
//                                   added: "saved <r> <messages>" after each, then "save <r> done"
//              update <r> <id> <n>  n read-modify-writes (store.update), each adding message
//                                   "r<r>-u<k>": "updated <r> <messages> <name seen>" after each,
//                                   then "update <r> done"
//              fork <r> <id> <at|all>  forkSession (what `jido sessions fork` runs): "fork <r> <new
//                                   id> <messages>" or "fork <r> error <code>"
//              rename <r> <id> <name>  `jido sessions rename`'s read-modify-write: "rename <r> ok"
//                                   or "rename <r> error <code>"
//              open <r> <project>   opens a new live session (SessionManager) on <project>:
//                                   "opened <r> <id>"
//              live <r> <id> <n>    adds n messages "r<r>-l<k>" to that open session (journal
//                                   appends), saving it after every second one: "added <r>
//                                   <content>" after each acknowledged append, then "live <r> done"
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { forkSession, type LiveSession, SessionManager } from '@jido-code/session';
import { FileLock } from '@jido-code/storage/internal';
import { stdinLines } from '@jido-code/test-support';
import { fail, openStoreOrExit } from '../support/worker-kit.js';

const [mode = '', home = '', ...rest] = process.argv.slice(2);
const input = stdinLines();
await input.next();

const store = await openStoreOrExit({ home });
/** The race mode's open session (`open`, then `live`), when it has one. */
let manager: SessionManager | undefined;
let live: LiveSession | undefined;

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
} else if (mode === 'race') {
  process.stdout.write('ready\n');
  for (let line = await input.next(); line !== undefined && line !== 'exit'; line = await input.next()) {
    const [command = '', round = '', id = '', argument = ''] = line.split(' ');
    await sleep(Math.random() * 4);
    await raceCommand(command, round, id, argument);
  }
  input.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}

async function raceCommand(command: string, round: string, id: string, argument: string): Promise<void> {
  const say = (text: string) => process.stdout.write(`${text}\n`);
  const message = (tag: string) => ({
    id: randomUUID(),
    role: 'user' as const,
    content: tag,
    timestamp: new Date().toISOString(),
  });
  if (command === 'save') {
    const loaded = await store.load(id);
    if (!loaded.ok) fail('load', loaded.error);
    const { signature: _signature, ...state } = loaded.value.session;
    let conversation = state.conversation;
    for (let k = 0; k < Number(argument); k++) {
      conversation = [...conversation, message(`r${round}-s${k}`)];
      const saved = await store.save({ ...state, conversation, updated_at: new Date().toISOString() });
      if (!saved.ok) fail('save', saved.error);
      say(`saved ${round} ${conversation.length}`);
    }
    say(`save ${round} done`);
  } else if (command === 'update') {
    for (let k = 0; k < Number(argument); k++) {
      let seen = '';
      let messages = 0;
      const updated = await store.update(id, (current) => {
        seen = current.name;
        const conversation = [...current.conversation, message(`r${round}-u${k}`)];
        messages = conversation.length;
        return { ...current, conversation, updated_at: new Date().toISOString() };
      });
      if (!updated.ok) fail('update', updated.error);
      say(`updated ${round} ${messages} ${seen}`);
    }
    say(`update ${round} done`);
  } else if (command === 'fork') {
    const forked = await forkSession(store, id, argument === 'all' ? {} : { at: Number(argument) });
    say(
      forked.ok
        ? `fork ${round} ${forked.value.id} ${forked.value.conversation.length}`
        : `fork ${round} error ${forked.error.code}`,
    );
  } else if (command === 'open') {
    manager ??= new SessionManager({ store });
    const opened = await manager.create({ projectPath: id, name: 'live while forked' });
    if (!opened.ok) fail('open', opened.error);
    live = opened.value;
    say(`opened ${round} ${live.id}`);
  } else if (command === 'live') {
    if (manager === undefined || live === undefined || live.id !== id) throw new Error('live before open');
    for (let k = 0; k < Number(argument); k++) {
      const added = await live.addMessage('user', `r${round}-l${k}`);
      if (!added.ok) fail('add', added.error);
      say(`added ${round} r${round}-l${k}`);
      if (k % 2 === 1) {
        const saved = await manager.save(id);
        if (!saved.ok) fail('save', saved.error);
      }
    }
    say(`live ${round} done`);
  } else if (command === 'rename') {
    // As `jido sessions rename` does it (apps/cli/src/commands/rename.ts).
    const updated = await store.update(id, (current) => ({
      ...current,
      name: argument,
      updated_at: new Date().toISOString(),
    }));
    say(updated.ok ? `rename ${round} ok` : `rename ${round} error ${updated.error.code}`);
  } else {
    throw new Error(`unknown race command ${command}`);
  }
}
