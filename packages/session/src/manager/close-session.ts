import { type JidoError, ok, type Result } from '@jido-code/core-schema';
import type { SaveReport } from '@jido-code/storage';
import type { LiveSession } from '../live-session.js';
import type { ManagerParts } from './manager-parts.js';

/** The outcome of closing a session: saved, or closed with the save's error (the journal is kept). */
export interface CloseReport {
  readonly id: string;
  readonly name: string;
  readonly saved: boolean;
  readonly save?: SaveReport;
  readonly error?: JidoError;
}

/**
 * Closes an open session (see `SessionManager.close`): waits for changes in flight, saves the
 * snapshot with `closed_at`, retires the journal after a clean save, releases the lease.
 */
export async function closeSession(parts: ManagerParts, session: LiveSession): Promise<Result<CloseReport>> {
  const { id } = session;
  await session.beginClose();
  const closedAt = parts.now().toISOString();
  session.setMetadata({ closed_at: closedAt, recovered_at: null });
  const saved = await parts.store.save(session.snapshot());
  if (saved.ok) {
    const journals = await parts.store.journals();
    const retired = journals.ok ? await journals.value.retire(id) : journals;
    if (!retired.ok) parts.logger.warn('The journal could not be retired after a clean save.', { id });
  }
  await session.lease.release();
  parts.registry.remove(id);
  if (!saved.ok) return ok({ id, name: session.name, saved: false, error: saved.error });
  return ok({ id, name: session.name, saved: true, save: saved.value });
}
