import { describe, expect, it } from 'vitest';
import { parseJson } from './parse-json.js';

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{"a":[1,2,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, 2, { b: null }] } });
  });

  it('returns invalid_json with the SyntaxError as cause instead of throwing', () => {
    for (const text of ['', '{', "{'a':1}", '[1,]', 'NaN', '{"a":1}}']) {
      const result = parseJson(text);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('invalid_json');
      expect(result.error.message).toBe('The document is not valid JSON.');
      expect(result.error.cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('refuses a byte-order mark', () => {
    const result = parseJson('\uFEFF{}');
    expect(!result.ok && result.error.code).toBe('invalid_json');
  });

  it('checks depth before parsing, with a configurable cap', () => {
    expect(parseJson('[[[]]]', { maxDepth: 3 }).ok).toBe(true);
    const result = parseJson('[[[[]]]]', { maxDepth: 3 });
    expect(!result.ok && result.error.code).toBe('too_deep');
  });
});
