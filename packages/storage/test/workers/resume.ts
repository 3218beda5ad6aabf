import { unwrap } from '@jido-code/core-schema';
import { documentRateLimitStore, RateLimiter, rateLimitRulesFromConfig } from '@jido-code/rate-limit';
import { openStore, waitUntil } from './open-store.js';

/** argv: home, session id, attempts, start time. Tries to consume `resume` for the session; prints how many were allowed. */
const [home = '', id = '', attemptsText = '0', startAt = '0'] = process.argv.slice(2);
const store = await openStore(home);
const limiter = new RateLimiter({
  store: documentRateLimitStore(unwrap(store.rateLimitDocument())),
  rules: rateLimitRulesFromConfig(store.config),
  // A pinned clock: a slow start on a busy machine must not let the 60 s window slide.
  now: () => Number(startAt),
});
await waitUntil(Number(startAt));
let allowed = 0;
for (let attempt = 0; attempt < Number(attemptsText); attempt++) {
  if ((await limiter.consume('resume', id)).allowed) allowed += 1;
}
process.stdout.write(`${allowed}\n`);
