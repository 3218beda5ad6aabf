import { type ErrorCode, JidoError } from '@jido-code/core-schema';
import { errnoCode } from './fs/file-system.js';

/** The error code a file-system errno maps to; anything but a missing or refused path is `io_error`. */
export function codeForErrno(errno: string | undefined): ErrorCode {
  if (errno === 'ENOENT' || errno === 'ENOTDIR') return 'not_found';
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'ELOOP') return 'permission_denied';
  return 'io_error';
}

const reasons: Partial<Record<string, string>> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'it is a symbolic link, which is never followed',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error occurred',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
};

/**
 * Wraps a file-system failure into a {@link JidoError}. The message names what was being done (for
 * example "save the session") and a plain reason, never a path; the path, errno and syscall stay in
 * `details` for a debug log.
 */
export function fileSystemError(
  cause: unknown,
  action: string,
  details: Readonly<Record<string, unknown>> = {},
): JidoError {
  if (cause instanceof JidoError) return cause;
  const errno = errnoCode(cause);
  const reason = (errno && reasons[errno]) ?? 'a file-system error occurred';
  return new JidoError(codeForErrno(errno), `Could not ${action}: ${reason}.`, {
    cause,
    details: { ...details, errno: errno ?? null, syscall: (cause as { syscall?: unknown })?.syscall ?? null },
  });
}
