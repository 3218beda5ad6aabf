import { jasonString } from './jason-encoding.js';

/** A string value in a JSON text: where its literal is, its decoded value, and the key it is under. */
export interface JsonStringToken {
  /** Offset of the opening quote. */
  readonly start: number;
  /** Offset just past the closing quote. */
  readonly end: number;
  readonly value: string;
  /** The member name it is the value of (or, inside an array, the array's); undefined at the top. */
  readonly key: string | undefined;
  /** 1 for a member of the top-level object, deeper inside. */
  readonly depth: number;
}

/**
 * Every string *value* of a JSON text (member names excluded), in file order, with the offsets of
 * its literal. The text must be valid JSON (storage parses it first); it is read, never changed.
 */
export function jidoCodeValueStrings(text: string): JsonStringToken[] {
  const tokens: JsonStringToken[] = [];
  // Each open container: whether it is an array, and the member name it is the value of.
  const open: { readonly array: boolean; readonly key: string | undefined }[] = [];
  let pendingKey: string | undefined;
  let at = 0;
  while (at < text.length) {
    const character = text.charAt(at);
    if (character === '"') {
      const start = at;
      at += 1;
      while (text.charAt(at) !== '"') at += text.charAt(at) === '\\' ? 2 : 1;
      at += 1;
      const value = JSON.parse(text.slice(start, at)) as string;
      let look = at;
      while (/[ \t\n\r]/.test(text.charAt(look))) look += 1;
      if (text.charAt(look) === ':') {
        pendingKey = value;
      } else {
        const container = open.at(-1);
        const key = container?.array ? container.key : pendingKey;
        tokens.push({ start, end: at, value, key, depth: open.length });
      }
      continue;
    }
    if (character === '{' || character === '[') {
      const container = open.at(-1);
      open.push({ array: character === '[', key: container?.array ? container.key : pendingKey });
    } else if (character === '}' || character === ']') open.pop();
    at += 1;
  }
  return tokens;
}

/** `text` with each token whose value differs in `values` rewritten as Jason writes a string. */
export function replaceJidoCodeStrings(
  text: string,
  tokens: readonly JsonStringToken[],
  values: readonly string[],
): string {
  let result = '';
  let at = 0;
  tokens.forEach((token, index) => {
    const value = values[index];
    if (value === undefined || value === token.value) return;
    result += text.slice(at, token.start) + jasonString(value);
    at = token.end;
  });
  return result + text.slice(at);
}
