import { emptyRateLimitState, type RateLimitState } from './state.js';
import type { RateLimitStore } from './store.js';

/**
 * A {@link RateLimitStore} in process memory, for a long-lived shell. Atomic because `fn` is
 * synchronous: nothing runs between its read and its write. Limits nothing across processes.
 */
export function memoryRateLimitStore(initial: RateLimitState = emptyRateLimitState()): RateLimitStore {
  let state = initial;
  return {
    async transact(fn) {
      const { next, result } = fn(state);
      state = next;
      return result;
    },
  };
}
