import type { Message, Session, UnsignedSession } from '@jido-code/core-schema';

/** What to do with an imported session given what the jido home already holds under its id. */
export type ImportDecision =
  /** Not imported before: save it. */
  | { readonly action: 'create'; readonly session: UnsignedSession }
  /** Imported before and `--update` not asked (or nothing new): leave it. */
  | { readonly action: 'skip'; readonly reason: 'already_imported' | 'up_to_date'; readonly id: string }
  /** Imported before and grown since: append these messages (`--update`). */
  | { readonly action: 'append'; readonly id: string; readonly messages: readonly Message[] }
  /** The id is taken by a session that was not imported from this source: leave both alone. */
  | { readonly action: 'conflict'; readonly id: string };

/**
 * Decides, without I/O, how an import treats a source session. Message ids come from the source
 * (record ids, line numbers), so "new" means an id the saved copy does not have; messages already
 * saved are never rewritten, even when the source changed them (a Gemini update, a rewind).
 */
export function decideImport(
  existing: Session | undefined,
  incoming: UnsignedSession,
  update: boolean,
): ImportDecision {
  if (existing === undefined) return { action: 'create', session: incoming };
  const from = existing.imported_from;
  const source = incoming.imported_from;
  if (!from || !source || from.tool !== source.tool || from.source_id !== source.source_id)
    return { action: 'conflict', id: existing.id };
  if (!update) return { action: 'skip', reason: 'already_imported', id: existing.id };
  const known = new Set(existing.conversation.map((message) => message.id));
  const messages = incoming.conversation.filter((message) => !known.has(message.id));
  if (messages.length === 0) return { action: 'skip', reason: 'up_to_date', id: existing.id };
  return { action: 'append', id: existing.id, messages };
}

/** The saved session with `messages` appended and its provenance refreshed. */
export function appendImported(
  existing: Session,
  incoming: UnsignedSession,
  messages: readonly Message[],
): UnsignedSession {
  const { signature: _signature, ...unsigned } = existing;
  const times = [existing.updated_at, ...messages.map((message) => message.timestamp)].sort();
  const latest = times.at(-1) ?? existing.updated_at;
  return {
    ...unsigned,
    conversation: [...existing.conversation, ...messages],
    updated_at: latest,
    closed_at: existing.closed_at === null ? null : latest,
    ...(incoming.imported_from ? { imported_from: incoming.imported_from } : {}),
  };
}
