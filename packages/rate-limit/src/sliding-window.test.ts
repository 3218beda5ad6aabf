import { describe, expect, it } from 'vitest';
import { appendHit, evaluateWindow, liveHits } from './sliding-window.js';

describe('liveHits', () => {
  it('counts a hit until exactly windowMs after it, not at the boundary', () => {
    expect(liveHits([1000], 100, 1099)).toEqual([1000]);
    expect(liveHits([1000], 100, 1100)).toEqual([]);
  });

  it('returns the same array when nothing expires', () => {
    const hits = [10, 20, 30];
    expect(liveHits(hits, 100, 50)).toBe(hits);
  });

  it('drops only the expired prefix', () => {
    expect(liveHits([0, 50, 99, 150], 100, 150)).toEqual([99, 150]);
  });

  it('clamps hits from the future to now, so a clock step back holds at most one window', () => {
    expect(liveHits([10, 500, 900], 100, 50)).toEqual([10, 50, 50]);
  });
});

describe('evaluateWindow', () => {
  const rule = { limit: 2, windowMs: 1000 };

  it('has free slots below the limit', () => {
    expect(evaluateWindow([], rule, 0)).toEqual({ live: [], free: 2, retryAfterMs: 0 });
    expect(evaluateWindow([0], rule, 5)).toMatchObject({ free: 1, retryAfterMs: 0 });
  });

  it('when full, waits until the oldest counted hit expires', () => {
    expect(evaluateWindow([0, 300], rule, 400)).toMatchObject({ free: 0, retryAfterMs: 600 });
    expect(evaluateWindow([0, 300], rule, 999)).toMatchObject({ free: 0, retryAfterMs: 1 });
    expect(evaluateWindow([0, 300], rule, 1000)).toMatchObject({ free: 1, retryAfterMs: 0 });
  });

  it('with more hits than the limit (the limit was lowered), waits for the one at n - limit', () => {
    expect(evaluateWindow([0, 100, 200, 300], rule, 400)).toMatchObject({
      free: 0,
      retryAfterMs: 200 + 1000 - 400,
    });
  });
});

describe('appendHit', () => {
  it('keeps only the newest limit hits', () => {
    expect(appendHit([1, 2], { limit: 2, windowMs: 10 }, 3)).toEqual([2, 3]);
    expect(appendHit([1, 2, 3, 4], { limit: 2, windowMs: 10 }, 5)).toEqual([4, 5]);
    expect(appendHit([], { limit: 2, windowMs: 10 }, 5)).toEqual([5]);
  });

  it('does not mutate its input', () => {
    const live = Object.freeze([1]);
    expect(appendHit(live, { limit: 3, windowMs: 10 }, 2)).toEqual([1, 2]);
  });
});
