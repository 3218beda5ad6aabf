/**
 * Re-encodes JSON text the way JidoCode's `Jason.encode(map, pretty: true)` writes it: two-space
 * indent, `"key": value`, keys in UTF-8 byte order at every level, `{}`/`[]` when empty, no
 * trailing newline, control characters as upper-case `\uXXXX` (`\b \t \n \f \r` short), and every
 * number with a fraction or exponent written as an Elixir float (`1.0`, `1.0e-7`).
 *
 * It works from the text, not from `JSON.parse`'s values, because JavaScript forgets whether `1.0`
 * was a float and the signature covers that difference. The text must already be valid JSON within
 * the depth limit (storage parses it first); this is the fallback used when a signed file cannot be
 * verified by removing its signature line.
 */

type Node =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly Node[] }
  | { readonly kind: 'object'; readonly members: readonly (readonly [string, Node])[] };

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text.charAt(this.position))) this.position += 1;
  }

  string(): string {
    const start = this.position;
    this.position += 1;
    while (this.text.charAt(this.position) !== '"') {
      if (this.position >= this.text.length) throw new SyntaxError('unterminated string');
      this.position += this.text.charAt(this.position) === '\\' ? 2 : 1;
    }
    this.position += 1;
    return JSON.parse(this.text.slice(start, this.position)) as string;
  }

  value(): Node {
    this.skipSpace();
    const first = this.text.charAt(this.position);
    if (first === '"') return { kind: 'string', value: this.string() };
    if (first === '[') return this.array();
    if (first === '{') return this.object();
    const match = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.position, this.position + 400),
    );
    if (match === null) throw new SyntaxError('not JSON');
    this.position += match[0].length;
    return { kind: 'literal', text: match[0] };
  }

  array(): Node {
    this.position += 1;
    const items: Node[] = [];
    this.skipSpace();
    if (this.text.charAt(this.position) === ']') {
      this.position += 1;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.text.charAt(this.position);
      this.position += 1;
      if (next === ']') return { kind: 'array', items };
    }
  }

  object(): Node {
    this.position += 1;
    const members: [string, Node][] = [];
    this.skipSpace();
    if (this.text.charAt(this.position) === '}') {
      this.position += 1;
      return { kind: 'object', members };
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.position += 1; // the colon
      members.push([key, this.value()]);
      this.skipSpace();
      const next = this.text.charAt(this.position);
      this.position += 1;
      if (next === '}') return { kind: 'object', members };
    }
  }
}

const shortEscapes: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** A string literal with Jason's escapes. */
export function jasonString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  const escaped = text.replace(/["\\\u0000-\u001f]/g, (character) => {
    return (
      shortEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    );
  });
  return `"${escaped}"`;
}

/** A number literal as Elixir writes it: integers as written, floats in their shortest form. */
export function jasonNumber(literal: string): string {
  if (!/[.eE]/.test(literal)) return literal === '-0' ? '0' : literal;
  const value = Number(literal);
  const text = Object.is(value, -0) ? '-0' : String(value);
  const [mantissa = text, exponent] = text.split('e');
  const withFraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? withFraction : `${withFraction}e${exponent.replace('+', '')}`;
}

function byUtf8(left: readonly [string, Node], right: readonly [string, Node]): number {
  return Buffer.compare(Buffer.from(left[0], 'utf8'), Buffer.from(right[0], 'utf8'));
}

function encode(node: Node, indent: string): string {
  if (node.kind === 'string') return jasonString(node.value);
  if (node.kind === 'literal') return /^[-\d]/.test(node.text) ? jasonNumber(node.text) : node.text;
  const inner = `${indent}  `;
  if (node.kind === 'array') {
    if (node.items.length === 0) return '[]';
    return `[\n${node.items.map((item) => inner + encode(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (node.members.length === 0) return '{}';
  // Jason encodes a map, so a repeated key keeps its last value, as JSON.parse does.
  const unique = [...new Map(node.members.map(([key, value]) => [key, value])).entries()].sort(byUtf8);
  const members = unique.map(([key, value]) => `${inner}${jasonString(key)}: ${encode(value, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/**
 * The Jason pretty encoding of the JSON object in `text`, with the top-level keys in `omit` left
 * out. Returns undefined when `text` is not a JSON object.
 */
export function reencodeJason(text: string, omit: readonly string[] = []): string | undefined {
  let root: Node;
  try {
    root = new Reader(text).value();
  } catch {
    return undefined;
  }
  if (root.kind !== 'object') return undefined;
  return encode({ kind: 'object', members: root.members.filter(([key]) => !omit.includes(key)) }, '');
}
