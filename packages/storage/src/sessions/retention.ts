import type { SessionMetadata } from './session-metadata.js';

/**
 * When a session was last used: its last resume, else its last close, else its last update; and
 * never earlier than its import (an imported session's own times are the other assistant's, often
 * months old, and retention must not discard history the user has just brought in).
 */
export function lastActivity(session: SessionMetadata): string {
  const used = session.last_resumed_at ?? session.closed_at ?? session.updated_at;
  const imported = session.imported_at ?? null;
  return imported !== null && imported > used ? imported : used;
}

/** Inputs of {@link planCleanup}. */
export interface CleanupPolicy {
  readonly now: Date;
  /** Sessions whose last activity is older than this many days are deleted. */
  readonly maxAgeDays?: number;
  /** Only this many sessions (newest by last activity) are kept. */
  readonly maxCount?: number;
  /** Active sessions (open here or leased elsewhere) are never deleted. */
  readonly isActive: (session: SessionMetadata) => boolean;
}

/** What a cleanup would do: ids to delete, and ids that qualified but are active. */
export interface CleanupPlan {
  readonly remove: readonly string[];
  readonly skipped: readonly string[];
}

/** Pure retention decision: by age, then by count; active sessions are skipped, never removed. */
export function planCleanup(sessions: readonly SessionMetadata[], policy: CleanupPolicy): CleanupPlan {
  const newestFirst = [...sessions].sort((left, right) =>
    lastActivity(left) < lastActivity(right) ? 1 : lastActivity(left) > lastActivity(right) ? -1 : 0,
  );
  const chosen = new Set<string>();
  if (policy.maxAgeDays !== undefined) {
    const cutoff = policy.now.getTime() - policy.maxAgeDays * 24 * 60 * 60 * 1000;
    for (const session of newestFirst) {
      if (Date.parse(lastActivity(session)) < cutoff) chosen.add(session.id);
    }
  }
  if (policy.maxCount !== undefined) {
    for (const session of newestFirst.slice(Math.max(0, policy.maxCount))) chosen.add(session.id);
  }
  const remove: string[] = [];
  const skipped: string[] = [];
  for (const session of newestFirst) {
    if (!chosen.has(session.id)) continue;
    (policy.isActive(session) ? skipped : remove).push(session.id);
  }
  return { remove, skipped };
}

/** The session auto-cleanup removes first: the least recently used one that is not active. */
export function oldestInactive(
  sessions: readonly SessionMetadata[],
  isActive: (session: SessionMetadata) => boolean,
): SessionMetadata | undefined {
  let oldest: SessionMetadata | undefined;
  for (const session of sessions) {
    if (isActive(session)) continue;
    if (oldest === undefined || lastActivity(session) < lastActivity(oldest)) oldest = session;
  }
  return oldest;
}
