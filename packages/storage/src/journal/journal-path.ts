import { join } from 'node:path';
import { err, JidoError, ok, type Result, uuidV4Pattern } from '@jido-code/core-schema';

/** File-name extension of a session journal: one JSON document per line. */
export const journalFileExtension = '.jsonl';

/** Validates a session id (canonical lowercase UUID v4) before it is allowed near a path. */
export function checkJournalSessionId(sessionId: string): Result<string> {
  if (typeof sessionId === 'string' && uuidV4Pattern.test(sessionId)) return ok(sessionId);
  return err(new JidoError('invalid_id', 'The session id is not valid.'));
}

/** `<dir>/<sessionId>.jsonl`; the id must already have passed {@link checkJournalSessionId}. */
export function journalPath(dir: string, sessionId: string): string {
  return join(dir, `${sessionId}${journalFileExtension}`);
}

/** The session id a directory entry is the journal of, or `undefined` for any other file name. */
export function sessionIdFromJournalFileName(fileName: string): string | undefined {
  if (!fileName.endsWith(journalFileExtension)) return undefined;
  const sessionId = fileName.slice(0, -journalFileExtension.length);
  return uuidV4Pattern.test(sessionId) ? sessionId : undefined;
}
