import { randomUUID } from 'node:crypto';
import { JidoError, ok, type Result, type Session, type UnsignedSession } from '@jido-code/core-schema';
import type { SessionSlot } from '../backend/session-backend.js';
import type { StoreCore } from '../store-core.js';
import type { SaveReport } from '../store-types.js';
import { type ForkOptions, forkOf } from './fork-of.js';

/** Loads and verifies the session in `slot`; anything unusable is thrown. */
async function verifiedIn(core: StoreCore, slot: SessionSlot, id: string): Promise<Session> {
  const loaded = await core.verify(await slot.read(), id);
  if (!loaded.ok) throw loaded.error;
  return loaded.value.session;
}

/** `SessionStore.update`: read-modify-write of one session in its exclusive section. */
export async function updateSession(
  core: StoreCore,
  id: string,
  change: (current: Session) => Session,
): Promise<Result<SaveReport>> {
  const report = await core.backend.withSession(id, async (slot) => {
    const next = change(await verifiedIn(core, slot, id));
    if (next.id !== id) {
      throw new JidoError('invalid_value', 'An update may not change the session id.', {
        details: { id, next: next.id },
      });
    }
    return core.write(slot, next, id);
  });
  return ok(report);
}

/**
 * A signed change of a saved session made in its lock, refused (`session_active`, `details.change`)
 * while a live process holds the lease: that process would write its own state back over it. The
 * lease is taken under the same lock, so a resume either sees the change or makes this refuse.
 */
async function changeUnheld(
  core: StoreCore,
  id: string,
  change: 'pin' | 'rename',
  edit: (current: Session) => Session,
): Promise<Result<SaveReport>> {
  const report = await core.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) {
      throw new JidoError('session_active', `The session is open in a jido process; ${change} it there.`, {
        details: { id, change },
      });
    }
    return core.write(slot, edit(await verifiedIn(core, slot, id)), id);
  });
  return ok(report);
}

/** `SessionStore.setPinned` (see {@link changeUnheld}). */
export function pinSession(core: StoreCore, id: string, pinned: boolean): Promise<Result<SaveReport>> {
  return changeUnheld(core, id, 'pin', ({ pinned: _previous, ...rest }) =>
    pinned ? { ...rest, pinned: true } : rest,
  );
}

/** `SessionStore.rename`: a read-modify-write under the session's lock (see {@link changeUnheld}). */
export function renameSession(core: StoreCore, id: string, name: string): Promise<Result<SaveReport>> {
  return changeUnheld(core, id, 'rename', (current) => ({
    ...current,
    name,
    updated_at: core.now().toISOString(),
  }));
}

/** `SessionStore.fork`: the source read under its lock and never written, the fork saved under a new id. */
export async function forkSession(
  core: StoreCore,
  sourceId: string,
  options: ForkOptions,
): Promise<Result<UnsignedSession>> {
  const source = await core.backend.withSession(sourceId, async (slot) => {
    const session = await verifiedIn(core, slot, sourceId);
    return options.withPending ? options.withPending(session) : session;
  });
  const fork = forkOf(source, randomUUID(), core.now(), options);
  await core.backend.withSession(fork.id, (slot) => core.write(slot, fork, fork.id));
  return ok(fork);
}
