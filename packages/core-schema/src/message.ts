import { z } from 'zod';
import { limits } from './limits.js';
import { shortStringSchema, timestampSchema } from './primitives.js';

/** Who wrote a message. */
export const messageRoleSchema = z.enum(['user', 'assistant', 'system', 'tool']);
/** See {@link messageRoleSchema}. */
export type MessageRole = z.infer<typeof messageRoleSchema>;

/** One message of a conversation, as persisted. */
export const messageSchema = z.object({
  /** Unique within its session. */
  id: shortStringSchema,
  /** Who wrote it. */
  role: messageRoleSchema,
  /** The text. May be empty (a tool call with no text). */
  content: z.string().max(limits.maxMessageLength),
  /** When it was added (ISO 8601 UTC). */
  timestamp: timestampSchema,
});
/** See {@link messageSchema}. */
export type Message = z.infer<typeof messageSchema>;
