import { limits } from './limits.js';
import type { Message, Usage } from './message.js';
import { type Session, sessionSchema } from './session.js';
import { isUtcTimestamp } from './utc-timestamp.js';

// A load checks every message of a session; zod costs several times a `JSON.parse` of the same
// bytes. This path recognises the shapes storage writes and builds exactly what the schema would
// return; anything it does not positively recognise (an unknown key, a value it has doubts about)
// gives `undefined`, and the caller validates with zod, which stays the reference. A property test
// with zod as the oracle holds every acceptance to zod's.

const roles = new Set(['user', 'assistant', 'system', 'tool']);
const messageKeys = new Set(['id', 'role', 'content', 'timestamp', 'usage', 'partial']);
const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= limits.maxShortStringLength;
}

/** A copy of a usage map the schema accepts, or undefined. */
function acceptUsage(value: unknown): Usage | undefined {
  if (!isPlainRecord(value)) return undefined;
  const usage: Usage = {};
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !isShortString(key) || reservedKeys.has(key)) return undefined;
    const counter = value[key];
    if (typeof counter !== 'number' || !Number.isFinite(counter) || counter < 0) return undefined;
    if (++count > limits.maxMapEntries) return undefined;
    usage[key] = counter;
  }
  return usage;
}

/** The message as `messageSchema` would return it, or undefined. */
function acceptMessage(value: unknown): Message | undefined {
  if (!isPlainRecord(value)) return undefined;
  for (const key in value) if (!messageKeys.has(key) || !Object.hasOwn(value, key)) return undefined;
  const { id, role, content, timestamp } = value;
  if (!isShortString(id) || typeof role !== 'string' || !roles.has(role)) return undefined;
  if (typeof content !== 'string' || content.length > limits.maxMessageLength) return undefined;
  if (typeof timestamp !== 'string' || !isUtcTimestamp(timestamp)) return undefined;
  const message = { id, role, content, timestamp } as Message;
  if (Object.hasOwn(value, 'usage')) {
    const usage = acceptUsage(value.usage);
    if (usage === undefined) return undefined;
    message.usage = usage;
  }
  if (Object.hasOwn(value, 'partial')) {
    if (typeof value.partial !== 'boolean') return undefined;
    message.partial = value.partial;
  }
  return message;
}

/**
 * The session as `sessionSchema` would return it, or undefined: the messages checked here, the
 * other (small) fields by the schema itself.
 */
export function acceptSession(document: Readonly<Record<string, unknown>>): Session | undefined {
  const conversation = document.conversation;
  if (!Array.isArray(conversation) || conversation.length > limits.maxMessages) return undefined;
  const messages: Message[] = new Array(conversation.length);
  for (let index = 0; index < conversation.length; index++) {
    const message = acceptMessage(conversation[index]);
    if (message === undefined) return undefined;
    messages[index] = message;
  }
  const rest = sessionSchema.safeParse({ ...document, conversation: [] });
  if (!rest.success) return undefined;
  // The schema's output is a new object: the checked messages take the empty array's place.
  rest.data.conversation = messages;
  return rest.data;
}
