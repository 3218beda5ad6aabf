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

type Listed = { readonly id: string; readonly name: string };

/** An entry for a session left alone because of `error`. */
function keptWith(listed: Listed, reason: string, error: JidoError): SyncEntry {
  return { ...base(listed), action: 'kept', side: 'none', reason, error };
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
    entries.push(
      keptWith({ id: problem.id ?? problem.file, name: '' }, 'unreadable on the source', problem.error),
    );
  }
  for (const listed of sourceList.value.sessions) {
    entries.push(await syncOne(source, target, listed, onTarget.has(listed.id), dryRun));
  }
  const fromSource = new Set(sourceList.value.sessions.map((entry) => entry.id));
  for (const listed of targetList.value.sessions) {
    if (!fromSource.has(listed.id)) {
      entries.push({ ...base(listed), action: 'kept', side: 'none', reason: 'only on the target' });
    }
  }
  return { dryRun, entries };
}

/** Syncs one listed source session: copied when the target lacks it, else the newer one wins. */
async function syncOne(
  source: AnyStore,
  target: AnyStore,
  listed: Listed,
  onTarget: boolean,
  dryRun: boolean,
): Promise<SyncEntry> {
  const loaded = await source.load(listed.id);
  if (!loaded.ok) return keptWith(listed, 'unreadable on the source', loaded.error);
  const session = loaded.value.session;
  if (!onTarget) {
    const copied = dryRun ? undefined : await target.save(session);
    return copied === undefined || copied.ok
      ? { ...base(listed), action: 'copied', side: 'target', reason: 'missing on the target' }
      : keptWith(listed, 'could not be copied', copied.error);
  }
  const other = await target.load(listed.id);
  if (!other.ok) return keptWith(listed, 'unreadable on the target', other.error);
  const theirs = other.value.session;
  if (contentOf(session) === contentOf(theirs)) {
    return { ...base(listed), action: 'kept', side: 'none', reason: 'identical on both sides' };
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
    if (!trashed.ok) return keptWith(listed, 'the older version could not be trashed', trashed.error);
    const saved = await loserStore.save(winner);
    if (!saved.ok) return keptWith(listed, 'trashed, but the newer version could not be saved', saved.error);
  }
  return { ...base(listed), action: 'updated', side, reason };
}

function base(listed: Listed) {
  return { id: listed.id, name: listed.name };
}
