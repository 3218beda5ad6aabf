import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxRuleLimit, validateRateLimitRules } from './rules.js';
import { rateLimitRulesSchema } from './rules-schema.js';
import { decodeRateLimitState } from './state.js';
import { rateLimitStateSchema } from './state-schema.js';

// The limiter checks its rules and its state by hand, without zod; the schemas are the reference.

const names = fc.constantFrom(
  'resume',
  'login',
  'a.b:c-d_e',
  '9bad',
  '',
  '__proto__',
  'constructor',
  'x'.repeat(65),
);
const whole = fc.constantFrom(
  0,
  1,
  2,
  1.5,
  -1,
  maxRuleLimit,
  maxRuleLimit + 1,
  2_592_000_000,
  2_592_000_001,
  '3',
  null,
);
const windowRule = fc.oneof(
  fc.record({ limit: whole, windowMs: whole }),
  fc.record({ limit: whole, windowMs: whole, extra: fc.constant(1) }),
  fc.record({ limit: whole }),
  fc.constant(null),
);
const rulesArbitrary = fc.dictionary(
  names,
  fc.oneof(
    fc.record({ perKey: windowRule }),
    fc.record({ perKey: windowRule, global: windowRule }),
    fc.constant(7),
  ),
  { maxKeys: 3 },
);

/**
 * For every generated input, the hand check and the schema give the same verdict (and, with
 * `same`, the same value); both verdicts come up, so the property is not vacuous.
 */
function expectSameVerdicts<T>(
  arbitrary: fc.Arbitrary<T>,
  verdicts: (input: T) => { reference: { success: boolean; data?: unknown }; checked: unknown },
  same = true,
) {
  const stats = { accepted: 0, invalid: 0 };
  fc.assert(
    fc.property(arbitrary, (input) => {
      const { reference, checked } = verdicts(input);
      expect(checked !== undefined).toBe(reference.success);
      if (!reference.success) stats.invalid++;
      else {
        stats.accepted++;
        if (same) expect(checked).toEqual(reference.data);
      }
    }),
    { numRuns: 2_000 },
  );
  expect(stats.accepted).toBeGreaterThan(100);
  expect(stats.invalid).toBeGreaterThan(100);
}

describe('validateRateLimitRules', () => {
  it('accepts exactly what rateLimitRulesSchema accepts, returning what it returns', () => {
    expectSameVerdicts(rulesArbitrary, (rules) => {
      const reference = rateLimitRulesSchema.safeParse(structuredClone(rules));
      try {
        return { reference, checked: validateRateLimitRules(rules) };
      } catch {
        return { reference, checked: undefined };
      }
    });
  });
});

const hits = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 4 }),
  fc.constant([1, 'x']),
  fc.constant('hits'),
);
const keyLog = fc.oneof(
  fc.record({ key: fc.constantFrom('a', 'b', '', 'x'.repeat(256), 'x'.repeat(257)), hits }),
  fc.record({ key: fc.constant(5), hits }),
  fc.constant(null),
);
const stateArbitrary = fc.record({
  version: fc.constantFrom(1, 1, 1, 2),
  operations: fc.dictionary(
    names,
    fc.oneof(
      fc.record({ global: hits, keys: fc.array(keyLog, { maxLength: 3 }) }),
      fc.record({ global: hits }),
    ),
    { maxKeys: 3 },
  ),
});

describe('decodeRateLimitState', () => {
  it('accepts exactly what rateLimitStateSchema accepts', () => {
    expectSameVerdicts(
      stateArbitrary,
      (state) => {
        const decoded = decodeRateLimitState(new TextEncoder().encode(JSON.stringify(state)));
        return {
          reference: rateLimitStateSchema.safeParse(structuredClone(state)),
          checked: decoded.ok ? decoded.value : undefined,
        };
      },
      // Decoding also sorts hits and drops empty logs: the verdicts must agree, not the values.
      false,
    );
  });
});
