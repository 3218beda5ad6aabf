import { acceptMessage, canonicalJson, type Message } from '@jido-code/core-schema';

/** One message, validated and serialized: what a save reuses while the message object lives. */
export interface EncodedMessage {
  /** The message as the schema returned it (what the saved session holds). */
  readonly message: Message;
  /** Its canonical JSON. */
  readonly canonical: string;
}

/** A conversation validated and serialized: its messages and their canonical JSON joined by commas. */
export interface EncodedConversation {
  /** The messages as the schema returned them. */
  readonly messages: readonly Message[];
  /** UTF-8 of the messages' canonical JSON joined with `,` (the array without its brackets). */
  readonly bytes: Uint8Array;
}

/** The last conversation encoded that began with a given message object. */
interface ConversationEntry extends EncodedConversation {
  /** The message objects as given, index by index (compared by identity). */
  readonly inputs: readonly unknown[];
  /** `ends[i]`: the byte offset just after message `i` in `bytes`. */
  readonly ends: readonly number[];
}

const comma = Buffer.from(',');

/**
 * Each message's validation and canonical JSON, keyed by the message object. Messages are
 * immutable once appended, so a save validates and serializes only the messages it has not seen;
 * the entries go with their objects (a WeakMap). Both the caller's object and the schema's output
 * (which the saved session returned to the caller holds) are keys.
 *
 * The conversation as a whole is kept too, as UTF-8 bytes keyed by its first message: a save whose
 * conversation starts with the same message objects reuses those bytes for that prefix, so a save
 * at 10,000 messages neither joins nor encodes 10,000 strings again.
 */
export class SessionEncodingCache {
  readonly #messages = new WeakMap<object, EncodedMessage>();
  readonly #conversations = new WeakMap<object, ConversationEntry>();

  /** The message validated and serialized, or undefined when it is not a valid message. */
  message(input: unknown): EncodedMessage | undefined {
    if (typeof input !== 'object' || input === null) return undefined;
    const cached = this.#messages.get(input);
    if (cached !== undefined) return cached;
    // Not accepted: the save validates the whole session with the schema, which reports it.
    const message = acceptMessage(input);
    if (message === undefined) return undefined;
    const canonical = canonicalJson(message);
    if (!canonical.ok) return undefined;
    const encoded: EncodedMessage = { message, canonical: canonical.value };
    this.#messages.set(input, encoded);
    this.#messages.set(message, encoded);
    return encoded;
  }

  /**
   * Every message validated and serialized (see {@link SessionEncodingCache.message}), or
   * undefined when one is not a valid message. The longest prefix shared, object for object, with
   * the last conversation that began with the same message is taken from it as bytes.
   */
  conversation(items: readonly unknown[]): EncodedConversation | undefined {
    const first = items[0];
    if (typeof first !== 'object' || first === null) {
      return items.length === 0 ? { messages: [], bytes: new Uint8Array() } : undefined;
    }
    const entry = this.#conversations.get(first);
    const shared = entry === undefined ? 0 : sharedPrefix(entry, items);
    if (entry !== undefined && shared === items.length && shared === entry.inputs.length) return entry;
    const messages: Message[] = entry === undefined ? [] : entry.messages.slice(0, shared);
    const ends: number[] = entry === undefined ? [] : entry.ends.slice(0, shared);
    const texts: string[] = [];
    let end = shared === 0 ? -1 : (ends[shared - 1] as number);
    for (let index = shared; index < items.length; index++) {
      const encoded = this.message(items[index]);
      if (encoded === undefined) return undefined;
      messages.push(encoded.message);
      texts.push(encoded.canonical);
      end += 1 + Buffer.byteLength(encoded.canonical, 'utf8');
      ends.push(end);
    }
    let bytes: Uint8Array;
    if (entry === undefined || shared === 0) bytes = Buffer.from(texts.join(','), 'utf8');
    // Cached bytes are never written to, so a shorter conversation can share them.
    else if (texts.length === 0) bytes = entry.bytes.subarray(0, end);
    else {
      const added = Buffer.from(texts.join(','), 'utf8');
      bytes = Buffer.concat([entry.bytes.subarray(0, ends[shared - 1]), comma, added]);
    }
    const next: ConversationEntry = { messages, bytes, inputs: items.slice(), ends };
    this.#conversations.set(first, next);
    if (messages[0] !== undefined) this.#conversations.set(messages[0], next);
    return next;
  }
}

/** How many leading items are, object for object, the entry's messages (as given or as parsed). */
function sharedPrefix(entry: ConversationEntry, items: readonly unknown[]): number {
  const length = Math.min(entry.inputs.length, items.length);
  let index = 0;
  while (index < length && (entry.inputs[index] === items[index] || entry.messages[index] === items[index])) {
    index++;
  }
  return index;
}

/** The cache every store shares: an entry depends only on its message, not on a home or key. */
export const sharedEncodingCache = new SessionEncodingCache();
