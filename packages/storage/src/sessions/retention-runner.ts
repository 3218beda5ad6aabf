import { JidoError, type Result, toJidoError } from '@jido-code/core-schema';
import type { ActiveSessions, CleanupOptions, CleanupReport, SessionListing } from '../store-types.js';
import { lastActivity, planCleanup } from './retention.js';
import type { LoadedSession } from './session-codec.js';
import { metadataOf, type SessionMetadata } from './session-metadata.js';
import { moveIntoTrash, type TrashContext, type TrashReason } from './trash-runner.js';

/** How the removal of one session ended. */
export type RemoveOutcome = 'trashed' | 'deleted' | 'missing' | 'active' | 'changed' | 'pinned';

/** What the retention runner needs from the store. */
export interface RetentionContext extends TrashContext {
  /** The full listing (from the backend's index where it has one). */
  list(): Promise<SessionListing>;
  now(): Date;
}

/** How to remove one session. */
export interface RemoveRequest {
  /** Recorded with the move: why the session went to the trash. */
  readonly reason: TrashReason;
  /** Delete for good instead of moving to the trash. */
  readonly purge?: boolean | undefined;
  /** Remove it even when it is pinned (an explicit delete only). */
  readonly force?: boolean | undefined;
  /**
   * Cleanup's listing of the session: it is kept (`changed`) if its update or last activity (a
   * resume sets only `last_resumed_at`) moved since it was listed, since a save that landed in
   * between is fresh activity, and an acknowledged save is never removed by a stale plan.
   */
  readonly listed?: SessionMetadata | undefined;
}

/** Whether a session is open here (by id or project) or leased by another live process. */
export function activeMatcher(active: ActiveSessions | undefined, leased: ReadonlySet<string>) {
  const ids = new Set(active?.ids ?? []);
  const projectPaths = new Set(active?.projectPaths ?? []);
  return (session: { id: string; project_path?: string }) =>
    ids.has(session.id) ||
    leased.has(session.id) ||
    (session.project_path !== undefined && projectPaths.has(session.project_path));
}

/**
 * Removes one session in its exclusive section: into the trash, or for good with `purge`. A leased
 * session is kept (`active`); a pinned one is kept (`pinned`) unless `force`. Both are checked
 * under the session's lock, so a pin or a resume that landed after a plan was made still counts.
 */
export function removeOne(
  context: RetentionContext,
  id: string,
  request: RemoveRequest,
): Promise<RemoveOutcome> {
  return context.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) return 'active';
    if (!(await slot.exists())) return 'missing';
    const loaded: Result<LoadedSession> = await slot.read().then(
      (stored) => context.verify(stored, id),
      (error: unknown) => ({ ok: false as const, error: failure(error, 'load the session') }),
    );
    if (!loaded.ok && loaded.error.code === 'not_found') return 'missing';
    if (request.listed !== undefined) {
      if (!loaded.ok) return 'changed';
      const now = metadataOf(loaded.value.session, loaded.value.signed, 0);
      const then = request.listed;
      if (now.updated_at !== then.updated_at || lastActivity(now) !== lastActivity(then)) return 'changed';
    }
    if (loaded.ok && loaded.value.session.pinned === true && request.force !== true) return 'pinned';
    if (request.purge === true) {
      if (!(await slot.remove())) return 'missing';
      await context.unindex(id);
      return 'deleted';
    }
    const moved = await moveIntoTrash(context, slot, id, {
      reason: request.reason,
      now: context.now(),
      loaded,
    });
    return moved ? 'trashed' : 'missing';
  });
}

/** Removes every listed session that is neither active nor pinned, continuing past failures. */
export async function clearSessions(
  context: RetentionContext,
  active: ActiveSessions | undefined,
  purge: boolean,
): Promise<CleanupReport> {
  const listing = await context.list();
  const isActive = activeMatcher(active, await context.backend.leasedIds());
  const targets: { id: string; project_path?: string; pinned?: boolean | undefined }[] = [
    ...listing.sessions,
    ...listing.problems.flatMap((problem) => (problem.id === undefined ? [] : [{ id: problem.id }])),
  ];
  const report = emptyReport(purge);
  for (const target of targets) {
    if (isActive(target)) report.skipped.push(target.id);
    else if (target.pinned === true) report.pinned.push(target.id);
    else await removeInto(context, report, target.id, { reason: 'clear', purge });
  }
  return report;
}

/** Runs a retention plan: by age of last activity and by count, never an active or pinned session. */
export async function runCleanup(
  context: RetentionContext,
  options: CleanupOptions & {
    readonly now: Date;
    readonly maxAgeDays: number;
    /** Called for each session moved to the trash, with the rule that chose it. */
    readonly onTrashed?: (reason: TrashReason) => void;
  },
): Promise<CleanupReport> {
  const listing = await context.list();
  const isActive = activeMatcher(options.active, await context.backend.leasedIds());
  const plan = planCleanup(listing.sessions, {
    now: options.now,
    maxAgeDays: options.maxAgeDays,
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    isActive,
  });
  const purge = options.purge === true;
  const report = emptyReport(purge);
  report.skipped.push(...plan.skipped);
  report.pinned.push(...plan.pinned);
  const listed = new Map(listing.sessions.map((session) => [session.id, session]));
  for (const id of plan.remove) {
    const reason = plan.reasons.get(id) ?? 'cleanup:age';
    if (options.dryRun) report.deleted.push(id);
    else if (await removeInto(context, report, id, { reason, purge, listed: listed.get(id) })) {
      if (!purge) options.onTrashed?.(reason);
    }
  }
  return report;
}

async function removeInto(
  context: RetentionContext,
  report: CleanupReport,
  id: string,
  request: RemoveRequest,
): Promise<boolean> {
  try {
    const outcome = await removeOne(context, id, request);
    if (outcome === 'active') report.skipped.push(id);
    else if (outcome === 'changed') report.changed.push(id);
    else if (outcome === 'pinned') report.pinned.push(id);
    else if (outcome === 'deleted' || outcome === 'trashed') report.deleted.push(id);
    return outcome === 'deleted' || outcome === 'trashed';
  } catch (error) {
    report.failed.push(id);
    const action = request.purge ? 'delete the session' : 'move the session to the trash';
    report.errors.push({ id, error: failure(error, action) });
    return false;
  }
}

function emptyReport(purged: boolean): CleanupReport {
  return { deleted: [], purged, skipped: [], pinned: [], changed: [], failed: [], errors: [] };
}

/** A caught value as a JidoError: a JidoError passes through, anything else becomes `internal`. */
export function failure(error: unknown, action: string): JidoError {
  return error instanceof JidoError ? error : toJidoError(error, 'internal', `Could not ${action}.`);
}
