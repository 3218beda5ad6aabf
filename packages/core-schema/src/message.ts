import { z } from 'zod';
import { limits } from './limits.js';
import { safeKeySchema, shortStringSchema, timestampSchema } from './primitives.js';

/** Who wrote a message. */
export const messageRoleSchema = z.enum(['user', 'assistant', 'system', 'tool']);
/** See {@link messageRoleSchema}. */
export type MessageRole = z.infer<typeof messageRoleSchema>;

/**
 * Token and cost counters (`input_tokens`, `output_tokens`, `total_cost`, or others): non-negative
 * finite numbers under safe keys.
 */
export const usageSchema = z
  .record(safeKeySchema, z.number().nonnegative().finite())
  .refine((map) => Object.keys(map).length <= limits.maxMapEntries, 'has too many entries');
/** See {@link usageSchema}. */
export type Usage = z.infer<typeof usageSchema>;

/** One message of a conversation, as persisted. */
export const messageSchema = z.object({
  /** Unique within its session (a UUID here; often 16 hex characters in JidoCode's files). */
  id: shortStringSchema,
  /** Who wrote it. */
  role: messageRoleSchema,
  /** The text. May be empty (a tool call with no text). */
  content: z.string().max(limits.maxMessageLength),
  /** When it was added (ISO 8601 UTC; JidoCode's microseconds are kept as written). */
  timestamp: timestampSchema,
  /** What producing this message cost, when the provider reported it. */
  usage: usageSchema.optional(),
  /**
   * Set on an assistant reply that did not finish: stopped with Ctrl+C, failed mid-stream, or
   * recovered from the journal after its process died. Absent on a complete message.
   */
  partial: z.boolean().optional(),
});
/** See {@link messageSchema}. */
export type Message = z.infer<typeof messageSchema>;
