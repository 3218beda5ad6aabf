// The journal commands of the conformance worker process (see worker.ts).
import type { SessionBackend } from '../backend/session-backend.js';
import type { SessionStore } from '../session-store.js';

type Fail = (message: string) => never;

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `journal-append <id> <count>`: takes the lease, opens the session's journal and appends `count`
 * records one after another, saying `acked <n>` as each is acknowledged, then `holding`; it then
 * holds the lease and the journal until killed, appending one more record on each SIGUSR2.
 * `journal-recover <id>`: takes the lease (refused while a live process holds it), reads the
 * journal, retires it and says `recovered <count> <data of each record as JSON>`.
 */
export async function journalCommand(
  store: SessionStore<SessionBackend>,
  command: string,
  args: readonly string[],
  fail: Fail,
): Promise<void> {
  const [id = '', count = '0'] = args;
  const lease = await store.acquireLease(id);
  if (!lease.ok) fail(`lease refused: ${lease.error.code}`);
  const journals = await store.journals();
  if (!journals.ok) fail(`journals failed: ${journals.error.code}`);
  if (command === 'journal-append') {
    const opened = await journals.value.open(id);
    if (!opened.ok) fail(`journal open failed: ${opened.error.code}`);
    const journal = opened.value;
    let appended = 0;
    const appendOne = async () => {
      const ack = await journal.append('message', { n: appended });
      if (!ack.ok) fail(`append failed: ${ack.error.code}`);
      appended += 1;
      say(`acked ${appended}`);
    };
    for (let index = 0; index < Number(count); index++) await appendOne();
    process.on('SIGUSR2', () => void appendOne());
    say('holding');
    setInterval(() => {}, 60_000);
  } else if (command === 'journal-recover') {
    const read = await journals.value.read(id);
    if (!read.ok) fail(`read failed: ${read.error.code}`);
    const retired = await journals.value.retire(id);
    if (!retired.ok) fail(`retire failed: ${retired.error.code}`);
    await lease.value.release();
    say(`recovered ${read.value.records.length} ${JSON.stringify(read.value.records.map((r) => r.data))}`);
  } else {
    fail(`unknown command ${command}`);
  }
}
