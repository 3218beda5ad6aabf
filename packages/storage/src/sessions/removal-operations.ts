import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { StoreCore } from '../store-core.js';
import type { ActiveSessions, CleanupOptions, CleanupReport, SessionListing } from '../store-types.js';
import { activeMatcher, removeOne, runCleanup } from './retention-runner.js';
import type { TrashReason } from './trash-runner.js';

/** `SessionStore.listResumable`: the listing (`from`, or a fresh one) without the sessions open here or leased elsewhere. */
export async function resumableListing(
  core: StoreCore,
  active: ActiveSessions | undefined,
  from: SessionListing | undefined,
): Promise<SessionListing> {
  const listing = from ?? (await core.list());
  const isActive = activeMatcher(active, await core.backend.leasedIds());
  return { ...listing, sessions: listing.sessions.filter((session) => !isActive(session)) };
}

/** `SessionStore.delete`: one session into the trash or for good; active and pinned ones are refused. */
export async function deleteSession(
  core: StoreCore,
  id: string,
  options: { readonly purge?: boolean; readonly force?: boolean },
): Promise<Result<{ deleted: boolean; purged: boolean }>> {
  const purge = options.purge === true;
  const outcome = await removeOne(core.context, id, { reason: 'delete', purge, force: options.force });
  if (outcome === 'active') {
    return err(new JidoError('session_active', 'The session is open in a jido process and was not deleted.'));
  }
  if (outcome === 'pinned') {
    return err(
      new JidoError(
        'confirmation_required',
        'The session is pinned and was not deleted; unpin it first, or delete it with --force.',
        { details: { id, action: 'remove a pinned session' } },
      ),
    );
  }
  return ok({ deleted: outcome === 'deleted' || outcome === 'trashed', purged: purge });
}

/** `SessionStore.cleanup`: runs retention, then records one removal notice per reason it trashed for. */
export async function cleanupWithNotices(core: StoreCore, options: CleanupOptions): Promise<CleanupReport> {
  const maxAgeDays = options.maxAgeDays ?? core.config.cleanup_max_age_days;
  const counts = new Map<TrashReason, number>();
  const report = await runCleanup(core.context, {
    ...options,
    now: core.now(),
    maxAgeDays,
    onTrashed: (reason) => counts.set(reason, (counts.get(reason) ?? 0) + 1),
  });
  for (const [reason, count] of counts) {
    await core.notice({ reason, count, ...(reason === 'cleanup:age' ? { days: maxAgeDays } : {}) });
  }
  return report;
}
