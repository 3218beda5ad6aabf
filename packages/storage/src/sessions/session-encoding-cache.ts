import { canonicalJson, type Message, messageSchema } from '@jido-code/core-schema';

/** One message, validated and serialized: what a save reuses while the message object lives. */
export interface EncodedMessage {
  /** The message as the schema returned it (what the saved session holds). */
  readonly message: Message;
  /** Its canonical JSON. */
  readonly canonical: string;
}

/**
 * Each message's validation and canonical JSON, keyed by the message object. Messages are
 * immutable once appended, so a save validates and serializes only the messages it has not seen;
 * the entries go with their objects (a WeakMap). Both the caller's object and the schema's output
 * (which the saved session returned to the caller holds) are keys.
 */
export class SessionEncodingCache {
  readonly #messages = new WeakMap<object, EncodedMessage>();

  /** The message validated and serialized, or undefined when it is not a valid message. */
  message(input: unknown): EncodedMessage | undefined {
    if (typeof input !== 'object' || input === null) return undefined;
    const cached = this.#messages.get(input);
    if (cached !== undefined) return cached;
    const parsed = messageSchema.safeParse(input);
    if (!parsed.success) return undefined;
    const canonical = canonicalJson(parsed.data);
    if (!canonical.ok) return undefined;
    const encoded: EncodedMessage = { message: parsed.data, canonical: canonical.value };
    this.#messages.set(input, encoded);
    this.#messages.set(parsed.data, encoded);
    return encoded;
  }
}

/** The cache every store shares: an entry depends only on its message, not on a home or key. */
export const sharedEncodingCache = new SessionEncodingCache();
