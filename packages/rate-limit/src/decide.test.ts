import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCheck, decideConsume, recordAttempt, resetAttempts } from './decide.js';
import { defaultRateLimitRules, type OperationRule } from './rules.js';
import { emptyRateLimitState, operationStateOf, type RateLimitState } from './state.js';

const resume = defaultRateLimitRules.resume as OperationRule;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Runs consume calls in order, returning the decisions and the final state. */
function consumeAll(
  rule: OperationRule,
  attempts: ReadonlyArray<{ key: string; now: number }>,
  initial: RateLimitState = emptyRateLimitState(),
) {
  let state = initial;
  const decisions = attempts.map(({ key, now }) => {
    const { decision, next } = decideConsume(state, 'resume', key, rule, now);
    state = next;
    return decision;
  });
  return { decisions, state };
}

describe('decideConsume: window edges and retry-after', () => {
  const rule: OperationRule = { perKey: { limit: 2, windowMs: 1000 } };

  it('allows up to the limit, then refuses until exactly windowMs after the oldest hit', () => {
    const { decisions } = consumeAll(rule, [
      { key: 'a', now: 0 },
      { key: 'a', now: 100 },
      { key: 'a', now: 999 },
      { key: 'a', now: 1000 },
      { key: 'a', now: 1000 },
      { key: 'a', now: 1100 },
    ]);
    expect(decisions).toEqual([
      { allowed: true, retryAfterMs: 0, remaining: 1 },
      { allowed: true, retryAfterMs: 0, remaining: 0 },
      { allowed: false, retryAfterMs: 1, remaining: 0, scope: 'key' },
      { allowed: true, retryAfterMs: 0, remaining: 0 },
      { allowed: false, retryAfterMs: 100, remaining: 0, scope: 'key' },
      { allowed: true, retryAfterMs: 0, remaining: 0 },
    ]);
  });

  it('gives the resume default a 60 s retry-after after five quick attempts', () => {
    const { decisions } = consumeAll(
      resume,
      [0, 1, 2, 3, 4, 5].map((now) => ({ key: 'session', now })),
    );
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5]).toEqual({ allowed: false, retryAfterMs: 60_000 - 5, remaining: 0, scope: 'key' });
  });

  it('a refusal records nothing and returns the same state', () => {
    const { state } = consumeAll(rule, [
      { key: 'a', now: 0 },
      { key: 'a', now: 1 },
    ]);
    const { decision, next } = decideConsume(state, 'resume', 'a', rule, 2);
    expect(decision.allowed).toBe(false);
    expect(next).toBe(state);
  });

  it('keeps keys apart', () => {
    const { decisions } = consumeAll(rule, [
      { key: 'a', now: 0 },
      { key: 'a', now: 0 },
      { key: 'b', now: 0 },
      { key: 'a', now: 0 },
    ]);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
  });
});

describe('decideConsume: global limit', () => {
  it('stops the many-sessions bypass: 30 sessions get 20 attempts in all', () => {
    const attempts = Array.from({ length: 30 }, (_, index) => ({ key: `session-${index}`, now: index }));
    const { decisions } = consumeAll(resume, attempts);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
    expect(decisions[20]).toEqual({
      allowed: false,
      retryAfterMs: 60_000 - 20,
      remaining: 0,
      scope: 'global',
    });
  });

  it('holds when each of many sessions also uses its own five', () => {
    const attempts = Array.from({ length: 50 }, (_, session) =>
      Array.from({ length: 5 }, () => ({ key: `session-${session}`, now: session })),
    ).flat();
    const { decisions } = consumeAll(resume, attempts);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
  });

  it('remaining is the smaller of the two windows', () => {
    const rule: OperationRule = {
      perKey: { limit: 5, windowMs: 1000 },
      global: { limit: 3, windowMs: 1000 },
    };
    const { decisions } = consumeAll(rule, [{ key: 'a', now: 0 }]);
    expect(decisions[0]?.remaining).toBe(2);
  });

  it('when both windows are full, reports the longer wait and its scope', () => {
    const keyLonger: OperationRule = {
      perKey: { limit: 1, windowMs: 5000 },
      global: { limit: 1, windowMs: 1000 },
    };
    expect(
      consumeAll(keyLonger, [
        { key: 'a', now: 0 },
        { key: 'a', now: 10 },
      ]).decisions[1],
    ).toEqual({
      allowed: false,
      retryAfterMs: 4990,
      remaining: 0,
      scope: 'key',
    });
    const globalLonger: OperationRule = {
      perKey: { limit: 1, windowMs: 1000 },
      global: { limit: 1, windowMs: 5000 },
    };
    expect(
      consumeAll(globalLonger, [
        { key: 'a', now: 0 },
        { key: 'a', now: 10 },
      ]).decisions[1],
    ).toMatchObject({
      retryAfterMs: 4990,
      scope: 'global',
    });
  });
});

