import { describe, expect, it } from 'vitest';
import {
  decodeRateLimitState,
  emptyRateLimitState,
  encodeRateLimitState,
  operationStateOf,
  type RateLimitState,
  withOperationState,
} from './state.js';

describe('rate-limit state document', () => {
  const state: RateLimitState = {
    version: 1,
    operations: {
      resume: {
        global: [1, 2],
        keys: [
          { key: 'a', hits: [1] },
          { key: 'b', hits: [2] },
        ],
      },
    },
  };

  it('round-trips through encode and decode', () => {
    expect(decodeRateLimitState(encodeRateLimitState(state))).toEqual({ ok: true, value: state });
    expect(decodeRateLimitState(encodeRateLimitState(emptyRateLimitState()))).toEqual({
      ok: true,
      value: emptyRateLimitState(),
    });
  });

  it('drops empty logs and idle operations on decode', () => {
    const decoded = decodeRateLimitState(
      new TextEncoder().encode(
        JSON.stringify({
          version: 1,
          operations: {
            resume: { global: [], keys: [{ key: 'a', hits: [] }] },
            other: { global: [3], keys: [] },
          },
        }),
      ),
    );
    expect(decoded).toEqual({
      ok: true,
      value: { version: 1, operations: { other: { global: [3], keys: [] } } },
    });
  });

  it('refuses keys longer than the limit and logs longer than the largest rule', () => {
    const tooLongKey = {
      version: 1,
      operations: { resume: { global: [], keys: [{ key: 'k'.repeat(257), hits: [1] }] } },
    };
    const tooManyHits = { version: 1, operations: { resume: { global: Array(100_001).fill(1), keys: [] } } };
    for (const document of [tooLongKey, tooManyHits]) {
      const decoded = decodeRateLimitState(new TextEncoder().encode(JSON.stringify(document)));
      expect(decoded.ok === false && decoded.error.code).toBe('invalid_schema');
    }
  });

  it('drops a __proto__ operation without touching any prototype', () => {
    const decoded = decodeRateLimitState(
      new TextEncoder().encode('{"version":1,"operations":{"__proto__":{"global":[1],"keys":[]}}}'),
    );
    expect(decoded).toEqual({ ok: true, value: emptyRateLimitState() });
    if (!decoded.ok) return;
    expect(Object.getPrototypeOf(decoded.value.operations)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded.value.operations, '__proto__')).toBe(false);
  });
});

describe('operationStateOf and withOperationState', () => {
  it('looks up own operations only', () => {
    expect(operationStateOf(emptyRateLimitState(), 'constructor')).toBeUndefined();
    expect(operationStateOf(emptyRateLimitState(), 'hasOwnProperty')).toBeUndefined();
  });

  it('removes an operation that records nothing, and returns the same state when absent', () => {
    const empty = emptyRateLimitState();
    const one = withOperationState(empty, 'resume', { global: [1], keys: [] });
    expect(operationStateOf(one, 'resume')).toEqual({ global: [1], keys: [] });
    expect(withOperationState(one, 'resume', { global: [], keys: [] })).toEqual(empty);
    expect(withOperationState(empty, 'resume', undefined)).toBe(empty);
  });
});
