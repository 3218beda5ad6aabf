import type { Session } from '@jido-code/core-schema';
import type { SessionMetadata } from './session-metadata-schema.js';

export type { SessionMetadata } from './session-metadata-schema.js';

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