describe('bounded memory', () => {
  it('keeps at most limit timestamps per key and globally under 100,000 attempts', () => {
    let state = emptyRateLimitState();
    for (let now = 0; now < 100_000; now += 1) {
      state = decideConsume(state, 'resume', 'session', resume, now).next;
      state = recordAttempt(state, 'resume', 'session', resume, now);
    }
    const recorded = operationStateOf(state, 'resume');
    expect(recorded?.keys).toHaveLength(1);
    expect(recorded?.keys[0]?.hits).toHaveLength(5);
    expect(recorded?.global.length).toBeLessThanOrEqual(20);
  });

  it('keeps at most global-limit keys when 100,000 attempts each use a new key', () => {
    let state = emptyRateLimitState();
    for (let now = 0; now < 100_000; now += 1) {
      state = decideConsume(state, 'resume', `session-${now}`, resume, now).next;
    }
    const recorded = operationStateOf(state, 'resume');
    expect(recorded?.keys.length).toBeLessThanOrEqual(20);
    expect(recorded?.global.length).toBeLessThanOrEqual(20);
  });

  it('drops keys idle for a whole window, exactly at the boundary, and keeps live ones', () => {
    const rule: OperationRule = { perKey: { limit: 5, windowMs: 60_000 } };
    let state = emptyRateLimitState();
    for (const [key, now] of [
      ['a', 0],
      ['b', 10],
      ['c', 30_000],
    ] as const) {
      state = decideConsume(state, 'resume', key, rule, now).next;
    }
    state = decideConsume(state, 'resume', 'd', rule, 60_009).next;
    expect(operationStateOf(state, 'resume')?.keys.map((entry) => entry.key)).toEqual(['b', 'c', 'd']);
    state = decideConsume(state, 'resume', 'd', rule, 60_010).next;
    expect(operationStateOf(state, 'resume')?.keys.map((entry) => entry.key)).toEqual(['c', 'd']);
  });

  it('orders keys by last hit so the idle ones are a prefix', () => {
    const rule: OperationRule = { perKey: { limit: 5, windowMs: 100 } };
    let state = emptyRateLimitState();
    for (const [key, now] of [
      ['a', 0],
      ['b', 10],
      ['a', 20],
    ] as const) {
      state = decideConsume(state, 'resume', key, rule, now).next;
    }
    expect(operationStateOf(state, 'resume')?.keys.map((entry) => entry.key)).toEqual(['b', 'a']);
    state = decideConsume(state, 'resume', 'c', rule, 115).next;
    expect(operationStateOf(state, 'resume')?.keys.map((entry) => entry.key)).toEqual(['a', 'c']);
  });
});

