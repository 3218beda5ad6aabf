import { err, JidoError, ok, type Result, type Session, type UnsignedSession } from '@jido-code/core-schema';
import type { SearchOptions, SearchOutcome } from '../search/store-search.js';
import type { StoreCore } from '../store-core.js';
import {
  claimDailyAgeing,
  type RemovalNotice,
  removalNoticesDocument,
  takeRemovalNotices,
  trashAgeingDocument,
} from './removal-notices.js';
import type { LoadedSession } from './session-codec.js';
import {
  emptyTrash,
  listTrash,
  restoreTrashed,
  type TrashEntry,
  type TrashReason,
  trashRecord,
  trashSession,
} from './trash-runner.js';
import { trashSearch } from './trash-search.js';

/** Moves one session to the trash; a session leased by a live process is `session_active`. */
export async function trashOne(
  core: StoreCore,
  id: string,
  reason: TrashReason,
): Promise<Result<{ trashed: boolean }>> {
  const outcome = await trashSession(core.context, id, reason, core.now());
  if (outcome === 'active') {
    return err(new JidoError('session_active', 'The session is open in a jido process and was not moved.'));
  }
  return ok({ trashed: outcome === 'trashed' });
}

/** Restores trash entry `entry` (see {@link restoreTrashed}); an entry that is not there is `not_found`. */
export async function restoreEntry(
  core: StoreCore,
  entry: string,
  options: { readonly newId?: boolean },
): Promise<Result<{ id: string }>> {
  const found = (await listTrash(core.context)).entries.find((candidate) => candidate.entry === entry);
  if (found === undefined) return err(new JidoError('not_found', 'There is no such session in the trash.'));
  return ok(await restoreTrashed(core.context, found, options));
}

/**
 * `SessionStore.ageTrash`: removes for good the entries older than `trash_retention_days`, at most
 * once a day across processes with `daily`, and counts them in the removal notices.
 */
export async function ageTrash(
  core: StoreCore,
  options: { readonly daily?: boolean },
): Promise<{ ran: boolean; purged: number }> {
  const now = core.now();
  if (options.daily && !(await claimDailyAgeing(core.backend.lockedDocument(trashAgeingDocument), now))) {
    return { ran: false, purged: 0 };
  }
  const days = core.config.trash_retention_days;
  const purged = await emptyTrash(core.context, { olderThanDays: days, now });
  await core.notice({ reason: 'trash-retention', count: purged.length, days });
  return { ran: true, purged: purged.length };
}

/** `SessionStore.searchTrash`: every trash entry loaded by `load` and scanned, never indexed. */
export async function searchTrash(
  core: StoreCore,
  load: (entry: TrashEntry) => Promise<Result<LoadedSession>>,
  text: string,
  options: SearchOptions | undefined,
): Promise<Result<SearchOutcome & { readonly entries: readonly TrashEntry[] }>> {
  const { entries } = await listTrash(core.context);
  const found = await trashSearch(entries, load).search(text, options);
  return found.ok ? ok({ ...found.value, entries }) : found;
}

/** `SessionStore.takeRemovalNotices`: the pending removal notices, cleared as they are taken. */
export function takeNotices(core: StoreCore): Promise<RemovalNotice[]> {
  return takeRemovalNotices(core.backend.lockedDocument(removalNoticesDocument));
}

/** `SessionStore.emptyTrash`: removes trash entries for good, all or those older than `olderThanDays`. */
export async function emptyTrashNow(
  core: StoreCore,
  options: { readonly olderThanDays?: number },
): Promise<{ purged: string[] }> {
  return { purged: await emptyTrash(core.context, { ...options, now: core.now() }) };
}

/** `SessionStore.loadTrashed`: a trash entry, loaded and verified like a live session. */
export async function loadTrashed(core: StoreCore, entry: TrashEntry): Promise<Result<LoadedSession>> {
  return core.verify(await core.backend.readTrashed(entry.entry), entry.id);
}

/**
 * `SessionStore.rewriteTrashed`: replaces a trash entry's session with `session` (its id), signed
 * anew, and the entry's record to match (name, project, last activity); the move's reason and time
 * are kept. `not_found` when the entry is gone.
 */
export async function rewriteTrashedEntry(
  core: StoreCore,
  entry: TrashEntry,
  session: Session | UnsignedSession,
): Promise<Result<void>> {
  if (session.id !== entry.id) {
    return err(new JidoError('invalid_value', 'The session is not the one in this trash entry.'));
  }
  const encoded = await core.encode(session);
  const record = await trashRecord(core.context, entry, { session: encoded.session, signed: true });
  const rewritten = await core.backend.withSession(entry.id, (slot) =>
    slot.rewriteTrashed(entry.entry, encoded.bytes, record),
  );
  return rewritten
    ? ok(undefined)
    : err(new JidoError('not_found', 'There is no such session in the trash.'));
}
