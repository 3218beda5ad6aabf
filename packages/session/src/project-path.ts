import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { err, JidoError, limits, ok, type Result } from '@jido-code/core-schema';

/** System folders a session may never work in. */
export const forbiddenProjectRoots: readonly string[] = [
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/bin',
  '/sbin',
  '/usr',
  '/var',
  '/lib',
  '/lib64',
  '/run',
];

/** Identity of a project folder at one moment: compared after start to catch a swap (TOCTOU). */
export interface ProjectFingerprint {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  readonly uid: number;
  readonly mode: number;
}

function invalid(reason: string, path: string, cause?: unknown): JidoError {
  return new JidoError('invalid_project_path', `The project folder ${reason}.`, {
    details: { path, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** True when `path` is one of {@link forbiddenProjectRoots} or inside /proc, /sys, /dev or /boot. */
export function isForbiddenProjectPath(path: string): boolean {
  if (forbiddenProjectRoots.includes(path)) return true;
  return ['/proc/', '/sys/', '/dev/', '/boot/', '/etc/'].some((root) => path.startsWith(root));
}

/**
 * Checks that a project path is an absolute, existing, readable directory outside the system
 * folders, and returns its resolved path with a fingerprint (device, inode, owner, mode).
 */
export async function validateProjectPath(path: string): Promise<Result<ProjectFingerprint>> {
  if (!isAbsolute(path) || path.includes('\0') || path.length > limits.maxPathLength) {
    return err(invalid('path is not a valid absolute path', path));
  }
  let resolved: string;
  try {
    resolved = await realpath(path);
  } catch (cause) {
    return err(invalid('does not exist', path, cause));
  }
  if (isForbiddenProjectPath(resolved)) return err(invalid('is a protected system folder', resolved));
  try {
    const stats = await stat(resolved);
    if (!stats.isDirectory()) return err(invalid('is not a directory', resolved));
    await access(resolved, constants.R_OK | constants.X_OK);
    return ok({ path: resolved, dev: stats.dev, ino: stats.ino, uid: stats.uid, mode: stats.mode });
  } catch (cause) {
    return err(invalid('cannot be read', resolved, cause));
  }
}

/**
 * Re-validates a project path after the session started and compares it with the first check:
 * a folder deleted, replaced, re-owned or re-moded in between is refused with `project_changed`.
 */
export async function revalidateProjectPath(first: ProjectFingerprint): Promise<Result<ProjectFingerprint>> {
  const again = await validateProjectPath(first.path);
  if (!again.ok) {
    return err(
      new JidoError('project_changed', 'The project folder changed while the session was starting.', {
        details: { path: first.path },
        cause: again.error,
      }),
    );
  }
  const now = again.value;
  const same =
    now.path === first.path &&
    now.dev === first.dev &&
    now.ino === first.ino &&
    now.uid === first.uid &&
    now.mode === first.mode;
  if (!same) {
    return err(
      new JidoError('project_changed', 'The project folder changed while the session was starting.', {
        details: { path: first.path, before: first, after: now },
      }),
    );
  }
  return ok(now);
}

/**
 * A folder a session moves to (`jido resume --project`): valid as a new project folder, and owned
 * by the user running jido.
 */
export async function validateMovedProject(path: string): Promise<Result<ProjectFingerprint>> {
  const checked = await validateProjectPath(path);
  if (!checked.ok) return checked;
  const uid = process.getuid?.();
  if (uid !== undefined && checked.value.uid !== uid) {
    return err(invalid('is not yours (owned by another user)', checked.value.path));
  }
  return checked;
}

/**
 * A saved session's missing folder: the error keeps its code and gains `details.moveHint` (the
 * session's short id) so the message can name `jido resume <id> --project DIR`.
 */
export function withMoveHint(error: JidoError, sessionId: string): JidoError {
  if (error.code !== 'invalid_project_path' || error.details.reason !== 'does not exist') return error;
  return new JidoError(error.code, error.message, {
    details: { ...error.details, moveHint: sessionId.slice(0, 8) },
    cause: error.cause,
  });
}
