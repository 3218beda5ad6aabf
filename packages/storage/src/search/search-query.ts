import { err, JidoError, ok, type Result } from '@jido-code/core-schema';

/**
 * A parsed search query. Every term is a list of tokens: one for a word, several for a phrase or
 * for a word that holds punctuation (`foo-bar` is the phrase `foo bar`). Tokens keep the letters
 * as typed; the index folds case and accents itself, the same way for the query and the text.
 */
export interface SearchQuery {
  /** Terms that must all occur in one message. */
  readonly include: readonly SearchTerm[];
  /** Terms none of which may occur in that message. */
  readonly exclude: readonly SearchTerm[];
}

/** One word or phrase of a query. */
export interface SearchTerm {
  /** Tokens as typed (NFC), in order. */
  readonly tokens: readonly string[];
  /** True for a typed word: its last token matches as a prefix. A quoted phrase matches exactly. */
  readonly prefix: boolean;
}

/** The longest query text considered; the rest is ignored so a pasted novel cannot stall a search. */
const maxQueryLength = 1000;
/** At most this many terms are used. */
const maxQueryTerms = 32;

// The same token rule as SQLite FTS5's unicode61 tokenizer with its default categories
// (`L* N* Co`): every other character separates tokens.
const separator = /[^\p{L}\p{N}\p{Co}]+/u;
const combiningMark = /\p{M}/gu;
const asciiOnly = /^\p{ASCII}*$/u;

/** Splits text into tokens (NFC, not folded) at the characters the index treats as separators. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFC')
    .split(separator)
    .filter((token) => token !== '');
}

/**
 * Folds a token about the way the index does (`remove_diacritics 2`): lower case, and a letter
 * that decomposes into a base and accents becomes the base. Used for highlighting and as the
 * reference in tests; the index's own folding decides what matches.
 */
export function foldToken(token: string): string {
  // No ASCII character decomposes, so ASCII text folds to its lower case: the common case, without
  // normalizing one character at a time (most of a verified search's time went there).
  if (asciiOnly.test(token)) return token.toLowerCase();
  let folded = '';
  for (const character of token) {
    const decomposed = character.normalize('NFD');
    const base = decomposed.replace(combiningMark, '');
    folded += base !== '' && base !== decomposed ? base : character;
  }
  return folded.toLowerCase();
}

interface RawTerm {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
}

function splitTerms(input: string): RawTerm[] {
  const terms: RawTerm[] = [];
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  for (const match of input.slice(0, maxQueryLength).matchAll(pattern)) {
    if (match[3] !== undefined) {
      const negated = match[3].startsWith('-') && match[3].length > 1;
      terms.push({ text: negated ? match[3].slice(1) : match[3], quoted: false, negated });
    } else {
      terms.push({ text: match[2] ?? '', quoted: true, negated: match[1] === '-' });
    }
  }
  return terms;
}

/**
 * Parses what a user typed: words match as prefixes, `"a phrase"` matches exactly, `-word` and
 * `-"a phrase"` exclude. Nothing a user types is a syntax error: stray quotes close at the end,
 * FTS operators are plain words. A query with no letter or digit to look for is a `usage` error.
 */
export function parseSearchQuery(input: string): Result<SearchQuery> {
  const include: SearchTerm[] = [];
  const exclude: SearchTerm[] = [];
  for (const term of splitTerms(input.replaceAll('\0', ' '))) {
    const tokens = tokenize(term.text);
    if (tokens.length === 0) continue;
    if (include.length + exclude.length >= maxQueryTerms) break;
    (term.negated ? exclude : include).push({ tokens, prefix: !term.quoted });
  }
  if (include.length === 0) {
    return err(
      new JidoError('usage', 'Give at least one word to search for (letters or digits).', {
        details: { query: input.slice(0, 80) },
      }),
    );
  }
  return ok({ include, exclude });
}

function termExpression(term: SearchTerm): string {
  // Tokens hold no separator, so no double quote: quoting them is all the escaping FTS5 needs.
  return `"${term.tokens.join(' ')}"${term.prefix ? '*' : ''}`;
}

/** The FTS5 MATCH expression of a parsed query; built only from folded tokens, never raw input. */
export function ftsExpression(query: SearchQuery): string {
  const positive = query.include.map(termExpression).join(' AND ');
  if (query.exclude.length === 0) return positive;
  return `(${positive}) NOT (${query.exclude.map(termExpression).join(' OR ')})`;
}

const foldedTerms = new WeakMap<SearchTerm, readonly string[]>();

/** The term's tokens folded, once per term. */
function foldedTokensOf(term: SearchTerm): readonly string[] {
  let folded = foldedTerms.get(term);
  if (folded === undefined) {
    folded = term.tokens.map(foldToken);
    foldedTerms.set(term, folded);
  }
  return folded;
}

/** Whether a term occurs in a list of folded tokens starting at `start`. */
export function termOccursAt(term: SearchTerm, tokens: readonly string[], start: number): boolean {
  const wantedTokens = foldedTokensOf(term);
  const last = wantedTokens.length - 1;
  if (start < 0 || start + last >= tokens.length) return false;
  for (let offset = 0; offset <= last; offset += 1) {
    const token = tokens[start + offset] as string;
    const wanted = wantedTokens[offset] as string;
    if (offset === last && term.prefix ? !token.startsWith(wanted) : token !== wanted) return false;
  }
  return true;
}

/** Whether a term occurs in a list of folded tokens. */
export function termOccurs(term: SearchTerm, tokens: readonly string[]): boolean {
  const last = foldedTokensOf(term).length - 1;
  for (let start = 0; start + last < tokens.length; start += 1) {
    if (termOccursAt(term, tokens, start)) return true;
  }
  return false;
}

/**
 * Whether one message's text matches the query: the reference the index is tested against. An
 * ASCII text, whose tokens fold to its lower case, cannot match unless that lower case contains the
 * first folded token of every included term: checked first, so most messages are never tokenized.
 */
export function messageMatches(query: SearchQuery, text: string): boolean {
  if (asciiOnly.test(text)) {
    const lower = text.toLowerCase();
    for (const term of query.include) {
      if (!lower.includes(foldToken(term.tokens[0] ?? ''))) return false;
    }
  }
  const tokens = tokenize(text).map(foldToken);
  return (
    query.include.every((term) => termOccurs(term, tokens)) &&
    !query.exclude.some((term) => termOccurs(term, tokens))
  );
}
