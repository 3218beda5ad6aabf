import { createHash } from 'node:crypto';
import type { Message, Session } from '@jido-code/core-schema';
import { foldToken, tokenize } from '@jido-code/storage/search';

/** One session's search rows as the parameters of `index_session_v1`, ordinal = array position. */
export interface SearchRows {
  readonly messageIds: string[];
  readonly roles: string[];
  readonly ats: string[];
  readonly folded: string[];
  readonly digests: Buffer[];
}

interface SearchRow {
  readonly messageId: string;
  readonly role: string;
  readonly at: string;
  readonly folded: string;
  readonly digest: Buffer;
}

/** PostgreSQL text cannot hold U+0000; the index drops it (the signed document keeps it). */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

/** Text as the index holds it: the file backend's tokens, folded the same way, space-separated. */
export function indexedText(content: string): string {
  return tokenize(content).map(foldToken).join(' ');
}

// Messages are immutable once appended (the session codec caches their encoding the same way), so
// a message object's row is computed once; the entries go with their objects.
const rowCache = new WeakMap<Message, SearchRow>();

function rowOf(message: Message): SearchRow {
  const cached = rowCache.get(message);
  if (cached !== undefined) return cached;
  const messageId = withoutNul(message.id);
  const role = withoutNul(message.role);
  const at = withoutNul(message.timestamp);
  const folded = withoutNul(indexedText(message.content));
  // U+0000 cannot occur in the parts any more, so it separates them unambiguously.
  const digest = createHash('sha256')
    .update(`${messageId}\u0000${role}\u0000${at}\u0000${folded}`)
    .digest()
    .subarray(0, 16);
  const row = { messageId, role, at, folded, digest };
  rowCache.set(message, row);
  return row;
}

/** The rows of every message of `session`, in order. */
export function searchRowsOf(session: Session): SearchRows {
  const rows: SearchRows = { messageIds: [], roles: [], ats: [], folded: [], digests: [] };
  for (const message of session.conversation) {
    const row = rowOf(message);
    rows.messageIds.push(row.messageId);
    rows.roles.push(row.role);
    rows.ats.push(row.at);
    rows.folded.push(row.folded);
    rows.digests.push(row.digest);
  }
  return rows;
}

/** The rows as SQL parameters, in the order `index_session_v1` and `replace_session_v1` take them. */
export function searchRowParameters(rows: SearchRows): [string[], string[], string[], string[], Buffer[]] {
  return [rows.messageIds, rows.roles, rows.ats, rows.folded, rows.digests];
}
