import { createInterface } from 'node:readline';
import { unwrap } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { migrateJidoCodeHome } from '../../src/jidocode/migrate-jidocode-home.js';
import { Redactor } from '../../src/redaction/redactor.js';

/**
 * argv: home, host name. Opens the store, prints `ready`, and on the first stdin line runs the
 * session layer's migration (`jido sessions migrate`: redaction in `redact` mode, the default),
 * then prints each file's [id, outcome, backup form, error code] as one JSON line.
 */
const [home = '', hostname = ''] = process.argv.slice(2);
const opened = await SessionStore.open({ home, env: {}, hostname });
if (!opened.ok) {
  process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
  process.exit(1);
}
unwrap(await opened.value.keyring());
const redactor = new Redactor({ redaction: 'redact', redaction_allowlist: [] });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const _line of lines) break;
const entries = await migrateJidoCodeHome(opened.value, { redactor });
if (!entries.ok) {
  process.stderr.write(`migrate failed: ${entries.error.code}\n`);
  process.exit(1);
}
process.stdout.write(
  `${JSON.stringify(
    entries.value.map((entry) => [
      entry.id,
      entry.outcome,
      entry.backupForm ?? null,
      entry.error?.code ?? null,
    ]),
  )}\n`,
);
process.exit(0);
