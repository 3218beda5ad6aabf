import {
  err,
  JidoError,
  type JsonValue,
  type Message,
  messageSchema,
  ok,
  type Result,
  sessionSchema,
  type UnsignedSession,
  type Usage,
  unsignedSessionSchema,
  usageSchema,
} from '@jido-code/core-schema';
import { z } from 'zod';

/** The metadata an `open` record carries: enough to rebuild a session that never reached a snapshot. */
export type SessionMetadataRecord = Omit<UnsignedSession, 'conversation' | 'todos'>;

const openRecordSchema = z.object({
  session: unsignedSessionSchema.omit({ conversation: true, todos: true }),
});
const messageRecordSchema = z.object({ message: messageSchema });
const todosRecordSchema = z.object({ todos: sessionSchema.shape.todos });
const renameRecordSchema = z.object({ name: sessionSchema.shape.name });
const configRecordSchema = z.object({ config: sessionSchema.shape.config });
const replyTextRecordSchema = z.object({
  id: messageSchema.shape.id,
  at: z.number().int().nonnegative(),
  text: messageSchema.shape.content,
});
const replyEndRecordSchema = z.object({
  id: messageSchema.shape.id,
  partial: z.boolean(),
  usage: usageSchema.optional(),
  cumulative_usage: usageSchema.optional(),
});

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
  const schemas = {
    open: openRecordSchema,
    message: messageRecordSchema,
    todos: todosRecordSchema,
    rename: renameRecordSchema,
    config: configRecordSchema,
    reply_text: replyTextRecordSchema,
    reply_end: replyEndRecordSchema,
  };
  const schema = schemas[type as keyof typeof schemas];
  if (!schema) {
    return err(
      new JidoError('journal_corrupt', 'The session journal has an entry this version cannot read.', {
        details: { type },
      }),
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return err(
      new JidoError('journal_corrupt', 'The session journal has an invalid entry.', {
        details: { type, issues: parsed.error.issues },
      }),
    );
  }
  return ok({ type, ...parsed.data } as SessionChange);
}
