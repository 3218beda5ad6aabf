import { limits } from './limits.js';

/** Returned by {@link encodeCanonical} for anything it does not write; the caller finds out why. */
export const notEncodable = Symbol('notEncodable');

// `String.prototype.isWellFormed` (Node 20) is newer than the ES2023 library the project compiles against.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

// Native JSON.stringify writes strings and numbers exactly as RFC 8785 does, and objects in their
// key order. So the walk checks the value and leaves every subtree whose keys are already sorted
// as it is (`asIs`), for one native stringify; only an object whose keys are not sorted, and the
// objects and arrays around it, are written here, member by member, without building sorted
// copies. A journal record's data (a few members, in the order the code built them) is written
// here whole; a large document, mostly sorted, goes to the native stringify in big subtrees.
const asIs = Symbol('asIs');
type Encoded = string | typeof asIs | typeof notEncodable;

/** Printable ASCII but '"' and '\\': the strings JSON.stringify writes as they are, between quotes. */
const plainText = /^[ !#-[\]-~]*$/;

/** The JSON of a value the walk found encodable as it is (a string being well-formed). */
function jsonOf(value: unknown): string {
  if (typeof value === 'string') return plainText.test(value) ? `"${value}"` : JSON.stringify(value);
  // A finite number's JSON is its ECMAScript string form (-0 included, written 0).
  return typeof value === 'number' ? `${value}` : JSON.stringify(value);
}

function encodeNode(value: unknown, depth: number, maxDepth: number): Encoded {
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? asIs : notEncodable;
    case 'number':
      return Number.isFinite(value) ? asIs : notEncodable;
    case 'boolean':
      return asIs;
    case 'object':
      if (value === null) return asIs;
      if (depth >= maxDepth) return notEncodable;
      return Array.isArray(value)
        ? encodeArray(value, depth + 1, maxDepth)
        : encodeObject(value as Record<string, unknown>, depth + 1, maxDepth);
    default:
      return notEncodable;
  }
}

function encodeArray(items: readonly unknown[], depth: number, maxDepth: number): Encoded {
  // Written only once an item is: the items before it are then written from their JSON.
  let text: string | undefined;
  for (let index = 0; index < items.length; index++) {
    if (!(index in items)) return notEncodable;
    const item = items[index];
    const encoded = encodeNode(item, depth, maxDepth);
    if (encoded === notEncodable) return encoded;
    if (text === undefined) {
      if (encoded === asIs) continue;
      text = '[';
      for (let before = 0; before < index; before++) text += `${jsonOf(items[before])},`;
    } else {
      text += ',';
    }
    text += encoded === asIs ? jsonOf(item) : encoded;
  }
  return text === undefined ? asIs : `${text}]`;
}

/** Sorts by UTF-16 code units, the order RFC 8785 prescribes (own keys are distinct). */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] as string;
    let at = index - 1;
    for (; at >= 0 && (keys[at] as string) > key; at--) keys[at + 1] = keys[at] as string;
    keys[at + 1] = key;
  }
}

function encodeObject(object: Record<string, unknown>, depth: number, maxDepth: number): Encoded {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return notEncodable;
  const keys = Object.keys(object);
  let sorted = true;
  for (let index = 1; index < keys.length && sorted; index++) {
    sorted = (keys[index - 1] as string) < (keys[index] as string);
  }
  // Out of order (array-index keys, which JavaScript enumerates first, included): written here.
  if (!sorted) sortKeys(keys);
  let text = sorted ? undefined : '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (!isWellFormed(key)) return notEncodable;
    const member = object[key];
    const encoded = encodeNode(member, depth, maxDepth);
    if (encoded === notEncodable) return encoded;
    if (text === undefined) {
      if (encoded === asIs) continue;
      text = '{';
      for (let before = 0; before < index; before++) {
        const name = keys[before] as string;
        text += `${jsonOf(name)}:${jsonOf(object[name])},`;
      }
    } else if (index > 0) {
      text += ',';
    }
    text += `${jsonOf(key)}:${encoded === asIs ? jsonOf(member) : encoded}`;
  }
  return text === undefined ? asIs : `${text}}`;
}

/**
 * RFC 8785 canonical JSON of `value`, or {@link notEncodable} when `value` is not plain JSON data
 * (see checkJsonValue for the rules, which this walk applies without building paths).
 */
export function encodeCanonical(
  value: unknown,
  maxDepth: number = limits.maxDepth,
): string | typeof notEncodable {
  const encoded = encodeNode(value, 0, maxDepth);
  return encoded === asIs ? jsonOf(value) : encoded;
}
