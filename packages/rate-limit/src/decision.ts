/** Which limit refused an attempt: the per-key window or the operation's global one. */
export type RateLimitScope = 'key' | 'global';

/** The answer to one attempt. */
export interface Decision {
  /** True when the attempt fits every window of its operation. */
  readonly allowed: boolean;
  /** When refused, milliseconds until the attempt would fit (if nothing else is recorded); 0 when allowed. */
  readonly retryAfterMs: number;
  /** Attempts still allowed in the current window after this one is recorded; 0 when refused. */
  readonly remaining: number;
  /** When refused, the limit that sets `retryAfterMs` (the longer wait; `key` on a tie). */
  readonly scope?: RateLimitScope;
}
