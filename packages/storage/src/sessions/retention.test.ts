import { describe, expect, it } from 'vitest';
import { lastActivity, oldestInactive, planCleanup } from './retention.js';
import type { SessionMetadata } from './session-metadata.js';

const now = new Date('2025-06-01T00:00:00.000Z');
const day = (offset: number) => new Date(now.getTime() - offset * 86_400_000).toISOString();

function meta(id: string, closedDaysAgo: number, resumedDaysAgo?: number): SessionMetadata {
  return {
    id,
    name: id,
    project_path: `/p/${id}`,
    created_at: day(closedDaysAgo + 1),
    updated_at: day(closedDaysAgo),
    closed_at: day(closedDaysAgo),
    last_resumed_at: resumedDaysAgo === undefined ? null : day(resumedDaysAgo),
    recovered_at: null,
    message_count: 0,
    todo_count: 0,
    signed: true,
    size_bytes: 1,
  };
}

describe('planCleanup', () => {
  const sessions = [meta('a', 1), meta('b', 10), meta('c', 40), meta('d', 50, 2), meta('e', 60)];
  const none = () => false;

  it('selects by age of last activity (a recent resume keeps an old session)', () => {
    expect(planCleanup(sessions, { now, maxAgeDays: 30, isActive: none })).toMatchObject({
      remove: ['c', 'e'],
      skipped: [],
      pinned: [],
    });
  });

  it('selects by count, keeping the most recently used', () => {
    expect(planCleanup(sessions, { now, maxCount: 2, isActive: none }).remove).toEqual(['b', 'c', 'e']);
  });

  it('never removes an active session, reporting it as skipped', () => {
    const plan = planCleanup(sessions, { now, maxAgeDays: 30, isActive: (session) => session.id === 'e' });
    expect(plan).toMatchObject({ remove: ['c'], skipped: ['e'] });
  });

  it('does nothing without a rule', () => {
    expect(planCleanup(sessions, { now, isActive: none })).toMatchObject({ remove: [], skipped: [] });
  });

  it('names the rule that chose each session: age first, else count', () => {
    const plan = planCleanup(sessions, { now, maxAgeDays: 30, maxCount: 2, isActive: none });
    expect(plan.remove).toEqual(['b', 'c', 'e']);
    expect(Object.fromEntries(plan.reasons)).toEqual({
      b: 'cleanup:count',
      c: 'cleanup:age',
      e: 'cleanup:age',
    });
  });

  it('never removes a pinned session, by age or by count; pins count among those kept', () => {
    const pinned = sessions.map((session) =>
      session.id === 'e' || session.id === 'b' ? { ...session, pinned: true } : session,
    );
    const byAge = planCleanup(pinned, { now, maxAgeDays: 30, isActive: none });
    expect(byAge).toMatchObject({ remove: ['c'], pinned: ['e'] });
    // Two pins take two of the three places: one unpinned session (the newest, a) stays.
    const byCount = planCleanup(pinned, { now, maxCount: 3, isActive: none });
    expect(byCount.remove).toEqual(['d', 'c']);
    expect(byCount.pinned).toEqual(['e']);
    expect(planCleanup(pinned, { now, maxCount: 0, isActive: none }).pinned).toEqual(['b', 'e']);
    expect(planCleanup(pinned, { now, maxCount: 0, isActive: none }).remove).toEqual(['a', 'd', 'c']);
  });
});

describe('lastActivity', () => {
  it('is the latest of updated_at, closed_at and last_resumed_at, whichever is set', () => {
    const base = meta('x', 50);
    expect(lastActivity({ ...base, updated_at: day(3), closed_at: day(9), last_resumed_at: day(20) })).toBe(
      day(3),
    );
    expect(lastActivity({ ...base, updated_at: day(30), closed_at: day(2), last_resumed_at: day(20) })).toBe(
      day(2),
    );
    expect(lastActivity({ ...base, updated_at: day(30), closed_at: null, last_resumed_at: day(1) })).toBe(
      day(1),
    );
  });
});

describe('oldestInactive', () => {
  it('picks the least recently used session that is not active', () => {
    const sessions = [meta('a', 1), meta('b', 60), meta('c', 40), meta('d', 70, 0)];
    expect(oldestInactive(sessions, () => false)?.id).toBe('b');
    expect(oldestInactive(sessions, (session) => session.id === 'b')?.id).toBe('c');
    expect(oldestInactive([], () => false)).toBeUndefined();
    expect(oldestInactive([{ ...meta('b', 60), pinned: true }, meta('c', 40)], () => false)?.id).toBe('c');
    expect(lastActivity(meta('d', 70, 0))).toBe(day(0));
  });
});

describe('imported sessions', () => {
  it("count as active from their import, not from the other assistant's old times", () => {
    const imported = { ...meta('old-import', 200), imported_at: day(1) };
    expect(lastActivity(imported)).toBe(day(1));
    const plan = planCleanup([imported, meta('old', 200)], { now, maxAgeDays: 30, isActive: () => false });
    expect(plan.remove).toEqual(['old']);
    // Used after the import: the later time counts.
    expect(lastActivity({ ...meta('x', 200, 0), imported_at: day(5) })).toBe(day(0));
  });
});
