import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCanonical, notEncodable } from './canonical-encoder.js';
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

/** `value` with every object's keys in `order` (sorted: all native stringify; reversed: all written member by member). */
function reorder(value: unknown, order: 'sorted' | 'reversed'): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, order));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort();
  if (order === 'reversed') keys.reverse();
  // JSON.parse, so that a `__proto__` key stays an own member.
  const members = keys.map(
    (key) =>
      `${JSON.stringify(key)}:${JSON.stringify(reorder((value as Record<string, unknown>)[key], order))}`,
  );
  return JSON.parse(`{${members.join(',')}}`);
}

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

  it('agrees whether a value goes to the native stringify whole or is written member by member', () => {
    const jsonTree = tree.filter((value) => oracle(value) !== undefined);
    fc.assert(
      fc.property(fc.oneof(jsonTree, fc.jsonValue()), (value) => {
        const sorted = reorder(value, 'sorted');
        const reversed = reorder(value, 'reversed');
        agrees(sorted);
        agrees(reversed);
        expect(canonicalJson(reversed)).toEqual(canonicalJson(sorted));
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes out-of-order objects, and the arrays and objects around them, member by member', () => {
    const text = 'quote " backslash \\ newline \n tab \t DEL \u007f é \u2028 \u{1F600}';
    for (const value of [
      [{ message: { id: 'a1', role: 'user', content: 'Question?', timestamp: '2025-01-01T00:00:00.000Z' } }],
      { a: 1, b: [true, null, 'x', { z: 1, y: 2 }, 3.5], c: { d: 'e' }, f: 'g' },
      [1, 'two', null, { b: text, a: text }, [3], { [text]: 1, '': 2 }],
      { b: { [text]: text, plain: 'plain' }, a: -0, c: 1e21 },
      { 10: 'ten', 2: 'two', 1: 'one', b: 'b', a: 'a' },
      Object.fromEntries(
        Array.from({ length: 40 }, (_, index) => [`k${(index * 7) % 40}`, { b: index, a: 0 }]),
      ),
      JSON.parse('{"z":1,"__proto__":{"y":2,"x":[1,{"b":1,"a":0}]}}'),
      Object.assign(Object.create(null), { b: 2, a: Object.assign(Object.create(null), { d: 4, c: 3 }) }),
      { b: 1, a: { lone: '\ud800' } },
      { b: 1, a: Number.NaN },
    ]) {
      agrees(value);
    }
    // Where canonicalize writes what is not JSON data (null for undefined, a hole, a Date's
    // toJSON), the encoder refuses, as checkJsonValue does, on the written path too.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point.
    for (const value of [[{ b: 1, a: 2 }, undefined], [{ b: 1, a: 2 }, , 3], { b: 1, a: new Date(0) }]) {
      expect(canonicalJson(value).ok).toBe(false);
    }
  });

  it('refuses nesting past maxDepth exactly, in order or not', () => {
    expect(encodeCanonical([[1]], 2)).toBe('[[1]]');
    expect(encodeCanonical([[[1]]], 2)).toBe(notEncodable);
    expect(encodeCanonical({ b: { d: 1, c: 2 }, a: 0 }, 2)).toBe('{"a":0,"b":{"c":2,"d":1}}');
    expect(encodeCanonical({ b: { d: [], c: 2 }, a: 0 }, 2)).toBe(notEncodable);
  });

  it('would notice a difference (the comparison is not vacuous)', () => {
    expect(oracle({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(() => agrees({ b: 1, a: 2, toString: undefined })).toThrow();
  });
});
