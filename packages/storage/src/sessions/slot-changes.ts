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

/** `SessionStore.setPinned`: a signed change of the file, refused while a live process holds the lease. */
export async function pinSession(core: StoreCore, id: string, pinned: boolean): Promise<Result<SaveReport>> {
  const report = await core.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) {
      throw new JidoError(
        'session_active',
        'The session is open in a jido process; pin or unpin it there with /session pin or /session unpin.',
        { details: { id, change: 'pin' } },
      );
    }
    const { pinned: _previous, ...rest } = await verifiedIn(core, slot, id);
    return core.write(slot, pinned ? { ...rest, pinned: true } : rest, id);
  });
  return ok(report);
}

/**
 * `SessionStore.rename`: a read-modify-write under the session's lock, refused while a live process
 * holds the lease (its next save would write the old name back). The lease is taken under the same
 * lock, so a resume either sees the new name or makes this refuse.
 */
export async function renameSession(core: StoreCore, id: string, name: string): Promise<Result<SaveReport>> {
  const report = await core.backend.withSession(id, async (slot) => {
    if ((await slot.leaseHolder()) !== undefined) {
      throw new JidoError(
        'session_active',
        'The session is open in a jido process; rename it there with /session rename, or close it first.',
        { details: { id, change: 'rename' } },
      );
    }
    const current = await verifiedIn(core, slot, id);
    return core.write(slot, { ...current, name, updated_at: core.now().toISOString() }, id);
  });
  return ok(report);
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
