import { limits } from './limits.js';
import type { LlmConfig } from './llm-config.js';
import type { Message, Usage } from './message.js';
import { isPlainRecord } from './plain-record.js';
import type { Session } from './session.js';
import { currentSessionVersion } from './session-version.js';
import type { Todo } from './todo.js';
import { isUtcTimestamp } from './utc-timestamp.js';
import { uuidV4Pattern } from './uuid-pattern.js';

// Every load, save and import checks a whole session. zod costs several times a `JSON.parse` of
// the same bytes, and loading zod itself costs a command about a fifth of Node's start-up. This
// path recognises what the schema accepts and builds exactly what the schema would return, keys in
// the schema's order and unknown keys dropped; anything it does not positively recognise gives
// `undefined`, and the caller validates with zod, which stays the reference. A property test with
// zod as the oracle holds every acceptance to zod's.

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);
const toolNamePattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The keys of `sessionSchema`, in its order (a test holds the two equal). */
export const sessionKeys = [
  'version',
  'id',
  'name',
  'project_path',
  'config',
  'created_at',
  'updated_at',
  'closed_at',
  'conversation',
  'todos',
  'language',
  'cumulative_usage',
  'prompt_history',
  'last_resumed_at',
  'recovered_at',
  'parent_id',
  'forked_at_message',
  'pinned',
  'moved_from',
  'imported_from',
  'signature',
] as const;

type Check<T> = (value: unknown) => T | undefined;
/** Each field's key, its check, and whether it is optional. */
type Fields = readonly (readonly [string, Check<unknown>, boolean])[];

const text =
  (min: number, max: number): Check<string> =>
  (value) =>
    typeof value === 'string' && value.length >= min && value.length <= max ? value : undefined;
const shortString = text(1, limits.maxShortStringLength);
const timestamp: Check<string> = (value) =>
  typeof value === 'string' && isUtcTimestamp(value) ? value : undefined;
const absolutePath: Check<string> = (value) =>
  typeof value === 'string' &&
  value.length >= 1 &&
  value.length <= limits.maxPathLength &&
  value.startsWith('/') &&
  !value.includes('\0')
    ? value
    : undefined;
const sessionId: Check<string> = (value) =>
  typeof value === 'string' && uuidV4Pattern.test(value) ? value : undefined;
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A copy of a `safeKey → value` map of at most `maxMapEntries` entries, or undefined. */
function acceptMap<T>(value: unknown, entry: Check<T>): Record<string, T> | undefined {
  if (!isPlainRecord(value)) return undefined;
  const map: Record<string, T> = {};
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !shortString(key) || reservedKeys.has(key)) return undefined;
    const checked = entry(value[key]);
    if (checked === undefined || ++count > limits.maxMapEntries) return undefined;
    map[key] = checked;
  }
  return map;
}

const acceptUsage: Check<Usage> = (value) =>
  acceptMap(value, (counter) => (finite(counter) && counter >= 0 ? counter : undefined));

const extraValue: Check<string | number | boolean | null> = (value) =>
  value === null || typeof value === 'boolean' || finite(value)
    ? value
    : text(0, limits.maxShortStringLength * 16)(value);

/** One of `todoStatusSchema`'s statuses (comparisons, as for roles). */
const isTodoStatus = (status: string): status is Todo['status'] =>
  status === 'pending' || status === 'in_progress' || status === 'completed';

/** One of `messageRoleSchema`'s roles: four comparisons cost a third of a `Set` lookup. */
const isRole = (role: string) =>
  role === 'assistant' || role === 'user' || role === 'tool' || role === 'system';

/**
 * The message as `messageSchema` would return it, or undefined. Written out field by field, not
 * through `acceptObject`: a load checks every message, and the generic walk cost a load of 1,000
 * messages about a third more. `key in value` comes before `Object.hasOwn` (an own key is always
 * `in`): for the usual message without the optional keys it answers from the object's shape, ten
 * times faster than `Object.hasOwn`; `in` also sees a key on a polluted prototype, so
 * `Object.hasOwn` still decides.
 */
export function acceptMessage(value: unknown): Message | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { id, role, content, timestamp } = value;
  if (typeof id !== 'string' || id.length < 1 || id.length > limits.maxShortStringLength) return undefined;
  if (typeof role !== 'string' || !isRole(role)) return undefined;
  if (typeof content !== 'string' || content.length > limits.maxMessageLength) return undefined;
  if (typeof timestamp !== 'string' || !isUtcTimestamp(timestamp)) return undefined;
  // Filled in from an empty literal, which V8 allocates without an allocation site: a literal with
  // these four fields is one, and once enough of its objects outlived a scavenge (messages kept by
  // a session) V8 allocated every later message in the old generation, which made checking one
  // four times slower for the rest of the process.
  const message = {} as Message;
  message.id = id;
  message.role = role;
  message.content = content;
  message.timestamp = timestamp;
  if ('usage' in value && Object.hasOwn(value, 'usage')) {
    const usage = value.usage === undefined ? undefined : acceptUsage(value.usage);
    if (usage === undefined && value.usage !== undefined) return undefined;
    message.usage = usage as Usage;
  }
  if ('partial' in value && Object.hasOwn(value, 'partial')) {
    const { partial } = value;
    if (partial !== undefined && typeof partial !== 'boolean') return undefined;
    message.partial = partial as boolean;
  }
  return message;
}

