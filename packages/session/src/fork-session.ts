import type { Result, Session, UnsignedSession } from '@jido-code/core-schema';
import type { ForkOptions, SessionBackend, SessionStore } from '@jido-code/storage';
import { replayJournal } from './recovery.js';

type AnyStore = SessionStore<SessionBackend>;

/** What {@link forkSession} takes: the fork point and name of `SessionStore.fork`. */
export type ForkSessionOptions = Omit<ForkOptions, 'withPending'>;

/**
 * Forks a saved session from its last saved state plus its journal: the acknowledged changes of a
 * session open in another process (or of one whose process died) are in the fork. Read-only for
 * the source: its lease is not taken, its snapshot and journal are read under its lock and never
 * written. A journal that cannot be read or replayed adds nothing (the fork is of the snapshot);
 * a torn last line, an append in flight, is ignored.
 */
export function forkSession(
  store: AnyStore,
  sourceId: string,
  options: ForkSessionOptions = {},
): Promise<Result<UnsignedSession>> {
  return store.fork(sourceId, { ...options, withPending: (saved) => withJournal(store, saved) });
}

async function withJournal(store: AnyStore, saved: Session): Promise<UnsignedSession> {
  const journals = await store.journals();
  const journal = journals.ok ? await journals.value.read(saved.id).catch(() => undefined) : undefined;
  if (journal === undefined || !journal.ok || journal.value.records.length === 0) return saved;
  const { signature: _signature, ...snapshot } = saved;
  const replay = replayJournal(snapshot, journal.value.records);
  return replay.ok ? replay.value.session : saved;
}