describe('decideCheck, recordAttempt, resetAttempts', () => {
  const rule: OperationRule = { perKey: { limit: 2, windowMs: 1000 }, global: { limit: 3, windowMs: 1000 } };

  it('check returns what consume would, without recording', () => {
    const state = emptyRateLimitState();
    expect(decideCheck(state, 'resume', 'a', rule, 0)).toEqual(
      decideConsume(state, 'resume', 'a', rule, 0).decision,
    );
    expect(operationStateOf(state, 'resume')).toBeUndefined();
  });

  it('record counts even when the window is full, and stays bounded', () => {
    let state = emptyRateLimitState();
    for (let now = 0; now < 10; now += 1) state = recordAttempt(state, 'resume', 'a', rule, now);
    expect(operationStateOf(state, 'resume')?.keys[0]?.hits).toEqual([8, 9]);
    expect(operationStateOf(state, 'resume')?.global).toEqual([7, 8, 9]);
    expect(decideCheck(state, 'resume', 'a', rule, 10)).toMatchObject({ allowed: false, retryAfterMs: 998 });
  });

  it('reset of a key keeps the global window; reset of the operation clears everything', () => {
    const { state } = consumeAll(rule, [
      { key: 'a', now: 0 },
      { key: 'a', now: 0 },
      { key: 'b', now: 0 },
    ]);
    const keyReset = resetAttempts(state, 'resume', 'a');
    expect(operationStateOf(keyReset, 'resume')?.keys.map((entry) => entry.key)).toEqual(['b']);
    expect(decideCheck(keyReset, 'resume', 'a', rule, 1)).toMatchObject({ allowed: false, scope: 'global' });
    expect(resetAttempts(state, 'resume')).toEqual(emptyRateLimitState());
    expect(resetAttempts(state, 'resume', 'unknown')).toBe(state);
    expect(resetAttempts(state, 'other')).toBe(state);
  });

  it('never mutates its input', () => {
    const { state } = consumeAll(rule, [
      { key: 'a', now: 0 },
      { key: 'b', now: 5 },
    ]);
    const frozen = deepFreeze(state);
    expect(() => {
      decideConsume(frozen, 'resume', 'a', rule, 2000);
      decideConsume(frozen, 'resume', 'c', rule, 6);
      recordAttempt(frozen, 'resume', 'b', rule, 7);
      resetAttempts(frozen, 'resume', 'a');
      resetAttempts(frozen, 'resume');
    }).not.toThrow();
  });

  it('treats an operation named like an Object.prototype member as absent', () => {
    const state = emptyRateLimitState();
    expect(decideConsume(state, 'constructor', 'a', rule, 0).decision.allowed).toBe(true);
    expect(resetAttempts(state, 'toString')).toBe(state);
  });
});

describe('property: never more than limit in any window', () => {
  const windowRule = fc.record({
    limit: fc.integer({ min: 1, max: 4 }),
    windowMs: fc.integer({ min: 1, max: 3000 }),
  });
  const ruleArbitrary = fc.record({ perKey: windowRule, global: fc.option(windowRule, { nil: undefined }) });
  const attemptsArbitrary = fc.array(
    fc.record({ gap: fc.integer({ min: 0, max: 1500 }), key: fc.constantFrom('a', 'b', 'c') }),
    { maxLength: 120 },
  );

  /** Attempts an unbounded log allows: at most `limit` timestamps t with now - t < windowMs. */
  function countIn(log: readonly number[], windowMs: number, now: number): number {
    return log.filter((time) => now - time < windowMs).length;
  }

  it('matches an unbounded reference log, bounds every window, and gives exact retry-after', () => {
    fc.assert(
      fc.property(ruleArbitrary, attemptsArbitrary, (generated, attempts) => {
        const rule: OperationRule =
          generated.global === undefined
            ? { perKey: generated.perKey }
            : { perKey: generated.perKey, global: generated.global };
        let state = emptyRateLimitState();
        let now = 0;
        const allowedByKey = new Map<string, number[]>();
        const allowedGlobal: number[] = [];
        for (const { gap, key } of attempts) {
          now += gap;
          const keyLog = allowedByKey.get(key) ?? [];
          const expected =
            countIn(keyLog, rule.perKey.windowMs, now) < rule.perKey.limit &&
            (rule.global === undefined ||
              countIn(allowedGlobal, rule.global.windowMs, now) < rule.global.limit);
          const { decision, next } = decideConsume(state, 'resume', key, rule, now);
          expect(decision.allowed).toBe(expected);
          if (decision.allowed) {
            keyLog.push(now);
            allowedByKey.set(key, keyLog);
            allowedGlobal.push(now);
          } else {
            expect(decision.retryAfterMs).toBeGreaterThan(0);
            expect(decideCheck(next, 'resume', key, rule, now + decision.retryAfterMs - 1).allowed).toBe(
              false,
            );
            expect(decideCheck(next, 'resume', key, rule, now + decision.retryAfterMs).allowed).toBe(true);
          }
          state = next;
          for (const entry of operationStateOf(state, 'resume')?.keys ?? []) {
            expect(entry.hits.length).toBeLessThanOrEqual(rule.perKey.limit);
          }
        }
        const windows = [...allowedByKey.values()].map((log) => ({ log, rule: rule.perKey }));
        if (rule.global !== undefined) windows.push({ log: allowedGlobal, rule: rule.global });
        for (const { log, rule: window } of windows) {
          for (let index = 0; index + window.limit < log.length; index += 1) {
            expect((log[index + window.limit] as number) - (log[index] as number)).toBeGreaterThanOrEqual(
              window.windowMs,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
