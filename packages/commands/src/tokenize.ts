import { err, ok, type Result } from '@jido-code/core-schema';

/** One word of a command line. */
export interface Token {
  /** The word with quotes and escapes removed. */
  readonly value: string;
  /** The word as typed, quotes included: `--name="two words"`. */
  readonly raw: string;
  /** Offset of its first character in the input. */
  readonly start: number;
  /** Offset just past its last character in the input. */
  readonly end: number;
}

/** Why a line could not be split into words. `position` is where the problem starts. */
export type TokenizeError =
  | { readonly reason: 'unclosed_quote'; readonly quote: '"' | "'"; readonly position: number }
  | { readonly reason: 'dangling_escape'; readonly position: number };

const whitespace = /\s/;

/**
 * Reads the word that starts at or after `from`, or `undefined` when only whitespace is left.
 *
 * Shell-like rules, kept small: words are separated by whitespace; `'…'` is literal (no escapes
 * inside); `"…"` and bare text treat a backslash as "take the next character literally"; quoted and
 * bare parts join into one word (`--name="two words"` is one word). An unclosed quote or a
 * backslash at the very end is an error, never a guess.
 */
export function readToken(input: string, from: number): Result<Token | undefined, TokenizeError> {
  let position = from;
  while (position < input.length && whitespace.test(input.charAt(position))) position += 1;
  if (position >= input.length) return ok(undefined);
  const start = position;
  let value = '';
  while (position < input.length) {
    const character = input.charAt(position);
    if (whitespace.test(character)) break;
    if (character === "'") {
      const close = input.indexOf("'", position + 1);
      if (close === -1) return err({ reason: 'unclosed_quote', quote: "'", position });
      value += input.slice(position + 1, close);
      position = close + 1;
    } else if (character === '"') {
      const quoted = readDoubleQuoted(input, position);
      if (!quoted.ok) return quoted;
      value += quoted.value.text;
      position = quoted.value.next;
    } else if (character === '\\') {
      if (position + 1 >= input.length) return err({ reason: 'dangling_escape', position });
      value += input.charAt(position + 1);
      position += 2;
    } else {
      value += character;
      position += 1;
    }
  }
  return ok({ value, raw: input.slice(start, position), start, end: position });
}

function readDoubleQuoted(
  input: string,
  open: number,
): Result<{ text: string; next: number }, TokenizeError> {
  let text = '';
  let position = open + 1;
  while (position < input.length) {
    const character = input.charAt(position);
    if (character === '"') return ok({ text, next: position + 1 });
    if (character === '\\' && position + 1 < input.length) {
      text += input.charAt(position + 1);
      position += 2;
    } else {
      text += character;
      position += 1;
    }
  }
  return err({ reason: 'unclosed_quote', quote: '"', position: open });
}

/** Splits `input` from offset `from` into words with {@link readToken}'s rules. */
export function tokenize(input: string, from = 0): Result<Token[], TokenizeError> {
  const tokens: Token[] = [];
  let position = from;
  for (;;) {
    const next = readToken(input, position);
    if (!next.ok) return next;
    if (next.value === undefined) return ok(tokens);
    tokens.push(next.value);
    position = next.value.end;
  }
}

/** A one-sentence description of a {@link TokenizeError}, for a usage message. */
export function describeTokenizeError(error: TokenizeError): string {
  return error.reason === 'unclosed_quote'
    ? `Unclosed ${error.quote === '"' ? 'double' : 'single'} quote.`
    : 'A backslash at the end of the line escapes nothing.';
}
