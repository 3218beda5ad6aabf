import { encodeCanonical, notEncodable } from './canonical-encoder.js';
import { JidoError } from './errors.js';
import { checkJsonValue } from './json-value.js';
import { err, ok, type Result } from './result.js';

/**
 * Serializes `value` as RFC 8785 canonical JSON (sorted keys, ECMAScript number form, no
 * whitespace): the exact bytes that get signed, whatever order fields were built in. Values JSON
 * cannot represent exactly are refused with a typed error.
 */
export function canonicalJson(value: unknown): Result<string> {
  const text = encodeCanonical(value);
  if (text !== notEncodable) return ok(text);
  // The fast walk only knows that something is wrong; the checker names what and where.
  const checked = checkJsonValue(value);
  if (!checked.ok) return checked;
  return err(new JidoError('invalid_value', 'The value cannot be serialized.'));
}

/**
 * The members of a plain object in canonical form, each value serialized once: join them with
 * {@link joinCanonicalMembers}, adding fields if needed, without serializing the others again (a
 * session's payload and its signed document share every member but `signature`).
 */
export type CanonicalMembers = ReadonlyMap<string, string>;

/** Serializes every member of `object` canonically (see {@link canonicalJson}); `undefined` members are left out. */
export function canonicalMembers(object: Readonly<Record<string, unknown>>): Result<CanonicalMembers> {
  const members = new Map<string, string>();
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const name = canonicalJson(key);
    if (!name.ok) return name;
    const text = canonicalJson(value);
    if (!text.ok) return text;
    members.set(key, `${name.value}:${text.value}`);
  }
  return ok(members);
}

/**
 * Joins members into the canonical JSON of their object: sorted by UTF-16 code units, as
 * RFC 8785 and `canonicalize` sort them. `extra` members (already serialized values) are added.
 */
export function joinCanonicalMembers(
  members: CanonicalMembers,
  extra: Readonly<Record<string, string>> = {},
): string {
  const all = new Map(members);
  for (const [key, value] of Object.entries(extra)) all.set(key, `${JSON.stringify(key)}:${value}`);
  const keys = [...all.keys()].sort();
  return `{${keys.map((key) => all.get(key)).join(',')}}`;
}
