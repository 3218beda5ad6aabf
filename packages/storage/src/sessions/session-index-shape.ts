import type { IndexEntry } from './session-index.js';
import type { SessionMetadata } from './session-metadata.js';

// The listing index is checked by hand instead of with zod: it is read by every listing, and zod
// parsing 10,000 entries cost about a quarter of `jido sessions list`'s run time and a copy of
// every entry. The check is as strict as `sessionMetadataSchema` (unknown keys are dropped, as zod
// drops them); anything else makes the whole index unusable, and the listing rebuilds it. A
// `__proto__` key in a record (which zod skipped) is refused too: no entry or usage is named so.

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isBoolean: Check = (value) => typeof value === 'boolean';
const orNull =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);
const isSigner: Check = (value) => value === 'keyring' || value === 'jidocode';
const isUsage: Check = (value) => {
  if (!isRecord(value)) return false;
  for (const key in value) {
    if (Object.hasOwn(value, key) && (key === '__proto__' || !isNumber(value[key]))) return false;
  }
  return true;
};

/** Each field of {@link SessionMetadata}, its check, and whether it may be absent. */
const metadataFields: readonly (readonly [keyof SessionMetadata, Check, boolean])[] = [
  ['id', isString, false],
  ['name', isString, false],
  ['project_path', isString, false],
  ['created_at', isString, false],
  ['updated_at', isString, false],
  ['closed_at', orNull(isString), false],
  ['last_resumed_at', orNull(isString), false],
  ['recovered_at', orNull(isString), false],
  ['message_count', isCount, false],
  ['todo_count', isCount, false],
  ['signed', isBoolean, false],
  ['signed_by', orNull(isSigner), true],
  ['size_bytes', isCount, false],
  ['imported_at', orNull(isString), true],
  ['parent_id', orNull(isString), true],
  ['pinned', isBoolean, true],
  ['cumulative_usage', orNull(isUsage), true],
];

const entryFields: readonly (readonly [keyof IndexEntry, Check, boolean])[] = [
  ['size', isNumber, false],
  ['mtimeMs', isNumber, false],
  ['ino', isNumber, false],
  ['metadata', isRecord, false],
];

/** A JSON object (not an array, not null). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` when every field passes its check and it has no other key; a copy holding only the known
 * fields when it has others; undefined when a field is missing or wrong.
 */
function checkedFields<T>(
  value: unknown,
  fields: readonly (readonly [keyof T, Check, boolean])[],
): T | undefined {
  if (!isRecord(value)) return undefined;
  let present = 0;
  for (const [name, check, optional] of fields) {
    const key = name as string;
    if (!Object.hasOwn(value, key) || value[key] === undefined) {
      if (optional) continue;
      return undefined;
    }
    if (!check(value[key])) return undefined;
    present += 1;
  }
  let keys = 0;
  for (const key in value) if (Object.hasOwn(value, key)) keys += 1;
  if (keys === present) return value as T;
  const known: Record<string, unknown> = {};
  for (const [name] of fields) {
    const key = name as string;
    if (Object.hasOwn(value, key)) known[key] = value[key];
  }
  return known as T;
}

/**
 * The entries of a parsed index document (`{ format: 'jido-session-index', version: 1, entries }`)
 * keyed by file name, or undefined when anything in it is malformed.
 */
export function indexEntriesOf(document: unknown): Map<string, IndexEntry> | undefined {
  if (!isRecord(document)) return undefined;
  if (document.format !== 'jido-session-index' || document.version !== 1) return undefined;
  const entries = document.entries;
  if (!isRecord(entries)) return undefined;
  const checked = new Map<string, IndexEntry>();
  for (const name in entries) {
    if (!Object.hasOwn(entries, name)) continue;
    if (name === '__proto__') return undefined;
    const entry = checkedFields<IndexEntry>(entries[name], entryFields);
    if (entry === undefined) return undefined;
    const metadata = checkedFields<SessionMetadata>(entry.metadata, metadataFields);
    if (metadata === undefined) return undefined;
    checked.set(name, metadata === entry.metadata ? entry : { ...entry, metadata });
  }
  return checked;
}
