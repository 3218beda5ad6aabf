import { JidoError } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';

/**
 * A file-system failure of the journal during `action` (e.g. `open`, `sync directory`), mapped by
 * the one errno mapper, {@link fileSystemError}: a user-safe message, the path and errno in
 * `details`. A JidoError passes through unchanged.
 */
export function journalIoError(cause: unknown, action: string, path: string): JidoError {
  return fileSystemError(cause, wording[action] ?? `${action} the session journal`, { path, action });
}

const wording: Partial<Record<string, string>> = {
  'ensure directory': 'create the journal folder',
  'sync directory': 'sync the journal folder',
  list: 'list the session journals',
  'truncate torn tail': 'repair the session journal',
};

/** The error of a journal whose existing lines fail to parse or verify. */
export function journalCorrupt(reason: string, details: Readonly<Record<string, unknown>>): JidoError {
  return new JidoError('journal_corrupt', 'The session journal is damaged or was modified.', {
    details: { reason, ...details },
  });
}

/** Why a writer refuses an append before encoding it: it failed earlier, or it is closed. */
export function journalRefusal(failure: JidoError | undefined, closed: boolean, path: string) {
  if (failure !== undefined) {
    return new JidoError('io_error', 'The session journal failed earlier and accepts no more changes.', {
      cause: failure,
      details: { path },
    });
  }
  return closed ? new JidoError('io_error', 'The session journal is closed.') : undefined;
}

/** The error of an append that would grow the journal past `maxBytes`. */
export function journalFull(path: string, maxBytes: number): JidoError {
  return new JidoError('too_large', 'The session journal is full.', { details: { path, maxBytes } });
}
