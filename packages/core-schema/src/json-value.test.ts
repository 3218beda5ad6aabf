import { describe, expect, it } from 'vitest';
import { checkJsonDepth } from './json-depth.js';
import { checkJsonValue } from './json-value.js';
import { limits } from './limits.js';

function nestedArrays(levels: number, inner: unknown = []): unknown {
  let value = inner;
  for (let level = 1; level < levels; level++) value = [value];
  return value;
}

describe('checkJsonValue', () => {
  it('returns plain JSON data unchanged', () => {
    const value = { a: [1, 'two', null, false, { b: -0.5 }] };
    const result = checkJsonValue(value);
    expect(result.ok && result.value).toBe(value);
  });

  it('accepts exactly maxDepth nested containers and refuses one more with too_deep', () => {
    expect(checkJsonValue(nestedArrays(limits.maxDepth)).ok).toBe(true);
    expect(checkJsonValue(nestedArrays(limits.maxDepth, [1])).ok).toBe(true);
    const deeper = checkJsonValue(nestedArrays(limits.maxDepth + 1));
    expect(!deeper.ok && deeper.error.code).toBe('too_deep');
  });

  it('counts depth as checkJsonDepth does, so whatever it accepts parses back', () => {
    for (const levels of [1, 2, 5, limits.maxDepth - 1, limits.maxDepth, limits.maxDepth + 1]) {
      for (const inner of [[], {}, [7], { k: 'v' }]) {
        const value = nestedArrays(levels, inner);
        expect(checkJsonValue(value).ok).toBe(checkJsonDepth(JSON.stringify(value)).ok);
      }
    }
  });

  it('takes a custom depth', () => {
    expect(checkJsonValue({ a: { b: 1 } }, 2).ok).toBe(true);
    expect(checkJsonValue({ a: { b: {} } }, 2).ok).toBe(false);
    expect(checkJsonValue('scalar', 0).ok).toBe(true);
    expect(checkJsonValue([], 0).ok).toBe(false);
  });

  it('names the path of a bad value inside objects and arrays', () => {
    const result = checkJsonValue({ a: [{ b: 1 }, { c: Number.NaN }] });
    expect(!result.ok && result.error.details.path).toBe('a.1.c');
    expect(!result.ok && result.error.message).toBe('The value at "a.1.c" is not a finite number.');
  });

  it('says "(root)" when the root itself is bad', () => {
    const result = checkJsonValue(() => 1);
    expect(!result.ok && result.error.message).toBe(
      'The value at "(root)" is a function, which JSON cannot represent.',
    );
  });
});
