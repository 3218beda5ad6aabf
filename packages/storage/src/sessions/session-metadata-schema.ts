import { z } from 'zod';

/** What a listing shows of one saved session, kept in the index so listing need not parse files. */
export const sessionMetadataSchema = z.object({
  /** Session id (lowercase UUID v4). */
  id: z.string(),
  /** Display name. */
  name: z.string(),
  /** Project folder. */
  project_path: z.string(),
  /** Creation time (ISO 8601). */
  created_at: z.string(),
  /** Last change (ISO 8601). */
  updated_at: z.string(),
  /** Last close (ISO 8601), null if saved without closing. */
  closed_at: z.string().nullable(),
  /** Last resume (ISO 8601), null if never resumed. */
  last_resumed_at: z.string().nullable(),
  /** Set when the session was rebuilt from its journal after a crash, until its next clean close. */
  recovered_at: z.string().nullable(),
  /** Number of messages. */
  message_count: z.number().int().nonnegative(),
  /** Number of todos. */
  todo_count: z.number().int().nonnegative(),
  /** True when the file's signature verified; false for an accepted unsigned legacy file. */
  signed: z.boolean(),
  /** Whose key verified the signature (`jidocode`: JidoCode's `machine_secret` key); null when unsigned. */
  signed_by: z.enum(['keyring', 'jidocode']).nullable().optional(),
  /** File size in bytes. */
  size_bytes: z.number().int().nonnegative(),
  /** When the session was imported from another assistant (`imported_from.imported_at`), else null. */
  imported_at: z.string().nullable().optional(),
  /** The session this one was forked from, else null. */
  parent_id: z.string().nullable().optional(),
  /** True when the session is pinned: no retention rule removes it. */
  pinned: z.boolean().optional(),
  /** Token and cost totals of the session's model replies (`input_tokens`, `output_tokens`, `total_cost`), else null. */
  cumulative_usage: z.record(z.string(), z.number()).nullable().optional(),
});

/** See {@link sessionMetadataSchema}. */
export type SessionMetadata = z.infer<typeof sessionMetadataSchema>;
