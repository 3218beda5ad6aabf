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
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
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
