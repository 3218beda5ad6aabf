import { z } from 'zod';
import { importedFromSchema } from './imported-from.js';
import { limits } from './limits.js';
import { llmConfigSchema } from './llm-config.js';
import { messageSchema, usageSchema } from './message.js';
import { sessionIdSchema, shortStringSchema, timestampSchema } from './primitives.js';
import { currentSessionVersion } from './session-version.js';
import { todoSchema } from './todo.js';

export { currentSessionVersion };

/**
 * Token and cost counters accumulated over a session's life. JidoCode writes `input_tokens`,
 * `output_tokens` and `total_cost`, and only when one is non-zero; other counters are kept as well.
 */
export const cumulativeUsageSchema = usageSchema;

/** An absolute path of a project folder. */
const projectPathSchema = z
  .string()
  .min(1)
  .max(limits.maxPathLength)
  .refine((path) => path.startsWith('/') && !path.includes('\0'), 'must be an absolute path');

/** Where a session's project folder was before `jido resume --project` moved it, and when. */
export const movedFromSchema = z.object({
  /** The project path before the move. */
  project_path: projectPathSchema,
  /** When the session was resumed into its new folder (ISO 8601 UTC). */
  moved_at: timestampSchema,
});

/**
 * A persisted session, schema version 1. Field names are JidoCode's (snake_case; docs/architecture.md, file format) so files
 * are shared with it. Unknown keys are dropped on parse.
 */
export const sessionSchema = z.object({
  /** Schema version of this document. */
  version: z.literal(currentSessionVersion),
  /** Canonical lowercase UUID v4. */
  id: sessionIdSchema,
  /** Display name, 1–50 characters. */
  name: z.string().trim().min(1).max(limits.maxNameLength),
  /** Absolute path of the project folder the session works in. */
  project_path: projectPathSchema,
  /** LLM settings. */
  config: llmConfigSchema,
  /** When the session was created (ISO 8601 UTC). */
  created_at: timestampSchema,
  /** When the session last changed. */
  updated_at: timestampSchema,
  /** When the session was last closed; null while it was saved without closing. */
  closed_at: timestampSchema.nullable(),
  /**
   * The messages, oldest first. (JidoCode writes them newest-first; storage presents such a file
   * oldest-first when it loads it.)
   */
  conversation: z.array(messageSchema).max(limits.maxMessages),
  /** The todo list, in display order. */
  todos: z.array(todoSchema).max(limits.maxTodos),
  /** Natural language of the conversation (BCP 47 tag), when known. */
  language: z.string().min(1).max(35).optional(),
  /** Token and cost counters. */
  cumulative_usage: cumulativeUsageSchema.optional(),
  /** The prompts typed into the session, as JidoCode keeps them for recall (newest first, as written). */
  prompt_history: z.array(z.string().max(limits.maxMessageLength)).max(limits.maxMessages).optional(),
  /** When the session was last resumed. */
  last_resumed_at: timestampSchema.nullable().optional(),
  /** Set when the session was rebuilt from its journal after a crash; cleared at the next clean close. */
  recovered_at: timestampSchema.nullable().optional(),
  /** Id of the session this one was forked from. */
  parent_id: sessionIdSchema.nullable().optional(),
  /** With `parent_id`: the fork holds the parent's messages 1..N (1-based, inclusive). */
  forked_at_message: z.number().int().positive().max(limits.maxMessages).optional(),
  /** Kept by every retention rule (cleanup, count-limit auto-cleanup, clear) until unpinned. */
  pinned: z.boolean().optional(),
  /** Set when `jido resume --project` moved the session to a new project folder: the last move. */
  moved_from: movedFromSchema.optional(),
  /** Set when the session was brought in from another assistant's files (`jido import`). */
  imported_from: importedFromSchema.optional(),
  /** `v1:<key id>:<mac>` over the canonical JSON of every other field; absent on legacy files. */
  signature: shortStringSchema.optional(),
});

/** A session without its signature: what the runtime builds and storage signs. */
export const unsignedSessionSchema = sessionSchema.omit({ signature: true });

/** A persisted session (schema version 1). */
export type Session = z.infer<typeof sessionSchema>;
/** A session without its signature: the payload that is signed. */
export type UnsignedSession = Omit<Session, 'signature'>;

/** See {@link movedFromSchema}. */
export type MovedFrom = z.infer<typeof movedFromSchema>;

/** See {@link cumulativeUsageSchema}. */
export type CumulativeUsage = z.infer<typeof cumulativeUsageSchema>;
