/**
 * Runs one storage operation in a child process (started as an unprivileged user by
 * test/faults/real-permissions.test.ts) and prints its outcome as one JSON line. Any crash shows as
 * a non-zero exit without that line.
 *
 * argv: <home> <action: save|load|consume> <session JSON or id>
 */
import type { Session } from '@jido-code/core-schema';
import { unwrap } from '@jido-code/core-schema';
import { documentRateLimitStore, RateLimiter } from '@jido-code/rate-limit';
import { SessionStore } from '@jido-code/storage';

const [home, action, argument] = process.argv.slice(2);
const report = (outcome: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ uid: process.getuid?.(), ...outcome })}\n`);

const opened = await SessionStore.open({ home: home as string, env: {}, config: { lock_timeout_ms: 2_000 } });
if (!opened.ok) {
  report({ stage: 'open', ok: false, code: opened.error.code, message: opened.error.message });
} else if (action === 'save') {
  const saved = await opened.value.save(JSON.parse(argument as string) as Session);
  report(saved.ok ? { ok: true } : { ok: false, code: saved.error.code, message: saved.error.message });
} else if (action === 'load') {
  const loaded = await opened.value.load(argument as string);
  report(loaded.ok ? { ok: true } : { ok: false, code: loaded.error.code, message: loaded.error.message });
} else if (action === 'consume') {
  const limiter = new RateLimiter({
    store: documentRateLimitStore(unwrap(opened.value.rateLimitDocument())),
  });
  await limiter.consume('resume', argument as string).then(
    () => report({ ok: true }),
    (error: { code?: string; message?: string }) =>
      report({ ok: false, code: error.code, message: error.message }),
  );
}
