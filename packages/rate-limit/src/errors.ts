import { JidoError } from '@jido-code/core-schema';
import type { Decision } from './decision.js';

/**
 * The `rate_limited` error for a refused decision. The message is user-safe and rounds the wait up
 * to whole seconds ("Too many attempts. Try again in 12 seconds."); `details` carry `retryAfterMs`,
 * `scope` and `operation` for callers and the debug log.
 */
export function rateLimitedError(decision: Decision, operation: string): JidoError {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new JidoError(
    'rate_limited',
    `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
    { details: { retryAfterMs: decision.retryAfterMs, scope: decision.scope, operation } },
  );
}
