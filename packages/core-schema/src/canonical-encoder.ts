import { limits } from './limits.js';

/** Returned by {@link encodeCanonical} for anything it does not write; the caller finds out why. */
export const notEncodable = Symbol('notEncodable');

// `String.prototype.isWellFormed` (Node 20) is newer than the ES2023 library the project compiles against.
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

// Keys a rebuilt object cannot hold in sorted order: JavaScript enumerates array-index keys first,
// in numeric order, and assigning `__proto__` sets the prototype.
const arrayIndex = /^(?:0|[1-9][0-9]*)$/;
const unorderable = Symbol('unorderable');
const asIs = Symbol('asIs');
type Rebuilt = unknown;

// Fast path: native JSON.stringify writes strings and numbers exactly as RFC 8785 does, and objects
// in their key order. So the walk checks the value, leaves every subtree whose keys are already
// sorted as it is (`asIs`), rebuilds only the objects that are not, and one stringify does the rest.
function rebuild(value: unknown, depth: number, maxDepth: number): Rebuilt {
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
        ? rebuildArray(value, depth + 1, maxDepth)
        : rebuildObject(value as Record<string, unknown>, depth + 1, maxDepth);
    default:
      return notEncodable;
  }
}

function rebuildArray(items: readonly unknown[], depth: number, maxDepth: number): Rebuilt {
  let copy: unknown[] | undefined;
  let slow = false;
  for (let index = 0; index < items.length; index++) {
    if (!(index in items)) return notEncodable;
    const item = rebuild(items[index], depth, maxDepth);
    if (item === asIs) continue;
    if (item === notEncodable) return item;
    // Keep checking the rest: the slow path relies on the whole value having been checked.
    if (item === unorderable) slow = true;
    copy ??= items.slice();
    copy[index] = item;
  }
  return slow ? unorderable : (copy ?? asIs);
}

function rebuildObject(object: Record<string, unknown>, depth: number, maxDepth: number): Rebuilt {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return notEncodable;
  const keys = Object.keys(object);
  let sorted = true;
  let rebuiltMembers: Map<string, unknown> | undefined;
  let slow = false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (index > 0 && !((keys[index - 1] as string) < key)) sorted = false;
    if (!isWellFormed(key)) return notEncodable;
    const item = rebuild(object[key], depth, maxDepth);
    if (item === asIs) continue;
    if (item === notEncodable) return item;
    if (item === unorderable) slow = true;
    rebuiltMembers ??= new Map();
    rebuiltMembers.set(key, item);
  }
  if (slow) return unorderable;
  if (sorted && rebuiltMembers === undefined) return asIs;
  // The default sort compares UTF-16 code units, the order RFC 8785 prescribes.
  if (!sorted) keys.sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__' || arrayIndex.test(key)) return unorderable;
    copy[key] = rebuiltMembers?.has(key) ? rebuiltMembers.get(key) : object[key];
  }
  return copy;
}

// Slow path, for the rare value with an array-index or `__proto__` key: one node at a time, keys
// sorted, every primitive through JSON.stringify. The fast path has already checked the value.
function write(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${write(object[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * RFC 8785 canonical JSON of `value`, or {@link notEncodable} when `value` is not plain JSON data
 * (see checkJsonValue for the rules, which this walk applies without building paths).
 */
export function encodeCanonical(
  value: unknown,
  maxDepth: number = limits.maxDepth,
): string | typeof notEncodable {
  const rebuilt = rebuild(value, 0, maxDepth);
  if (rebuilt === notEncodable) return notEncodable;
  if (rebuilt === unorderable) return write(value);
  return JSON.stringify(rebuilt === asIs ? value : rebuilt);
}
