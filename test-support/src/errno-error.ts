import { constants } from 'node:os';

const errnoNumbers: Readonly<Record<string, number | undefined>> = constants.errno;

/**
 * An error shaped like the ones Node's fs raises: `code` (`ENOSPC`…), `errno` (the OS number
 * from `os.constants.errno`, when the code is known there), `syscall` and optionally `path`.
 * Message: `<code>: injected fault, <syscall>` (and `, '<path>'` when given).
 *
 * Node's own errors carry libuv's negated errno (ENOSPC → -28); this one carries the positive OS
 * number. Code that branches on errors should look at `code`, which is identical.
 */
export function errnoError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const suffix = path === undefined ? '' : `, '${path}'`;
  const error: NodeJS.ErrnoException = Object.assign(
    new Error(`${code}: injected fault, ${syscall}${suffix}`),
    {
      code,
      syscall,
    },
  );
  const errno = errnoNumbers[code];
  if (errno !== undefined) error.errno = errno;
  if (path !== undefined) error.path = path;
  return error;
}
