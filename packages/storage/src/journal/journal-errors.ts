import { JidoError } from '@jido-code/core-schema';
import { errnoCode } from '../fs/file-system.js';

/**
 * Turns a file-system failure during `action` into a typed error with a user-safe message. The path
 * and errno stay in `details` for a debug log. A JidoError passes through unchanged.
 */
export function journalIoError(cause: unknown, action: string, path: string): JidoError {
  if (cause instanceof JidoError) return cause;
  const errno = errnoCode(cause);
  const details = { path, errno, action };
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new JidoError('not_found', 'The session journal was not found.', { cause, details });
    case 'EACCES':
    case 'EPERM':
      return new JidoError('permission_denied', 'Access to the session journal was denied.', {
        cause,
        details,
      });
    case 'ELOOP':
      return new JidoError('permission_denied', 'The session journal is a symbolic link, which is refused.', {
        cause,
        details,
      });
    default:
      return new JidoError('io_error', 'The session journal could not be accessed.', { cause, details });
  }
}

/** The error of a journal whose existing lines fail to parse or verify. */
export function journalCorrupt(reason: string, details: Readonly<Record<string, unknown>>): JidoError {
  return new JidoError('journal_corrupt', 'The session journal is damaged or was modified.', {
    details: { reason, ...details },
  });
}
