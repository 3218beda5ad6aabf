import type { Session } from '@jido-code/core-schema';
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

/** The metadata of a loaded session. */
export function metadataOf(
  session: Session,
  signed: boolean,
  sizeBytes: number,
  signer?: 'keyring' | 'jidocode',
): SessionMetadata {
  return {
    id: session.id,
    name: session.name,
    project_path: session.project_path,
    created_at: session.created_at,
    updated_at: session.updated_at,
    closed_at: session.closed_at,
    last_resumed_at: session.last_resumed_at ?? null,
    recovered_at: session.recovered_at ?? null,
    message_count: session.conversation.length,
    todo_count: session.todos.length,
    signed,
    signed_by: signed ? (signer ?? 'keyring') : null,
    size_bytes: sizeBytes,
    imported_at: session.imported_from?.imported_at ?? null,
    parent_id: session.parent_id ?? null,
    pinned: session.pinned === true,
    cumulative_usage: session.cumulative_usage ?? null,
  };
}

/** Newest closed first; a session never closed is placed by its last update; ties by id. */
export function compareByClosedNewestFirst(left: SessionMetadata, right: SessionMetadata): number {
  const leftTime = left.closed_at ?? left.updated_at;
  const rightTime = right.closed_at ?? right.updated_at;
  if (leftTime !== rightTime) return leftTime < rightTime ? 1 : -1;
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}
