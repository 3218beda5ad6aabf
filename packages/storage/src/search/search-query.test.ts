import { describe, expect, it } from 'vitest';
import { parseSearchQuery, termOccurs, termOccursAt } from './search-query.js';

describe('termOccursAt', () => {
  it('finds a term where termOccurs says it is, and nowhere else', () => {
    const query = parseSearchQuery('"red fox" jump');
    if (!query.ok) throw query.error;
    const tokens = ['the', 'red', 'fox', 'jumped', 'over', 'red', 'foxes'];
    const [phrase, word] = query.value.include;
    if (phrase === undefined || word === undefined) throw new Error('two terms expected');
    expect(tokens.map((_, start) => termOccursAt(phrase, tokens, start))).toEqual([
      false,
      true,
      false,
      false,
      false,
      // A quoted phrase is exact: "red foxes" is not "red fox".
      false,
      false,
    ]);
    expect(tokens.map((_, start) => termOccursAt(word, tokens, start)).indexOf(true)).toBe(3);
    expect(termOccurs(phrase, tokens)).toBe(true);
    expect(termOccurs(phrase, ['red'])).toBe(false);
  });
});
