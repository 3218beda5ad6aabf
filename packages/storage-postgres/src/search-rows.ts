import { createHash } from 'node:crypto';
import type { Message, Session } from '@jido-code/core-schema';
import { foldToken, tokenize } from '@jido-code/storage/search';

/**
 * One session's search rows as the parameters of `index_session_v1`: the digest of them all, then
 * PostgreSQL array literals (element i is ordinal i) of message ids, roles, times, indexed texts
 * and each row's digest.
 */
type SearchRowParameters = [Buffer, string, string, string, string, string];

/** One message's row, each field already quoted as an array-literal element. */
interface SearchRow {
  readonly elements: readonly [string, string, string, string, string];
}

/** PostgreSQL text cannot hold U+0000; the index drops it (the signed document keeps it). */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}

/** Text as the index holds it: the file backend's tokens, folded the same way, space-separated. */
function indexedText(content: string): string {
  return tokenize(content).map(foldToken).join(' ');
}

/** A double-quoted array-literal element: backslash and double quote escaped, nothing else. */
function element(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

// Messages are immutable once appended (the session codec caches their encoding the same way), so
// a message object's row is computed and quoted once; the entries go with their objects.
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
    .subarray(0, 16)
    .toString('hex');
  const row: SearchRow = {
    elements: [element(messageId), element(role), element(at), element(folded), element(`\\x${digest}`)],
  };
  rowCache.set(message, row);
  return row;
}

/**
 * The rows of every message of `session`, in order, as array literals: joined from each message's
 * cached elements, so a re-save pays neither the folding nor the driver's quoting again.
 */
export function searchRowParameters(session: Session): SearchRowParameters {
  const columns: [string[], string[], string[], string[], string[]] = [[], [], [], [], []];
  for (const message of session.conversation) {
    const { elements } = rowOf(message);
    for (let column = 0; column < 5; column++) columns[column]?.push(elements[column] as string);
  }
  const [ids, roles, ats, folded, digests] = columns.map((values) => `{${values.join(',')}}`) as [
    string,
    string,
    string,
    string,
    string,
  ];
  return [digestOf(columns[4].length, digests), ids, roles, ats, folded, digests];
}

/** The row digests in order, with their count, name the whole set of rows. */
function digestOf(count: number, digests: string): Buffer {
  return createHash('sha256').update(`${count}:${digests}`).digest().subarray(0, 16);
}

/**
 * The first parameter of {@link searchRowParameters} alone, without joining the other columns
 * (about 40 KB of text for 100 messages): what a save whose rows are already current sends.
 */
export function searchRowsDigest(session: Session): Buffer {
  const digests = session.conversation.map((message) => rowOf(message).elements[4]);
  return digestOf(digests.length, `{${digests.join(',')}}`);
}
