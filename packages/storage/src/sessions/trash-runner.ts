import { randomUUID } from 'node:crypto';
import { canonicalJson, JidoError, type Result, type Session } from '@jido-code/core-schema';
import type { Keyring } from '@jido-code/crypto';
import type { SessionBackend, SessionSlot, StoredSession } from '../backend/session-backend.js';
import type { ListingProblem, SaveReport } from '../store-types.js';
import { lastActivity } from './retention.js';
import type { LoadedSession } from './session-codec.js';
import { metadataOf } from './session-metadata.js';

/** Why a session was moved to the trash. */
export type TrashReason = 'delete' | 'clear' | 'cleanup:age' | 'cleanup:count' | 'limit' | 'sync';

/** One session in the trash, from its signed record. */
export interface TrashEntry {
  /** The entry name (`<id>.<ms>`): a session trashed twice has two entries. */
  readonly entry: string;
  readonly id: string;
  readonly name: string;
  readonly project_path: string;
  readonly reason: TrashReason;
  /** When it was moved (ISO 8601). */
  readonly trashed_at: string;
  /** Its last activity before the move (ISO 8601). */
  readonly last_activity: string;
}

/** The trash, newest first, and the entries whose record is missing or does not verify. */
export interface TrashListing {
  readonly entries: readonly TrashEntry[];
  readonly problems: readonly ListingProblem[];
}

/** What the trash runner needs from the store. */
export interface TrashContext {
  readonly backend: SessionBackend;
  keyring(): Promise<Keyring>;
  verify(stored: StoredSession, id: string): Promise<Result<LoadedSession>>;
  save(session: Session): Promise<Result<SaveReport>>;
  /** Drops a session that left the live folder from the search index (best effort). */
  unindex(id: string): Promise<void>;
}

/** How a move to the trash ended. */
export type TrashOutcome = 'trashed' | 'missing' | 'active';

/** Moves one session to the trash in its exclusive section, unless it is leased. */
export function trashSession(
  context: TrashContext,
  id: string,
  reason: TrashReason,
  now: Date,
): Promise<TrashOutcome> {
  return context.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) return 'active';
    if (!(await slot.exists())) return 'missing';
    const loaded = await context.verify(await slot.read(), id);
    return (await moveIntoTrash(context, slot, id, { reason, now, loaded })) ? 'trashed' : 'missing';
  });
}

/**
 * Moves the session of `slot` (whose lock the caller holds) into the trash with its signed record.
 * `loaded` is the session as read under that lock: an unreadable one still goes to the trash, its
 * record then naming only the id. False when the session was no longer stored.
 */
export async function moveIntoTrash(
  context: TrashContext,
  slot: SessionSlot,
  id: string,
  move: { readonly reason: TrashReason; readonly now: Date; readonly loaded: Result<LoadedSession> },
): Promise<boolean> {
  const { reason, now, loaded } = move;
  const entry = `${id}.${now.getTime()}`;
  const session = loaded.ok ? { session: loaded.value.session, signed: loaded.value.signed } : undefined;
  const bytes = await trashRecord(context, { entry, id, reason, trashed_at: now.toISOString() }, session);
  const moved = await slot.trash(entry, bytes);
  if (moved) await context.unindex(id);
  return moved;
}

/**
 * The signed record of a move to the trash: what `move` says, and the name, project and last
 * activity of `trashed` (the session as moved; an unreadable one is named by its id).
 */
export function trashRecord(
  context: Pick<TrashContext, 'keyring'>,
  move: Pick<TrashEntry, 'entry' | 'id' | 'reason' | 'trashed_at'>,
  trashed: { readonly session: Session; readonly signed: boolean } | undefined,
): Promise<Uint8Array> {
  const metadata = trashed === undefined ? undefined : metadataOf(trashed.session, trashed.signed, 0);
  const record: Omit<TrashEntry, 'entry'> & { format: string; version: number; entry: string } = {
    format: 'jido-trash-record',
    version: 1,
    entry: move.entry,
    id: move.id,
    name: metadata?.name ?? move.id.slice(0, 8),
    project_path: metadata?.project_path ?? '',
    reason: move.reason,
    trashed_at: move.trashed_at,
    last_activity: metadata === undefined ? move.trashed_at : lastActivity(metadata),
  };
  return signRecord(context, record);
}

