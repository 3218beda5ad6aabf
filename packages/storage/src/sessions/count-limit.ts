import { type AppConfig, JidoError, type Logger } from '@jido-code/core-schema';
import type { SessionBackend, SessionSlot } from '../backend/session-backend.js';
import type { SaveReport, SessionListing } from '../store-types.js';
import { oldestInactive } from './retention.js';
import { activeMatcher } from './retention-runner.js';

/** What {@link writeWithinLimit} needs from the store. */
export interface LimitContext {
  readonly backend: SessionBackend;
  readonly config: AppConfig;
  readonly logger: Logger;
  list(): Promise<SessionListing>;
  /**
   * Moves the auto-cleanup's victim to the trash under its own lock (refused when it is leased,
   * pinned or gone meanwhile); true when it was moved.
   */
  trashForLimit(id: string): Promise<boolean>;
}

/**
 * Writes a session's bytes into its slot. A session that is not stored yet is created while no
 * other process creates one, under `max_sessions`: at the limit it is refused
 * (`session_count_limit`), or with `auto_cleanup_on_limit` the least recently used session that
 * is neither open nor pinned is moved to the trash first (the trash does not count). Past `session_warn_ratio` of the limit the report has a warning.
 */
export async function writeWithinLimit(
  context: LimitContext,
  slot: SessionSlot,
  id: string,
  bytes: Uint8Array,
): Promise<SaveReport> {
  if (await slot.exists()) {
    await slot.write(bytes, true);
    return { id, bytes: bytes.length, created: false };
  }
  return context.backend.withCreation(async (census) => {
    const max = context.config.max_sessions;
    let count = await census.count();
    const refused = new Set<string>([id]);
    while (count >= max) {
      if (!context.config.auto_cleanup_on_limit) {
        throw new JidoError(
          'session_count_limit',
          `The limit of ${max} saved sessions is reached; delete or clean up old sessions first.`,
          { details: { count, max } },
        );
      }
      await trashOldest(context, refused, { count, max });
      count = await census.count();
    }
    await slot.write(bytes, false);
    await census.created?.(count + 1);
    const report: SaveReport = { id, bytes: bytes.length, created: true };
    if (count + 1 < Math.ceil(max * context.config.session_warn_ratio)) return report;
    context.logger.warn('Saved sessions are nearing the limit.', { count: count + 1, max });
    return { ...report, warning: { code: 'session_count_warning', count: count + 1, max } };
  });
}

async function trashOldest(
  context: LimitContext,
  refused: Set<string>,
  details: { readonly count: number; readonly max: number },
): Promise<void> {
  const listing = await context.list();
  const isActive = activeMatcher({ ids: refused }, await context.backend.leasedIds());
  const victim = oldestInactive(listing.sessions, isActive);
  if (victim === undefined) {
    throw new JidoError(
      'session_count_limit',
      `The limit of ${details.max} saved sessions is reached and every saved session is in use or pinned.`,
      { details },
    );
  }
  // A victim that could not be moved (leased or pinned meanwhile) is not chosen again.
  refused.add(victim.id);
  if (await context.trashForLimit(victim.id)) {
    context.logger.warn(
      'Moved the least recently used session to the trash to stay within the session limit.',
      {
        trashed: victim.id,
      },
    );
  }
}
