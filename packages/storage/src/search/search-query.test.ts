import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldToken, parseSearchQuery, termOccurs, termOccursAt } from './search-query.js';

/** The fold character by character, as the index does it: the reference for the ASCII shortcut. */
function foldEachCharacter(token: string): string {
  let folded = '';
  for (const character of token) {
    const decomposed = character.normalize('NFD');
    const base = decomposed.replace(/\p{M}/gu, '');
    folded += base !== '' && base !== decomposed ? base : character;
  }
  return folded.toLowerCase();
}

describe('foldToken', () => {
  it('folds every ASCII text as the character-by-character fold does', () => {
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    expect(foldToken(ascii)).toBe(foldEachCharacter(ascii));
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (text) => {
        expect(foldToken(text)).toBe(foldEachCharacter(text));
      }),
    );
  });

  it('still removes accents and lower-cases any other text', () => {
    expect(foldToken('Crème-BRÛLÉE')).toBe('creme-brulee');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(foldToken(text)).toBe(foldEachCharacter(text));
      }),
    );
  });
});

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