async function signRecord(context: Pick<TrashContext, 'keyring'>, record: object): Promise<Uint8Array> {
  const payload = canonicalJson(record);
  if (!payload.ok) throw payload.error;
  const signature = (await context.keyring()).sign(payload.value);
  const signed = canonicalJson({ ...record, signature });
  if (!signed.ok) throw signed.error;
  return new TextEncoder().encode(signed.value);
}

function recordProblem(entry: string, id: string, message: string): ListingProblem {
  return {
    file: `${entry}.json`,
    id,
    error: new JidoError('signature_invalid', message, { details: { entry } }),
  };
}

/** Lists the trash, newest first; a record that is missing or fails its signature is a problem. */
export async function listTrash(context: TrashContext): Promise<TrashListing> {
  const keyring = await context.keyring();
  const entries: TrashEntry[] = [];
  const problems: ListingProblem[] = [];
  for (const trashed of await context.backend.trashEntries()) {
    if (trashed.record === undefined) {
      problems.push(recordProblem(trashed.entry, trashed.id, 'A trashed session has no record of its move.'));
      continue;
    }
    let parsed: (TrashEntry & { signature?: string }) | undefined;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(trashed.record));
    } catch {
      parsed = undefined;
    }
    const { signature, ...unsigned } = parsed ?? {};
    const payload = canonicalJson(unsigned);
    const valid =
      parsed !== undefined &&
      payload.ok &&
      parsed.entry === trashed.entry &&
      keyring.verify(payload.value, signature ?? '').status === 'valid';
    if (!valid || parsed === undefined) {
      problems.push(recordProblem(trashed.entry, trashed.id, 'The record of a trashed session was changed.'));
      continue;
    }
    entries.push({
      entry: parsed.entry,
      id: parsed.id,
      name: parsed.name,
      project_path: parsed.project_path,
      reason: parsed.reason,
      trashed_at: parsed.trashed_at,
      last_activity: parsed.last_activity,
    });
  }
  entries.sort((left, right) =>
    left.trashed_at < right.trashed_at ? 1 : left.trashed_at > right.trashed_at ? -1 : 0,
  );
  return { entries, problems };
}

/**
 * Puts a trash entry back. Its id live again is refused (`already_exists`) unless `newId`: then
 * the session is saved under a fresh id (signed anew, under the count limit) and the entry purged.
 */
export async function restoreTrashed(
  context: TrashContext,
  entry: TrashEntry,
  options: { readonly newId?: boolean },
): Promise<{ readonly id: string }> {
  if (options.newId) {
    const loaded = await context.verify(await context.backend.readTrashed(entry.entry), entry.id);
    if (!loaded.ok) throw loaded.error;
    const id = randomUUID();
    const saved = await context.save({ ...loaded.value.session, id });
    if (!saved.ok) throw saved.error;
    await context.backend.withSession(entry.id, (slot) => slot.purgeTrashed(entry.entry));
    return { id };
  }
  return context.backend.withSession(entry.id, async (slot) => {
    if (await slot.exists()) {
      throw new JidoError(
        'already_exists',
        'A session with this id exists again; restore it with a new id (--new-id).',
        { details: { id: entry.id } },
      );
    }
    await slot.restore(entry.entry);
    return { id: entry.id };
  });
}

/** Empties the trash of entries moved more than `olderThanDays` ago (all without it); returns the purged entries. */
export async function emptyTrash(
  context: TrashContext,
  options: { readonly olderThanDays?: number; readonly now: Date },
): Promise<string[]> {
  const cutoff =
    options.olderThanDays === undefined
      ? Number.POSITIVE_INFINITY
      : options.now.getTime() - options.olderThanDays * 86_400_000;
  const purged: string[] = [];
  for (const trashed of await context.backend.trashEntries()) {
    const at = Number(trashed.entry.slice(trashed.entry.lastIndexOf('.') + 1));
    if (!(at < cutoff)) continue;
    if (await context.backend.withSession(trashed.id, (slot) => slot.purgeTrashed(trashed.entry))) {
      purged.push(trashed.entry);
    }
  }
  return purged;
}
