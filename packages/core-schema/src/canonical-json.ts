import canonicalize from 'canonicalize';
import { JidoError } from './errors.js';
import { checkJsonValue } from './json-value.js';
import { err, ok, type Result } from './result.js';

/**
 * Serializes `value` as RFC 8785 canonical JSON (sorted keys, ECMAScript number form, no
 * whitespace): the exact bytes that get signed, whatever order fields were built in. Values JSON
 * cannot represent exactly are refused with a typed error.
 */
export function canonicalJson(value: unknown): Result<string> {
  const checked = checkJsonValue(value);
  if (!checked.ok) return checked;
  const text = canonicalize(checked.value);
  if (text === undefined) return err(new JidoError('invalid_value', 'The value cannot be serialized.'));
  return ok(text);
}
