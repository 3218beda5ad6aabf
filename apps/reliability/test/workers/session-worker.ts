// A child process driven by test/processes and test/limits. It waits for a first stdin line ("go")
// before it touches the home, then follows one command a line until "exit".
//   resume  <home>            "resume <round> <id>" → manager.resume: "result <round> ok" or
//                             "result <round> <error code>"; "close <round> <id>" → "closed <round>"
//   lease   <home> <id>       takes the session's lease, prints "leased", holds it until killed
//   saver   <home> <now ISO> <worker>
//                             "round <r> <freshIds> <oldCount> <middleCount>": saves each fresh id
//                             with counter r (name "c<r>", closed_at now − 1 h + r ms; "ack <id> <r>"
//                             after each), creates <oldCount> sessions closed 60 days before now
//                             ("old <id>") and <middleCount> closed 10 days before ("middle <id>"),
//                             then "saved <r>"
//   cleaner <home> <now ISO>  "cleanup <r> <maxAgeDays> <maxCount>" → store.cleanup with the clock
//                             at <now>: "cleaned <r> <deleted ids, comma-separated or ->"
//   limit   <home>            "consume <key> <time ms>" → RateLimiter.consume('resume', key) over the
//                             home's shared rate-limit document with the clock at <time>:
//                             "decision <allowed> <retryAfterMs> <remaining> <scope or ->"
//   limit   <postgres URL> <now ISO> <schema>
//                             the same over a PostgreSQL store's rate-limit document
import { randomUUID } from 'node:crypto';
import { unwrap } from '@jido-code/core-schema';
import { documentRateLimitStore, RateLimiter, rateLimitRulesFromConfig } from '@jido-code/rate-limit';
import { SessionManager } from '@jido-code/session';
import { SessionFactory, stdinLines } from '@jido-code/test-support';
import { fail, openAnyStoreOrExit, openStoreOrExit } from '../support/worker-kit.js';

const [mode = '', home = '', ...rest] = process.argv.slice(2);
const input = stdinLines();
await input.next();

let clock = rest[0] && mode !== 'lease' ? new Date(rest[0]) : new Date();
const store =
  mode === 'limit'
    ? await openAnyStoreOrExit(home, rest[1], () => clock)
    : await openStoreOrExit({ home, now: () => clock });
const say = (line: string) => process.stdout.write(`${line}\n`);

if (mode === 'lease') {
  const lease = await store.acquireLease(rest[0] ?? '');
  if (!lease.ok) fail('lease', lease.error);
  say('leased');
  setInterval(() => undefined, 60_000);
} else {
  const manager = mode === 'resume' ? new SessionManager({ store }) : undefined;
  const factory = new SessionFactory({ seed: process.pid });
  const limiter =
    mode === 'limit'
      ? new RateLimiter({
          store: documentRateLimitStore(unwrap(store.rateLimitDocument())),
          rules: rateLimitRulesFromConfig(store.config),
          now: () => clock.getTime(),
        })
      : undefined;
  for (;;) {
    const [command = '', ...args] = ((await input.next()) ?? 'exit').split(' ');
    if (command === 'exit') break;
    if (command === 'resume' && manager) {
      const [round = '', id = ''] = args;
      const resumed = await manager.resume(id);
      say(`result ${round} ${resumed.ok ? 'ok' : resumed.error.code}`);
    } else if (command === 'close' && manager) {
      const [round = '', id = ''] = args;
      const closed = await manager.close(id);
      if (!closed.ok) fail('close', closed.error);
      say(`closed ${round}`);
    } else if (command === 'round') {
      const [round = '0', freshText = '', oldText = '0', middleText = '0'] = args;
      const r = Number(round);
      const fresh = freshText === '-' ? [] : freshText.split(',');
      const now = clock.getTime();
      for (const id of fresh) {
        const closedAt = new Date(now - 60 * 60 * 1000 + r).toISOString();
        const session = factory.session({ id, name: `c${r}`, messageCount: 1, todoCount: 0 });
        const saved = await store.save({ ...session, updated_at: closedAt, closed_at: closedAt });
        if (!saved.ok) fail('save', saved.error);
        say(`ack ${id} ${r}`);
      }
      for (let made = 0; made < Number(oldText); made++) {
        const id = randomUUID();
        const closedAt = new Date(now - 60 * 24 * 60 * 60 * 1000).toISOString();
        const session = factory.session({ id, name: `old${r}`, messageCount: 1, todoCount: 0 });
        const saved = await store.save({ ...session, updated_at: closedAt, closed_at: closedAt });
        if (!saved.ok) fail('save', saved.error);
        say(`old ${id}`);
      }
      for (let made = 0; made < Number(middleText); made++) {
        const id = randomUUID();
        const closedAt = new Date(now - 10 * 24 * 60 * 60 * 1000 + r).toISOString();
        const session = factory.session({ id, name: `mid${r}`, messageCount: 1, todoCount: 0 });
        const saved = await store.save({ ...session, updated_at: closedAt, closed_at: closedAt });
        if (!saved.ok) fail('save', saved.error);
        say(`middle ${id}`);
      }
      say(`saved ${round}`);
    } else if (command === 'cleanup') {
      const [round = '', maxAgeDays = '30', maxCount = '100'] = args;
      const report = await store.cleanup({ maxAgeDays: Number(maxAgeDays), maxCount: Number(maxCount) });
      if (!report.ok) fail('cleanup', report.error);
      if (report.value.failed.length > 0) {
        process.stderr.write(
          `cleanup failures: ${JSON.stringify(report.value.errors.map((entry) => entry.error.code))}\n`,
        );
      }
      say(
        `cleaned ${round} ${report.value.deleted.join(',') || '-'} ${report.value.skipped.join(',') || '-'}`,
      );
    } else if (command === 'consume' && limiter) {
      const [key = '', time = '0'] = args;
      clock = new Date(Number(time));
      const decision = await limiter.consume('resume', key);
      say(
        `decision ${decision.allowed} ${decision.retryAfterMs} ${decision.remaining} ${decision.scope ?? '-'}`,
      );
    } else {
      throw new Error(`unknown command ${command} for mode ${mode}`);
    }
  }
  input.close();
}
