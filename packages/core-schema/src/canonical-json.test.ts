import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalMembers, joinCanonicalMembers } from './canonical-json.js';
import { unwrap } from './result.js';

/** Rebuilds `value` with every object's keys in a shuffled order (seeded, so a failure replays). */
function reorderKeys(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const visit = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(visit);
    if (item === null || typeof item !== 'object') return item;
    const entries = Object.entries(item).map(([key, child]) => [key, visit(child)] as const);
    for (let index = entries.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [entries[index], entries[other]] = [
        entries[other] as (typeof entries)[number],
        entries[index] as (typeof entries)[number],
      ];
    }
    // fromEntries defines own properties, so a "__proto__" key stays a key.
    return Object.fromEntries(entries);
  };
  return visit(value);
}

describe('canonicalJson', () => {
  it('sorts keys and drops whitespace', () => {
    expect(unwrap(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 2 } }))).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}',
    );
  });

  it('writes numbers in ECMAScript form', () => {
    expect(unwrap(canonicalJson([1.0, 1e21, 1e-7, -0, 0.1 + 0.2]))).toBe(
      '[1,1e+21,1e-7,0,0.30000000000000004]',
    );
  });

  it('sorts keys by UTF-16 code units', () => {
    expect(unwrap(canonicalJson({ é: 1, z: 2, '\u{1F600}': 3, A: 4 }))).toBe(
      '{"A":4,"z":2,"é":1,"\u{1F600}":3}',
    );
  });

  it('is stable under key reordering', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const reordered = reorderKeys(value, seed);
        expect(unwrap(canonicalJson(reordered))).toBe(unwrap(canonicalJson(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('parses back to the same value and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = unwrap(canonicalJson(value));
        // RFC 8785 writes -0 as 0, as JSON.stringify does; every other value comes back as it was.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(unwrap(canonicalJson(JSON.parse(text)))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('writes -0 as 0 (RFC 8785), so a signed -0 verifies as 0', () => {
    expect(unwrap(canonicalJson({ a: -0, b: [-0] }))).toBe('{"a":0,"b":[0]}');
  });

  it('keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":1}}');
    expect(unwrap(canonicalJson(value))).toBe('{"__proto__":{"x":1},"b":1}');
  });

  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const holey: unknown[] = [1];
  holey[2] = 3;

  it.each<[string, unknown, string]>([
    ['NaN', { a: Number.NaN }, 'a'],
    ['Infinity', { a: [1, Number.POSITIVE_INFINITY] }, 'a.1'],
    ['-Infinity', Number.NEGATIVE_INFINITY, ''],
    ['a lone high surrogate', { text: 'ok \ud800 no' }, 'text'],
    ['a lone low surrogate at the end', ['\udc00'], '0'],
    ['a lone surrogate in a key', { 'bad\ud83d': 1 }, ''],
    ['a function', { run: () => 1 }, 'run'],
    ['undefined', { missing: undefined }, 'missing'],
    ['undefined at the root', undefined, ''],
    ['a symbol', { s: Symbol('s') }, 's'],
    ['a bigint', { big: 10n }, 'big'],
    ['a class instance', { point: new Point(1, 2) }, 'point'],
    ['a Date', { when: new Date(0) }, 'when'],
    ['a Map', new Map([['a', 1]]), ''],
    ['an array hole', { list: holey }, 'list.1'],
  ])('refuses %s with invalid_value', (_label, value, path) => {
    const result = canonicalJson(value);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_value');
    expect(result.error.details.path).toBe(path);
  });

  it('accepts well-formed surrogate pairs and null-prototype objects', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: '\u{1F600}' });
    expect(unwrap(canonicalJson(bare))).toBe('{"a":"\u{1F600}","b":2}');
  });

  it('refuses a cycle with too_deep instead of overflowing the stack', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const result = canonicalJson(cycle);
    expect(!result.ok && result.error.code).toBe('too_deep');
  });
});

describe('canonicalMembers and joinCanonicalMembers', () => {
  const objects = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 12 });

  it('join to exactly the canonical JSON of the object', () => {
    fc.assert(
      fc.property(objects, (object) => {
        expect(joinCanonicalMembers(unwrap(canonicalMembers(object)))).toBe(unwrap(canonicalJson(object)));
      }),
      { numRuns: 300 },
    );
  });

  it('add an extra member where canonicalJson of the larger object puts it', () => {
    fc.assert(
      fc.property(objects, fc.string(), fc.string(), (object, key, value) => {
        const { [key]: _dropped, ...rest } = object;
        const members = unwrap(canonicalMembers(rest));
        expect(joinCanonicalMembers(members, { [key]: JSON.stringify(value) })).toBe(
          unwrap(canonicalJson({ ...rest, [key]: value })),
        );
      }),
      { numRuns: 300 },
    );
    expect(joinCanonicalMembers(unwrap(canonicalMembers({ z: 1, a: 2 })), { m: '"x"' })).toBe(
      '{"a":2,"m":"x","z":1}',
    );
  });

  it('leave undefined members out and refuse what canonicalJson refuses', () => {
    expect(joinCanonicalMembers(unwrap(canonicalMembers({ a: 1, b: undefined })))).toBe('{"a":1}');
    const refused = canonicalMembers({ a: Number.NaN });
    expect(!refused.ok && refused.error.code).toBe('invalid_value');
  });
});
