import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { RateLimiter } from '@jido-code/rate-limit';
import type { LiveSession } from '../live-session.js';
import { validateMovedProject, validateProjectPath, withMoveHint } from '../project-path.js';
import { recoverSession } from '../recover-interrupted.js';
import type { ManagerParts } from './manager-parts.js';
import { startSession } from './start-session.js';

/** Options of `SessionManager.resume`. */
export interface ResumeOptions {
  /** Resume into this project folder instead of the saved one (the project moved). */
  readonly projectPath?: string | undefined;
  /**
   * Told what loading the saved file noted (`unsigned`, `reordered`, …; see the store's
   * `LoadedSession.warnings`) as soon as it loaded; the resume can still fail after that.
   */
  readonly onLoadWarnings?: ((warnings: readonly string[]) => void) | undefined;
}

/** `SessionManager.resume` (see there): rate limit, lease, recovery, load, project check, start. */
export async function resumeSession(
  parts: ManagerParts,
  rateLimiter: RateLimiter,
  id: string,
  options: ResumeOptions,
): Promise<Result<LiveSession>> {
  const allowed = await rateLimiter.attempt('resume', id);
  if (!allowed.ok) return allowed;
  if (parts.registry.get(id)) {
    return err(new JidoError('already_open_elsewhere', 'This session is already open.', { details: { id } }));
  }
  const lease = await parts.store.acquireLease(id);
  if (!lease.ok) return lease;
  const recovered = await recoverOne(parts, id);
  if (!recovered.ok) {
    await lease.value.release();
    return recovered;
  }
  const loaded = await parts.store.load(id);
  if (!loaded.ok) {
    await lease.value.release();
    return loaded;
  }
  options.onLoadWarnings?.(loaded.value.warnings);
  const { signature: _signature, ...stored } = loaded.value.session;
  // A JidoCode or unsigned legacy file is rewritten by its first save: redacted on the way in, as by `migrate`.
  const session =
    loaded.value.signer === 'keyring' ? stored : (await parts.redactor.redactSession(stored)).session;
  const moving = options.projectPath !== undefined;
  const project = moving
    ? await validateMovedProject(options.projectPath ?? '')
    : await validateProjectPath(session.project_path);
  if (!project.ok) {
    await lease.value.release();
    return err(moving ? project.error : withMoveHint(project.error, id));
  }
  const resumedAt = parts.now().toISOString();
  const moved =
    moving && project.value.path !== session.project_path
      ? {
          project_path: project.value.path,
          moved_from: { project_path: session.project_path, moved_at: resumedAt },
        }
      : {};
  return startSession(parts, { ...session, ...moved, last_resumed_at: resumedAt }, project.value, {
    lease: lease.value,
    revalidate: true,
    saveFirst: 'moved_from' in moved,
  });
}

/** Recovers one session whose lease the caller holds; a journal that cannot be used fails the resume. */
async function recoverOne(parts: ManagerParts, id: string): Promise<Result<void>> {
  const outcome = await recoverSession(parts.store, id, {
    now: parts.now,
    logger: parts.logger,
    redactor: parts.redactor,
  });
  if (!outcome.ok) return outcome;
  if (outcome.value.quarantined !== undefined) return err(outcome.value.quarantined.error);
  return ok(undefined);
}
