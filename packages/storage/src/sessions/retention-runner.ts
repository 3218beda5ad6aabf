import { JidoError, type Result, toJidoError } from '@jido-code/core-schema';
import type { SessionBackend, StoredSession } from '../backend/session-backend.js';
import type { ActiveSessions, CleanupOptions, CleanupReport, SessionListing } from '../store-types.js';
import { planCleanup } from './retention.js';
import type { LoadedSession } from './session-codec.js';

/** How a delete of one session ended. */
export type DeleteOutcome = 'deleted' | 'missing' | 'active' | 'changed';

/** What the retention runner needs from the store. */
export interface RetentionContext {
  readonly backend: SessionBackend;
  /** The full listing (from the backend's index where it has one). */
  list(): Promise<SessionListing>;
  /** Decodes and verifies stored bytes. */
  verify(stored: StoredSession, id: string): Promise<Result<LoadedSession>>;
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
 * Deletes one session in its exclusive section unless it is leased (`active`). With
 * `listedUpdatedAt` (cleanup), the session is re-read there and kept (`changed`) if it changed
 * since it was listed: a save that landed in between is fresh activity, and an acknowledged save
 * is never deleted by a stale plan.
 */
export function deleteOne(
  context: RetentionContext,
  id: string,
  listedUpdatedAt?: string,
): Promise<DeleteOutcome> {
  return context.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) return 'active';
    if (listedUpdatedAt !== undefined) {
      const current = await slot.read().then(
        (stored) => context.verify(stored, id),
        (error: unknown) => ({ ok: false as const, error: failure(error, 'load the session') }),
      );
      if (!current.ok && current.error.code === 'not_found') return 'missing';
      if (!current.ok || current.value.session.updated_at !== listedUpdatedAt) return 'changed';
    }
    return (await slot.remove()) ? 'deleted' : 'missing';
  });
}

/** Deletes every listed session that is not active, continuing past failures. */
export async function clearSessions(
  context: RetentionContext,
  active?: ActiveSessions,
): Promise<CleanupReport> {
  const listing = await context.list();
  const isActive = activeMatcher(active, await context.backend.leasedIds());
  const targets: { id: string; project_path?: string }[] = [
    ...listing.sessions,
    ...listing.problems.flatMap((problem) => (problem.id === undefined ? [] : [{ id: problem.id }])),
  ];
  const report = emptyReport();
  for (const target of targets) {
    if (isActive(target)) report.skipped.push(target.id);
    else await deleteInto(context, report, target.id);
  }
  return report;
}

/** Runs a retention plan: by age of last activity and by count, never an active session. */
export async function runCleanup(
  context: RetentionContext,
  options: CleanupOptions & { readonly now: Date; readonly maxAgeDays: number },
): Promise<CleanupReport> {
  const listing = await context.list();
  const isActive = activeMatcher(options.active, await context.backend.leasedIds());
  const plan = planCleanup(listing.sessions, {
    now: options.now,
    maxAgeDays: options.maxAgeDays,
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    isActive,
  });
  const report = emptyReport();
  report.skipped.push(...plan.skipped);
  const updatedAt = new Map(listing.sessions.map((session) => [session.id, session.updated_at]));
  for (const id of plan.remove) {
    if (options.dryRun) report.deleted.push(id);
    else await deleteInto(context, report, id, updatedAt.get(id));
  }
  return report;
}

async function deleteInto(
  context: RetentionContext,
  report: CleanupReport,
  id: string,
  listedUpdatedAt?: string,
): Promise<void> {
  try {
    const outcome = await deleteOne(context, id, listedUpdatedAt);
    if (outcome === 'active') report.skipped.push(id);
    else if (outcome === 'changed') report.changed.push(id);
    else if (outcome === 'deleted') report.deleted.push(id);
  } catch (error) {
    report.failed.push(id);
    report.errors.push({ id, error: failure(error, 'delete the session') });
  }
}

function emptyReport(): CleanupReport {
  return { deleted: [], skipped: [], changed: [], failed: [], errors: [] };
}

/** A caught value as a JidoError: a JidoError passes through, anything else becomes `internal`. */
export function failure(error: unknown, action: string): JidoError {
  return error instanceof JidoError ? error : toJidoError(error, 'internal', `Could not ${action}.`);
}
