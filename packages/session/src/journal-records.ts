import {
  acceptMessage,
  acceptSession,
  acceptSessionField,
  err,
  JidoError,
  type JsonValue,
  limits,
  type Message,
  ok,
  type Result,
  type UnsignedSession,
  type Usage,
} from '@jido-code/core-schema';

// Every change a live session makes is checked before it is journaled, and every record replayed
// is checked again. The checks are core-schema's zod-free ones; a property test holds each record
// to the zod schema it replaces (an object per type, unknown keys dropped).

/** The metadata an `open` record carries: enough to rebuild a session that never reached a snapshot. */
export type SessionMetadataRecord = Omit<UnsignedSession, 'conversation' | 'todos'>;

type FieldCheck = (value: unknown) => unknown;

const isShortString: FieldCheck = (value) =>
  typeof value === 'string' && value.length >= 1 && value.length <= limits.maxShortStringLength
    ? value
    : undefined;

/** The session metadata of an `open` record, as the unsigned schema without messages and todos. */
const openMetadata: FieldCheck = (value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const {
    signature: _signature,
    conversation: _conversation,
    todos: _todos,
    ...rest
  } = value as Record<string, unknown>;
  const session = acceptSession({ ...rest, conversation: [], todos: [] });
  if (session === undefined) return undefined;
  const { conversation: _none, todos: _empty, signature: _unsigned, ...metadata } = session;
  return metadata;
};

/** Each record type's fields: name, check, optional. */
const recordFields: Readonly<Record<string, readonly (readonly [string, FieldCheck, boolean])[]>> = {
  open: [['session', openMetadata, false]],
  message: [['message', acceptMessage, false]],
  todos: [['todos', (value) => acceptSessionField('todos', value), false]],
  rename: [['name', (value) => acceptSessionField('name', value), false]],
  config: [['config', (value) => acceptSessionField('config', value), false]],
  reply_text: [
    ['id', isShortString, false],
    ['at', (value) => (Number.isSafeInteger(value) && (value as number) >= 0 ? value : undefined), false],
    [
      'text',
      (value) => (typeof value === 'string' && value.length <= limits.maxMessageLength ? value : undefined),
      false,
    ],
  ],
  reply_end: [
    ['id', isShortString, false],
    ['partial', (value) => (typeof value === 'boolean' ? value : undefined), false],
    ['usage', (value) => acceptSessionField('cumulative_usage', value), true],
    ['cumulative_usage', (value) => acceptSessionField('cumulative_usage', value), true],
  ],
};

/** What the session runtime writes to a journal, one change per record. */
export type SessionChange =
  | { readonly type: 'open'; readonly session: SessionMetadataRecord }
  | { readonly type: 'message'; readonly message: Message }
  | { readonly type: 'todos'; readonly todos: UnsignedSession['todos'] }
  | { readonly type: 'rename'; readonly name: string }
  /** `/model`: the session's LLM settings, whole. */
  | { readonly type: 'config'; readonly config: UnsignedSession['config'] }
  /**
   * Text of a streaming reply: `text` goes after the reply's first `at` characters. Replaying it
   * over a reply that already has the text changes nothing (docs/architecture.md, streamed replies).
   */
  | { readonly type: 'reply_text'; readonly id: string; readonly at: number; readonly text: string }
  /** The end of a streamed reply: whether it is partial, its usage, the session's new totals. */
  | {
      readonly type: 'reply_end';
      readonly id: string;
      readonly partial: boolean;
      readonly usage?: Usage;
      readonly cumulative_usage?: Usage;
    };

/** The journal record body of a change. */
export function encodeChange(change: SessionChange): { type: string; data: JsonValue } {
  const { type, ...data } = change;
  return { type, data: data as unknown as JsonValue };
}

/** Reads a journal record back into a change; unknown types are an error (a newer writer). */
export function decodeChange(type: string, data: unknown): Result<SessionChange> {
  const fields = Object.hasOwn(recordFields, type) ? recordFields[type] : undefined;
  if (fields === undefined) {
    return err(
      new JidoError('journal_corrupt', 'The session journal has an entry this version cannot read.', {
        details: { type },
      }),
    );
  }
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? data : undefined;
  const change: Record<string, unknown> = { type };
  for (const [name, check, optional] of fields) {
    const present = record !== undefined && Object.hasOwn(record, name);
    const value = present ? (record as Record<string, unknown>)[name] : undefined;
    if (value === undefined && optional) {
      if (present) change[name] = undefined;
      continue;
    }
    const checked = check(value);
    if (checked === undefined) return err(invalidRecord(type, name));
    change[name] = checked;
  }
  return ok(change as SessionChange);
}

function invalidRecord(type: string, field: string): JidoError {
  return new JidoError('journal_corrupt', 'The session journal has an invalid entry.', {
    details: { type, issues: [{ path: [field], message: 'is not valid' }] },
  });
}
