import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import {
  listTrash,
  restoreTrashed,
  type TrashContext,
  type TrashReason,
  trashSession,
} from './trash-runner.js';

/** Moves one session to the trash; a session leased by a live process is `session_active`. */
export async function trashOne(
  context: TrashContext,
  id: string,
  reason: TrashReason,
  now: Date,
): Promise<Result<{ trashed: boolean }>> {
  const outcome = await trashSession(context, id, reason, now);
  if (outcome === 'active') {
    return err(new JidoError('session_active', 'The session is open in a jido process and was not moved.'));
  }
  return ok({ trashed: outcome === 'trashed' });
}

/** Restores trash entry `entry` (see {@link restoreTrashed}); an entry that is not there is `not_found`. */
export async function restoreEntry(
  context: TrashContext,
  entry: string,
  options: { readonly newId?: boolean },
): Promise<Result<{ id: string }>> {
  const found = (await listTrash(context)).entries.find((candidate) => candidate.entry === entry);
  if (found === undefined) return err(new JidoError('not_found', 'There is no such session in the trash.'));
  return ok(await restoreTrashed(context, found, options));
}
