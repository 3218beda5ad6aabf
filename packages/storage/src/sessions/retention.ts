import type { SessionMetadata } from './session-metadata.js';

/**
 * When a session was last used: the latest of its last update, close and resume (never the file's
 * mtime, which a copy, a backup restore or a re-signing changes); and never earlier than its import
 * (an imported session's own times are the other assistant's, often months old, and retention must
 * not discard history the user has just brought in).
 */
export function lastActivity(session: SessionMetadata): string {
  let latest = session.updated_at;
  for (const time of [session.closed_at, session.last_resumed_at, session.imported_at]) {
    if (typeof time === 'string' && Date.parse(time) > Date.parse(latest)) latest = time;
  }
  return latest;
}

/** Inputs of {@link planCleanup}. */
export interface CleanupPolicy {
  readonly now: Date;
  /** Sessions whose last activity is older than this many days are deleted. */
  readonly maxAgeDays?: number;
  /** Only this many sessions (newest by last activity, pinned ones included) are kept. */
  readonly maxCount?: number;
  /** Active sessions (open here or leased elsewhere) are never deleted. */
  readonly isActive: (session: SessionMetadata) => boolean;
}

/**
 * What a cleanup would do: ids to remove (each with the rule that chose it), ids that qualified but
 * are active, and ids that qualified but are pinned.
 */
export interface CleanupPlan {
  readonly remove: readonly string[];
  /** The rule that chose each id of `remove`: by age first, else by count. */
  readonly reasons: ReadonlyMap<string, 'cleanup:age' | 'cleanup:count'>;
  readonly skipped: readonly string[];
  readonly pinned: readonly string[];
}

/**
 * Pure retention decision: by age, then by count; active and pinned sessions are kept, never
 * removed. Pinned sessions count among the `maxCount` kept, so a count limit still bounds the total.
 */
export function planCleanup(sessions: readonly SessionMetadata[], policy: CleanupPolicy): CleanupPlan {
  const newestFirst = [...sessions].sort((left, right) =>
    lastActivity(left) < lastActivity(right) ? 1 : lastActivity(left) > lastActivity(right) ? -1 : 0,
  );
  const chosen = new Map<string, 'cleanup:age' | 'cleanup:count'>();
  if (policy.maxAgeDays !== undefined) {
    const cutoff = policy.now.getTime() - policy.maxAgeDays * 24 * 60 * 60 * 1000;
    for (const session of newestFirst) {
      if (Date.parse(lastActivity(session)) < cutoff) chosen.set(session.id, 'cleanup:age');
    }
  }
  if (policy.maxCount !== undefined) {
    const pinnedCount = newestFirst.filter((session) => session.pinned === true).length;
    const unpinned = newestFirst.filter((session) => session.pinned !== true);
    const beyond = [
      ...unpinned.slice(Math.max(0, policy.maxCount - pinnedCount)),
      // Reported as kept because pinned where they fall past the limit.
      ...newestFirst.slice(Math.max(0, policy.maxCount)).filter((session) => session.pinned === true),
    ];
    for (const session of beyond) if (!chosen.has(session.id)) chosen.set(session.id, 'cleanup:count');
  }
  const remove: string[] = [];
  const skipped: string[] = [];
  const pinned: string[] = [];
  for (const session of newestFirst) {
    if (!chosen.has(session.id)) continue;
    if (session.pinned === true) pinned.push(session.id);
    else (policy.isActive(session) ? skipped : remove).push(session.id);
  }
  return { remove, reasons: chosen, skipped, pinned };
}

/** The session auto-cleanup removes first: the least recently used one that is neither active nor pinned. */
export function oldestInactive(
  sessions: readonly SessionMetadata[],
  isActive: (session: SessionMetadata) => boolean,
): SessionMetadata | undefined {
  let oldest: SessionMetadata | undefined;
  for (const session of sessions) {
    if (isActive(session) || session.pinned === true) continue;
    if (oldest === undefined || lastActivity(session) < lastActivity(oldest)) oldest = session;
  }
  return oldest;
}
