import { JidoError } from './errors.js';
import { limits } from './limits.js';
import { err, ok, type Result } from './result.js';

/** A value JSON can represent exactly. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function refuse(path: string, reason: string): Result<JsonValue> {
  return err(
    new JidoError('invalid_value', `The value at "${path || '(root)'}" ${reason}.`, { details: { path } }),
  );
}

// `depth` counts the arrays and objects around `value`. Only containers are counted against
// `maxDepth`, as checkJsonDepth counts brackets, so every value accepted here parses back.
function walk(value: unknown, path: string, depth: number, maxDepth: number): Result<JsonValue> {
  switch (typeof value) {
    case 'string':
      return loneSurrogate.test(value) ? refuse(path, 'contains an unpaired surrogate') : ok(value);
    case 'number':
      return Number.isFinite(value) ? ok(value) : refuse(path, 'is not a finite number');
    case 'boolean':
      return ok(value);
    case 'object': {
      if (value === null) return ok(null);
      if (depth >= maxDepth) {
        return err(new JidoError('too_deep', 'The value is nested too deeply.', { details: { path } }));
      }
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          const itemPath = path ? `${path}.${index}` : String(index);
          if (!(index in value)) return refuse(itemPath, 'is a hole in an array');
          const item = walk(value[index], itemPath, depth + 1, maxDepth);
          if (!item.ok) return item;
        }
        return ok(value as JsonValue[]);
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return refuse(path, 'is not a plain object');
      for (const key of Object.keys(value)) {
        if (loneSurrogate.test(key)) return refuse(path, 'has a key with an unpaired surrogate');
        const item = walk(
          (value as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
          depth + 1,
          maxDepth,
        );
        if (!item.ok) return item;
      }
      return ok(value as JsonValue);
    }
    default:
      return refuse(path, `is a ${typeof value}, which JSON cannot represent`);
  }
}

/**
 * Checks that `value` is plain JSON data: finite numbers, well-formed strings, plain objects and
 * dense arrays, nested no deeper than `maxDepth`. NaN, functions, undefined, symbols, bigints,
 * class instances and lone surrogates are refused with a typed error instead of being silently
 * changed by `JSON.stringify`.
 */
export function checkJsonValue(value: unknown, maxDepth: number = limits.maxDepth): Result<JsonValue> {
  return walk(value, '', 0, maxDepth);
}
