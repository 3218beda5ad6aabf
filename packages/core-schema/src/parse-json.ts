import { JidoError } from './errors.js';
import { checkJsonDepth } from './json-depth.js';
import { limits } from './limits.js';
import { err, ok, type Result } from './result.js';

/** Options for {@link parseJson}. */
export interface ParseJsonOptions {
  /** Deepest nesting allowed (checked before parsing). */
  readonly maxDepth?: number | undefined;
}

/**
 * Parses JSON text without throwing: the depth is checked first in linear time, then
 * `JSON.parse` runs. A leading byte-order mark is refused rather than guessed at.
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): Result<unknown> {
  const depth = checkJsonDepth(text, options.maxDepth ?? limits.maxDepth);
  if (!depth.ok) return depth;
  try {
    return ok(JSON.parse(text));
  } catch (cause) {
    return err(new JidoError('invalid_json', 'The document is not valid JSON.', { cause }));
  }
}
