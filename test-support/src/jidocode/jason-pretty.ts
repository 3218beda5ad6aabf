/**
 * A writer of JSON exactly as JidoCode's `Jason.encode(map, pretty: true, maps: :strict)` lays it
 * out, written from the description of that format (not from Jason's code): two-space
 * indent, `"key": value`, keys in byte order at every level, `{}` and `[]` for empty containers,
 * no trailing newline, control characters as `\uXXXX` with upper-case hex (`\b \t \n \f \r` in
 * their short forms), and floats always with a fraction or exponent (`1.0`, `1.0e-7`).
 *
 * JavaScript numbers do not say whether they are floats, so a float is marked with
 * {@link jasonFloat}; a plain number is written as an integer.
 */

/** A number to write the way Elixir writes a float. */
export class JasonFloat {
  constructor(readonly value: number) {}
}

/** Marks `value` as an Elixir float, so `1` is written `1.0`. */
export function jasonFloat(value: number): JasonFloat {
  return new JasonFloat(value);
}

/** What {@link encodeJasonPretty} accepts. */
export type JasonValue =
  | string
  | number
  | boolean
  | null
  | JasonFloat
  | readonly JasonValue[]
  | { readonly [key: string]: JasonValue | undefined };

const shortEscapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** A JSON string literal with Jason's escapes. */
export function jasonString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  const escaped = text.replace(/["\\\u0000-\u001f]/g, (character) => {
    const short = shortEscapes[character];
    if (short !== undefined) return short;
    return `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

/** Elixir's shortest float text: always a `.` in the mantissa, exponent without `+`. */
export function jasonFloatText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('JSON has no NaN or Infinity');
  const text = Object.is(value, -0) ? '-0' : String(value);
  const [mantissa = text, exponent] = text.split('e');
  const withFraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withFraction : `${withFraction}e${exponent.replace('+', '')}`;
}

/** Byte order of the UTF-8 encodings, which differs from UTF-16 order above U+D7FF. */
export function compareKeysByBytes(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

function encodeAt(value: JasonValue, indent: string): string {
  if (value === null) return 'null';
  if (value instanceof JasonFloat) return jasonFloatText(value.value);
  if (typeof value === 'string') return jasonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`mark non-integer ${value} with jasonFloat()`);
    return String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item: JasonValue) => `${inner}${encodeAt(item, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, JasonValue | undefined>)
    .filter((entry): entry is [string, JasonValue] => entry[1] !== undefined)
    .sort(([left], [right]) => compareKeysByBytes(left, right));
  if (entries.length === 0) return '{}';
  const members = entries.map(([key, item]) => `${inner}${jasonString(key)}: ${encodeAt(item, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/** `value` encoded as JidoCode writes a session file. */
export function encodeJasonPretty(value: JasonValue): string {
  return encodeAt(value, '');
}
