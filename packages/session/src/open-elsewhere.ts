import { ok, type Result } from '@jido-code/core-schema';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import { replayJournal } from './recovery.js';

type AnyStore = SessionStore<SessionBackend>;

/** A saved session that another live jido process has open, as seen from outside it. */
export interface OpenElsewhere {
  readonly id: string;
  /** Process id of the holder (0 when its lease file could not be read). */
  readonly pid: number;
  /** Host of the holder. */
  readonly host: string;
  /** When the holder opened the session (ISO 8601). */
  readonly since: string;
  /** Acknowledged messages in its journal that its saved snapshot does not have yet. */
  readonly pendingMessages: number;
  /** Time of the journal's last record (ISO 8601), null when it has none or could not be read. */
  readonly lastAt: string | null;
}

/**
 * Whether a live process other than this one holds the session, and what waits in its journal.
 * Reads only: the lease is not taken, the journal is read without the writer's help (a torn last
 * line, an append in flight, is ignored), nothing is written. Undefined when no live process holds
 * it. An unreadable journal counts as nothing pending; a lease that cannot be checked is an error.
 */
export async function inspectOpenElsewhere(
  store: AnyStore,
  id: string,
): Promise<Result<OpenElsewhere | undefined>> {
  const held = await store.leaseHolder(id);
  if (!held.ok) return held;
  const holder = held.value;
  if (holder === undefined) return ok(undefined);
  const found = { id, pid: holder.pid, host: holder.host, since: holder.startedAt };
  const journals = await store.journals();
  const journal = journals.ok ? await journals.value.read(id).catch(() => undefined) : undefined;
  if (journal === undefined || !journal.ok || journal.value.records.length === 0) {
    return ok({ ...found, pendingMessages: 0, lastAt: null });
  }
  const { records } = journal.value;
  const lastAt = records.at(-1)?.at ?? null;
  const loaded = await store.load(id);
  const snapshot = loaded.ok ? loaded.value.session : undefined;
  const replay = replayJournal(snapshot, records);
  const before = snapshot?.conversation.length ?? 0;
  const pendingMessages = replay.ok
    ? replay.value.session.conversation.length - before
    : records.filter((record) => record.type === 'message').length;
  return ok({ ...found, pendingMessages, lastAt });
}
