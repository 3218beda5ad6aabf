import { describe, expect, it } from 'vitest';
import { describeTokenizeError, readToken, tokenize } from './tokenize.js';

function values(input: string): string[] {
  const result = tokenize(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to split`);
  return result.value.map((token) => token.value);
}

describe('tokenize', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['', []],
    ['   ', []],
    ['a b  c', ['a', 'b', 'c']],
    ['\ta\nb ', ['a', 'b']],
    ['"two words"', ['two words']],
    ["'two words'", ['two words']],
    ['--name="two words"', ['--name=two words']],
    ['a"b c"d', ['ab cd']],
    ['two\\ words', ['two words']],
    ['"say \\"hi\\""', ['say "hi"']],
    ["'no \\escape'", ['no \\escape']],
    ['"it\'s"', ["it's"]],
    ['\'say "hi"\'', ['say "hi"']],
    ['""', ['']],
    ["'' x", ['', 'x']],
    ['back\\\\slash', ['back\\slash']],
  ];

  it.each(cases)('%j', (input, expected) => {
    expect(values(input)).toEqual(expected);
  });

  it('keeps the raw text and offsets of each word', () => {
    const result = tokenize('ab --name="x y" c', 0);
    expect(result.ok && result.value.map(({ raw, start, end }) => [raw, start, end])).toEqual([
      ['ab', 0, 2],
      ['--name="x y"', 3, 15],
      ['c', 16, 17],
    ]);
  });

  it('starts at the offset given', () => {
    const result = tokenize('/todo add x', 5);
    expect(result.ok && result.value.map((token) => token.value)).toEqual(['add', 'x']);
  });

  it('refuses an unclosed quote and a backslash at the end', () => {
    expect(tokenize('a "b')).toEqual({
      ok: false,
      error: { reason: 'unclosed_quote', quote: '"', position: 2 },
    });
    expect(tokenize("a 'b")).toEqual({
      ok: false,
      error: { reason: 'unclosed_quote', quote: "'", position: 2 },
    });
    expect(tokenize('"b\\"')).toEqual({
      ok: false,
      error: { reason: 'unclosed_quote', quote: '"', position: 0 },
    });
    expect(tokenize('a\\')).toEqual({ ok: false, error: { reason: 'dangling_escape', position: 1 } });
  });

  it('describes each error in a sentence', () => {
    expect(describeTokenizeError({ reason: 'unclosed_quote', quote: '"', position: 0 })).toBe(
      'Unclosed double quote.',
    );
    expect(describeTokenizeError({ reason: 'unclosed_quote', quote: "'", position: 0 })).toBe(
      'Unclosed single quote.',
    );
    expect(describeTokenizeError({ reason: 'dangling_escape', position: 0 })).toContain('backslash');
  });

  it('reads one word at a time, leaving the rest unread', () => {
    const first = readToken("add Don't", 0);
    expect(first.ok && first.value?.value).toBe('add');
    expect(readToken('   ', 0)).toEqual({ ok: true, value: undefined });
  });
});
