import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkJsonDepth } from './json-depth.js';
import { limits } from './limits.js';
import { parseJson } from './parse-json.js';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('checkJsonDepth', () => {
  it('returns the deepest nesting it saw', () => {
    expect(checkJsonDepth('1')).toEqual({ ok: true, value: 0 });
    expect(checkJsonDepth('{"a":[1,{"b":[]}],"c":{}}')).toEqual({ ok: true, value: 4 });
  });

  it('accepts exactly the cap and refuses the cap + 1 with too_deep', () => {
    expect(checkJsonDepth(nested(limits.maxDepth))).toEqual({ ok: true, value: limits.maxDepth });
    const result = checkJsonDepth(nested(limits.maxDepth + 1));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('too_deep');
    expect(result.error.details).toEqual({ maxDepth: limits.maxDepth, offset: limits.maxDepth });
  });

  it('takes a custom cap', () => {
    expect(checkJsonDepth('[[{}]]', 3).ok).toBe(true);
    expect(checkJsonDepth('[[{}]]', 2).ok).toBe(false);
  });

  it('ignores brackets inside strings', () => {
    const text = JSON.stringify({ a: '[[[[[[[[[[{{{{{{{{{{', b: ['}}}]]]'] });
    expect(checkJsonDepth(text, 2)).toEqual({ ok: true, value: 2 });
  });

  it('ignores escaped quotes inside strings', () => {
    // The string is `he said \"[[[[\"` : the escaped quotes must not end it.
    const text = JSON.stringify({ quote: 'he said "[[[[" and left \\', after: '[[[' });
    expect(checkJsonDepth(text, 1)).toEqual({ ok: true, value: 1 });
  });

  it('counts brackets after a string that ends in an escaped backslash', () => {
    const text = `["\\\\", ${nested(3)}]`;
    expect(checkJsonDepth(text)).toEqual({ ok: true, value: 4 });
    expect(checkJsonDepth(text, 3).ok).toBe(false);
  });

  it('counts brackets the same way the value walker does on real documents', () => {
    const text = JSON.stringify({ a: [{ b: [{ c: [] }] }] });
    expect(checkJsonDepth(text)).toEqual({ ok: true, value: 6 });
  });
});

/** The scan written the plain way, one character at a time: the oracle for the quote-jumping one. */
function deepestByCharacter(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '[' || character === '{') deepest = Math.max(deepest, ++depth);
    else if (character === ']' || character === '}') depth--;
  }
  return deepest;
}

describe('checkJsonDepth against a character-by-character scan', () => {
  it('agrees on text made of quotes, backslashes and brackets', () => {
    const characters = fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ',');
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 200 }), (parts) => {
        const text = parts.join('');
        expect(checkJsonDepth(text, 1_000)).toEqual({ ok: true, value: deepestByCharacter(text) });
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees on real JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(checkJsonDepth(text, 1_000)).toEqual({ ok: true, value: deepestByCharacter(text) });
      }),
      { numRuns: 300 },
    );
  });
});

describe('a 10 MB document of "["', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is refused with too_deep and never reaches JSON.parse', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const text = '['.repeat(10 * 1024 * 1024);
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('too_deep');
    expect(parse).not.toHaveBeenCalled();
  });

  it('is refused by the pre-scan on its own', () => {
    expect(checkJsonDepth('['.repeat(10 * 1024 * 1024)).ok).toBe(false);
  });
});
