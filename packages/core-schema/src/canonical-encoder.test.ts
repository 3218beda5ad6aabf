import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

// `canonicalize` (the RFC 8785 reference the project used before) is the oracle: wherever it
// writes a value, the hand-written encoder must write the same bytes; wherever it throws (lone
// surrogates, non-finite numbers), the encoder must refuse with a typed error.
function oracle(value: unknown): string | undefined {
  try {
    return canonicalize(value);
  } catch {
    return undefined;
  }
}

function agrees(value: unknown): void {
  const expected = oracle(value);
  const actual = canonicalJson(value);
  if (expected === undefined) {
    expect(actual.ok).toBe(false);
    if (!actual.ok) expect(actual.error.code).toBe('invalid_value');
  } else {
    expect(actual).toEqual({ ok: true, value: expected });
  }
}

const edgeNumbers = fc.constantFrom(
  1e21,
  1e-7,
  -0,
  0,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  0.1 + 0.2,
  1e300 * 10,
  123456789012345680000,
);
// Every UTF-16 code unit is possible, so lone surrogates and control characters come up.
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\u2029',
      '\ud800',
      '\udfff',
      '"',
      '\\',
      'a',
      '\u{1F600}',
    ),
  }),
);
const keys = fc.oneof(
  anyText,
  fc.constantFrom(
    '__proto__',
    'toJSON',
    'constructor',
    '',
    'é',
    'Z',
    '\u{1F600}',
    '0',
    '1',
    '9',
    '10',
    '01',
    '-1',
  ),
);
const { tree } = fc.letrec<{ tree: unknown }>((recurse) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    edgeNumbers,
    fc.integer(),
    anyText,
    fc.array(recurse('tree'), { maxLength: 6 }),
    fc
      .dictionary(keys, recurse('tree'), { maxKeys: 6 })
      .map((entries) => JSON.parse(JSON.stringify(entries))),
  ),
}));

describe('the hand-written canonical encoder against canonicalize', () => {
  it('writes the same bytes for arbitrary JSON, and refuses exactly what it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(tree, fc.jsonValue()), (value) => agrees(value)),
      { numRuns: 2_000 },
    );
  });

  it('agrees on the numbers and strings RFC 8785 singles out', () => {
    for (const value of [
      1e21,
      -0,
      5e-324,
      [1e21, -0, 5e-324, 1e-7, 0.000001, 1e20],
      '\u0000\u0001\u001f\u007f\u2028 "\\',
      { '\u0080': 1, '\u00ff': 2, '\u{1F600}': 3, '\ufb33': 4, a: '\ud83d\ude00' },
      'lone \ud800 high',
      'lone \udc00 low',
      { 'key \udbff': 1 },
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      agrees(value);
    }
  });

  it('would notice a difference (the comparison is not vacuous)', () => {
    expect(oracle({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(() => agrees({ b: 1, a: 2, toString: undefined })).toThrow();
  });
});
