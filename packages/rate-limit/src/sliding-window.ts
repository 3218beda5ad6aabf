import type { WindowRule } from './rules.js';

/** What one sliding window says about an attempt at `now`. */
export interface WindowEvaluation {
  /** The timestamps that still count at `now`, ascending (the input when nothing was dropped). */
  readonly live: readonly number[];
  /** Attempts the window would still accept at `now`; 0 when full. */
  readonly free: number;
  /** When full, milliseconds until one slot frees; 0 otherwise. */
  readonly retryAfterMs: number;
}

/**
 * The timestamps of `hits` (ascending) that still count at `now`. A hit at `t` counts while
 * `now - t < windowMs`, so it stops counting exactly at `t + windowMs`. A hit later than `now`
 * (the clock stepped back, or another process's clock is ahead) is clamped to `now`, so a wrong
 * clock can hold a key back for at most one window. Work is proportional to what is dropped.
 * Returns `hits` itself when nothing changes.
 */
export function liveHits(hits: readonly number[], windowMs: number, now: number): readonly number[] {
  let first = 0;
  while (first < hits.length && now - (hits[first] as number) >= windowMs) first += 1;
  let end = hits.length;
  while (end > first && (hits[end - 1] as number) > now) end -= 1;
  if (first === 0 && end === hits.length) return hits;
  const live = hits.slice(first, end);
  for (let index = end; index < hits.length; index += 1) live.push(now);
  return live;
}

/**
 * Sliding-window-log decision for one window, pure. With `n` live hits, the attempt is accepted
 * when `n < limit`; otherwise it may retry once the hit at position `n - limit` expires, which is
 * why keeping only the newest `limit` hits loses nothing.
 */
export function evaluateWindow(hits: readonly number[], rule: WindowRule, now: number): WindowEvaluation {
  const live = liveHits(hits, rule.windowMs, now);
  if (live.length < rule.limit) return { live, free: rule.limit - live.length, retryAfterMs: 0 };
  const oldestCounted = live[live.length - rule.limit] as number;
  return { live, free: 0, retryAfterMs: oldestCounted + rule.windowMs - now };
}

/** `live` with a hit at `now` appended, keeping only the newest `limit` hits. */
export function appendHit(live: readonly number[], rule: WindowRule, now: number): readonly number[] {
  const next = live.length >= rule.limit ? live.slice(live.length - rule.limit + 1) : live.slice();
  next.push(now);
  return next;
}
