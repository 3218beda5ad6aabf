import type { RateLimitState } from './state.js';

/** What a {@link RateLimitStore.transact} callback returns: the new state and a result. */
export interface RateLimitTransaction<T> {
  /** The state to keep; the input state itself when nothing changed (a store may then skip writing). */
  readonly next: RateLimitState;
  /** Returned by `transact`. */
  readonly result: T;
}

/**
 * Where limiter state lives (in memory, in a locked document, a networked store later): one atomic
 * read-modify-write. `fn` is synchronous and pure and never mutates its input, so a store may call
 * it more than once (an optimistic store retrying after a conflict); only the call whose `next` is
 * kept counts. No other transaction may observe or change the state between the read and the write.
 */
export interface RateLimitStore {
  /** Reads the state, calls `fn`, keeps `next`, returns `result`, all as one atomic step. */
  transact<T>(fn: (state: RateLimitState) => RateLimitTransaction<T>): Promise<T>;
}
