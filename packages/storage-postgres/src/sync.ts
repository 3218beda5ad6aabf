import { canonicalJson, type JidoError, type Session } from '@jido-code/core-schema';
import type { SessionBackend, SessionStore } from '@jido-code/storage';

type AnyStore = SessionStore<SessionBackend>;

/** What sync did (or, on a dry run, would do) with one session. */
export interface SyncEntry {
  readonly id: string;
  readonly name: string;
  /** `copied`: missing on the target; `updated`: one side replaced, its old version trashed there; `kept`: left alone. */
  readonly action: 'copied' | 'updated' | 'kept';
  /** Which side changed: `target`, `source`, or `none`. */
  readonly side: 'target' | 'source' | 'none';
  readonly reason: string;
  readonly error?: JidoError;
}

/** The outcome of {@link syncSessions}. */
export interface SyncReport {
  readonly dryRun: boolean;
  readonly entries: readonly SyncEntry[];
}

function contentOf(session: Session): string {
  const { signature: _signature, ...unsigned } = session;
  const encoded = canonicalJson(unsigned);
  return encoded.ok ? encoded.value : JSON.stringify(unsigned);
}

/**
 * Copies sessions from `source` to `target` (a home and a PostgreSQL store, either way). A session
 * missing on the target is copied. For the same id with different content the newer `updated_at`
 * wins (a tie: the source): the loser's side first moves its version to its own trash, then takes
 * the winner's, so nothing is ever lost, even if the run stops between the two. Sessions only on
 * the target, identical ones, unreadable ones and ones open elsewhere are kept, with the reason.
 * Each side re-signs with its own keyring.
 */
export async function syncSessions(
  source: AnyStore,
  target: AnyStore,
  options: { readonly dryRun?: boolean } = {},
): Promise<SyncReport> {
  const dryRun = options.dryRun ?? false;
  const entries: SyncEntry[] = [];
  const sourceList = await source.listPersisted();
  if (!sourceList.ok) throw sourceList.error;
  const targetList = await target.listPersisted();
  if (!targetList.ok) throw targetList.error;
  // A session the target cannot read is still there: never copied over, reported instead.
  const onTarget = new Set([
    ...targetList.value.sessions.map((entry) => entry.id),
    ...targetList.value.problems.flatMap((problem) => (problem.id === undefined ? [] : [problem.id])),
  ]);
  for (const problem of sourceList.value.problems) {
    entries.push({
      id: problem.id ?? problem.file,
      name: '',
      action: 'kept',
      side: 'none',
      reason: 'unreadable on the source',
      error: problem.error,
    });
  }
  for (const listed of sourceList.value.sessions) {
    const loaded = await source.load(listed.id);
    if (!loaded.ok) {
      entries.push({
        ...base(listed),
        action: 'kept',
        side: 'none',
        reason: 'unreadable on the source',
        error: loaded.error,
      });
      continue;
    }
    const session = loaded.value.session;
    if (!onTarget.has(listed.id)) {
      const copied = dryRun ? undefined : await target.save(session);
      entries.push(
        copied === undefined || copied.ok
          ? { ...base(listed), action: 'copied', side: 'target', reason: 'missing on the target' }
          : {
              ...base(listed),
              action: 'kept',
              side: 'none',
              reason: 'could not be copied',
              error: copied.error,
            },
      );
      continue;
    }
    const other = await target.load(listed.id);
    if (!other.ok) {
      entries.push({
        ...base(listed),
        action: 'kept',
        side: 'none',
        reason: 'unreadable on the target',
        error: other.error,
      });
      continue;
    }
    const theirs = other.value.session;
    if (contentOf(session) === contentOf(theirs)) {
      entries.push({ ...base(listed), action: 'kept', side: 'none', reason: 'identical on both sides' });
      continue;
    }
    const sourceWins = session.updated_at >= theirs.updated_at;
    const [winner, loserStore, side] = sourceWins
      ? ([session, target, 'target'] as const)
      : ([theirs, source, 'source'] as const);
    const reason = sourceWins
      ? 'newer on the source; the target version went to the target trash'
      : 'newer on the target; the source version went to the source trash';
    if (!dryRun) {
      const trashed = await loserStore.trash(listed.id, 'sync');
      if (!trashed.ok) {
        entries.push({
          ...base(listed),
          action: 'kept',
          side: 'none',
          reason: 'the older version could not be trashed',
          error: trashed.error,
        });
        continue;
      }
      const saved = await loserStore.save(winner);
      if (!saved.ok) {
        entries.push({
          ...base(listed),
          action: 'kept',
          side: 'none',
          reason: 'trashed, but the newer version could not be saved',
          error: saved.error,
        });
        continue;
      }
    }
    entries.push({ ...base(listed), action: 'updated', side, reason });
  }
  const fromSource = new Set(sourceList.value.sessions.map((entry) => entry.id));
  for (const listed of targetList.value.sessions) {
    if (!fromSource.has(listed.id)) {
      entries.push({ ...base(listed), action: 'kept', side: 'none', reason: 'only on the target' });
    }
  }
  return { dryRun, entries };
}

function base(listed: { readonly id: string; readonly name: string }) {
  return { id: listed.id, name: listed.name };
}
