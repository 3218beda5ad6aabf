import { JidoError } from './errors.js';
import { limits } from './limits.js';
import { err, ok, type Result } from './result.js';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Rejects JSON text nested deeper than `maxDepth` in one linear pass, before `JSON.parse` ever
 * sees it: a file of ten million `[` would otherwise take seconds to parse and then break any
 * recursive walker. Brackets inside strings are skipped. It does not validate the JSON.
 */
export function checkJsonDepth(text: string, maxDepth: number = limits.maxDepth): Result<number> {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = closingQuote(text, index);
      if (index < 0) break;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxDepth) {
          return err(
            new JidoError('too_deep', 'The document is nested too deeply.', {
              details: { maxDepth, offset: index },
            }),
          );
        }
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
  }
  return ok(deepest);
}

/**
 * Index of the quote closing the string opened at `open`, or -1 when it is never closed. Jumps
 * from quote to quote with `indexOf` (strings are most of a session's text); a quote preceded by
 * an odd run of backslashes is escaped. Each backslash is looked at once, so this stays linear.
 */
function closingQuote(text: string, open: number): number {
  let quote = open;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}
