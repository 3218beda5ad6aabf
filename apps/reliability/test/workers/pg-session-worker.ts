// A SessionManager over the PostgreSQL backend, for test/crash/postgres-session-crash.test.ts.
//   live <url> <schema> <project>  creates a session ("session <id>"), then adds user messages
//                                  "message 0", "message 1", … one after another, printing
//                                  "acked <n>" once each is acknowledged, until killed
//   recover <url> <schema>         runs the recovery a new process runs on open and prints
//                                  "report <recovered ids> <quarantined> <failed>", then
//                                  "messages <id> <JSON of the user messages' contents>" per id
import { SessionManager } from '@jido-code/session';
import { openPostgresStore } from '@jido-code/storage-postgres';
import { fail } from '../support/worker-kit.js';

const [mode = '', url = '', schema = '', project = ''] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);
const opened = await openPostgresStore({ url, schema, env: {}, poolSize: 4 });
if (!opened.ok) fail('open', opened.error);
const store = opened.value;
const manager = new SessionManager({ store });

if (mode === 'live') {
  const created = await manager.create({ projectPath: project });
  if (!created.ok) fail('create', created.error);
  const session = created.value;
  say(`session ${session.id}`);
  for (let n = 0; ; n++) {
    const added = await session.addMessage('user', `message ${n}`);
    if (!added.ok) fail('message', added.error);
    say(`acked ${n}`);
  }
} else if (mode === 'recover') {
  const report = await manager.recover();
  say(`report ${report.recovered.join(',') || '-'} ${report.quarantined.length} ${report.failed.length}`);
  for (const id of report.recovered) {
    const loaded = await store.load(id);
    if (!loaded.ok) fail('load', loaded.error);
    const contents = loaded.value.session.conversation
      .filter((message) => message.role === 'user')
      .map((message) => message.content);
    say(`messages ${id} ${JSON.stringify(contents)}`);
  }
  await store.backend.close();
} else {
  fail('mode', { code: 'invalid_value', message: `unknown mode ${mode}` });
}