/** An array of at most `max` items, each checked, as a new array; or undefined. */
function acceptArray<T>(value: unknown, max: number, item: Check<T>): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined;
  const items: T[] = new Array(value.length);
  for (let index = 0; index < value.length; index++) {
    const checked = item(value[index]);
    if (checked === undefined) return undefined;
    items[index] = checked;
  }
  return items;
}

/**
 * A plain object's known fields, each checked, in `fields`' order, as a new object (other keys
 * dropped, as zod drops them); undefined when a required field is missing or a field fails. An
 * optional field present as undefined stays so, as zod leaves it.
 */
function acceptObject(value: unknown, fields: Fields): Record<string, unknown> | undefined {
  if (!isPlainRecord(value)) return undefined;
  const output: Record<string, unknown> = {};
  for (const [key, check, optional] of fields) {
    const present = Object.hasOwn(value, key);
    if (!present || value[key] === undefined) {
      if (!optional) return undefined;
      if (present) output[key] = undefined;
      continue;
    }
    const checked = check(value[key]);
    if (checked === undefined) return undefined;
    output[key] = checked;
  }
  return output;
}

const isTodoText = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= limits.maxTodoLength;

/**
 * The todo as `todoSchema` would return it, or undefined. Written out like {@link acceptMessage}:
 * through `acceptObject`, each todo of each load cost about 110 ns, five times this.
 */
function acceptTodo(value: unknown): Todo | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { content, status, active_form } = value;
  if (!isTodoText(content) || typeof status !== 'string' || !isTodoStatus(status)) return undefined;
  if (!isTodoText(active_form)) return undefined;
  // From an empty literal, as a message is (see acceptMessage).
  const todo = {} as Todo;
  todo.content = content;
  todo.status = status;
  todo.active_form = active_form;
  return todo;
}

// The field lists are built once: built per call, each object of each load allocated four arrays
// and a closure.
const configFields: Fields = [
  ['provider', shortString, false],
  ['model', shortString, false],
  ['temperature', (t) => (finite(t) && t >= 0 && t <= 2 ? t : undefined), true],
  [
    'max_tokens',
    (n) => (Number.isSafeInteger(n) && (n as number) > 0 && (n as number) <= 10_000_000 ? n : undefined),
    true,
  ],
  ['extra', (map) => acceptMap(map, extraValue), true],
];
const acceptConfig: Check<LlmConfig> = (value) => acceptObject(value, configFields) as LlmConfig | undefined;

const movedFromFields: Fields = [
  ['project_path', absolutePath, false],
  ['moved_at', timestamp, false],
];
const acceptMovedFrom: Check<unknown> = (value) => acceptObject(value, movedFromFields);

const importedFromFields: Fields = [
  [
    'tool',
    (tool) =>
      typeof tool === 'string' && tool.length <= 64 && toolNamePattern.test(tool) ? tool : undefined,
    false,
  ],
  ['source_id', shortString, false],
  ['path', absolutePath, false],
  ['imported_at', timestamp, false],
];
const acceptImportedFrom: Check<unknown> = (value) => acceptObject(value, importedFromFields);

/** `null`, or what `check` accepts. `undefined` stays a failure. */
const orNull =
  <T>(check: Check<T>): Check<T | null> =>
  (value) =>
    value === null ? null : check(value);

/** The display name, trimmed as the schema trims it. */
const acceptName: Check<string> = (value) => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= limits.maxNameLength ? trimmed : undefined;
};

const sessionFields: readonly (readonly [(typeof sessionKeys)[number], Check<unknown>, boolean])[] = [
  ['version', (version) => (version === currentSessionVersion ? version : undefined), false],
  ['id', sessionId, false],
  ['name', acceptName, false],
  ['project_path', absolutePath, false],
  ['config', acceptConfig, false],
  ['created_at', timestamp, false],
  ['updated_at', timestamp, false],
  ['closed_at', orNull(timestamp), false],
  ['conversation', (messages) => acceptArray(messages, limits.maxMessages, acceptMessage), false],
  ['todos', (todos) => acceptArray(todos, limits.maxTodos, acceptTodo), false],
  ['language', text(1, 35), true],
  ['cumulative_usage', acceptUsage, true],
  [
    'prompt_history',
    (history) => acceptArray(history, limits.maxMessages, text(0, limits.maxMessageLength)),
    true,
  ],
  ['last_resumed_at', orNull(timestamp), true],
  ['recovered_at', orNull(timestamp), true],
  ['parent_id', orNull(sessionId), true],
  [
    'forked_at_message',
    (n) =>
      Number.isSafeInteger(n) && (n as number) > 0 && (n as number) <= limits.maxMessages ? n : undefined,
    true,
  ],
  ['pinned', (pinned) => (typeof pinned === 'boolean' ? pinned : undefined), true],
  ['moved_from', acceptMovedFrom, true],
  ['imported_from', acceptImportedFrom, true],
  ['signature', shortString, true],
];

/**
 * The session as `sessionSchema` would return it, or undefined. Unknown top-level keys are dropped,
 * as the schema drops them.
 */
export function acceptSession(document: Readonly<Record<string, unknown>>): Session | undefined {
  return acceptObject(document, sessionFields) as Session | undefined;
}

const fieldChecks = new Map(sessionFields.map(([key, check]) => [key, check]));

/**
 * One field of a session as `sessionSchema.shape[key]` would return it (a name trimmed, maps and
 * lists copied), or undefined when the schema would refuse it.
 */
export function acceptSessionField(key: (typeof sessionKeys)[number], value: unknown): unknown {
  return value === undefined ? undefined : fieldChecks.get(key)?.(value);
}
