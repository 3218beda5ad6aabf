/**
 * `foldToken` folds ASCII text by lower-casing it in one step: the same result, character for
 * character, as decomposing and stripping accents one character at a time (which it still does
 * for any token holding a non-ASCII character); `messageMatches` rejects an ASCII message that
 * cannot hold a query's words before tokenizing it, with the same answers as tokenizing it.
 */
import { expect, it } from 'vitest';
import {
  foldToken,
  messageMatches,
  parseSearchQuery,
  type SearchQuery,
  termOccurs,
  tokenize,
} from './search-query.js';

/** The per-character folding, as `foldToken` does it for non-ASCII tokens. */
function foldSlowly(token: string): string {
  let folded = '';
  for (const character of token) {
    const decomposed = character.normalize('NFD');
    const base = decomposed.replace(/\p{M}/gu, '');
    folded += base !== '' && base !== decomposed ? base : character;
  }
  return folded.toLowerCase();
}

it('every ASCII character folds as the per-character folding does', () => {
  const all = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
  expect(foldToken(all)).toBe(foldSlowly(all));
  for (const token of ['Hello', 'ZEPPELIN', 'sk-live-123', 'a_B.c', '']) {
    expect(foldToken(token)).toBe(foldSlowly(token));
  }
});

it('tokens with accents, other scripts or astral characters still fold one character at a time', () => {
  expect(foldToken('Crème')).toBe('creme');
  expect(foldToken('ÉCOLE')).toBe('ecole');
  expect(foldToken('Straße')).toBe(foldSlowly('Straße'));
  expect(foldToken('Ωmega')).toBe('ωmega');
  expect(foldToken('naïve😀')).toBe('naive😀');
  for (const token of ['Ångström', 'Ǆemal', 'ﬁle', 'İstanbul', 'e\u0301t\u00e9']) {
    expect(foldToken(token)).toBe(foldSlowly(token));
  }
});

it('messageMatches answers as tokenizing and folding every message would, ASCII or not', () => {
  const slow = (query: SearchQuery, text: string) => {
    const tokens = tokenize(text).map(foldSlowly);
    return (
      query.include.every((term) => termOccurs(term, tokens)) &&
      !query.exclude.some((term) => termOccurs(term, tokens))
    );
  };
  const texts = [
    'The Zeppelin plan, draft 2',
    'zeppelins over the fjord',
    'a CRÈME brûlée recipe',
    'creme brulee, plain',
    'sk-live-123 token',
    'Straße und Weg',
    'naïve ideas; naive ones',
    'émigré',
    '',
  ];
  const queries = [
    'zeppelin',
    '"zeppelin plan"',
    'creme',
    'crème -brulee',
    'live',
    'strasse',
    'naive',
    'emi',
    'plan -draft',
  ];
  let matched = 0;
  for (const typed of queries) {
    const query = parseSearchQuery(typed);
    if (!query.ok) throw query.error;
    for (const text of texts) {
      expect(messageMatches(query.value, text)).toBe(slow(query.value, text));
      if (slow(query.value, text)) matched += 1;
    }
  }
  expect(matched).toBe(8);
});
