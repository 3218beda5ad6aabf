import { createInterface } from 'node:readline';
import { unwrap } from '@jido-code/core-schema';
import { jidoCodeMigrationIds, migrateJidoCodeFile } from '../../src/jidocode/migrate-jidocode.js';
import { SessionStore } from '../../src/session-store.js';

/** argv: home, host name. Opens the store, prints `ready`, migrates on the first stdin line, prints the outcomes. */
const [home = '', hostname = ''] = process.argv.slice(2);
const opened = await SessionStore.open({ home, env: {}, hostname });
if (!opened.ok) {
  process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
  process.exit(1);
}
unwrap(await opened.value.keyring());
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const _line of lines) break;
// The per-file step the session layer's migrateJidoCodeHome loops over, in the same order.
const ids = await jidoCodeMigrationIds(opened.value);
if (!ids.ok) {
  process.stderr.write(`migrate failed: ${ids.error.code}\n`);
  process.exit(1);
}
const entries = [];
for (const id of ids.value) entries.push(await migrateJidoCodeFile(opened.value, id));
process.stdout.write(
  `${JSON.stringify(entries.map((entry) => [entry.id, entry.outcome, entry.error?.code ?? null]))}\n`,
);
process.exit(0);
