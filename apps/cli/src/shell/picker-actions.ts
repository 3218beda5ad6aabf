import { printable, sanitizeError, shortId } from '@jido-code/commands/listing';
import type { SessionManager } from '@jido-code/session';
import { validSessionName } from '../commands/rename.js';
import type { PickerActions } from './acting-picker.js';

/** The picker's actions on saved sessions, through the same store the shell uses. */
export function pickerActions(manager: SessionManager): PickerActions {
  const label = (session: { name: string; id: string }) =>
    `"${printable(session.name)}" (${shortId(session.id)})`;
  return {
    async trash(session) {
      // As `jido sessions delete` without --force: a pinned session stays (checked under its lock).
      const moved = await manager.store.delete(session.id);
      if (!moved.ok) {
        return moved.error.code === 'confirmation_required'
          ? `${label(session)} is pinned, so it stays: press p to unpin it first.`
          : sanitizeError(moved.error).message;
      }
      return moved.value.deleted
        ? `Moved ${label(session)} to the trash.`
        : `${label(session)} was already gone.`;
    },
    async rename(session, name) {
      let valid: string;
      try {
        valid = validSessionName(name);
      } catch (error) {
        return sanitizeError(error).message;
      }
      const updated = await manager.store.rename(session.id, valid);
      return updated.ok
        ? `Renamed ${label(session)} to "${printable(valid)}".`
        : sanitizeError(updated.error).message;
    },
    async fork(session) {
      const forked = await manager.fork(session.id);
      return forked.ok
        ? `Forked ${label(session)} into ${label(forked.value)}.`
        : sanitizeError(forked.error).message;
    },
    async matching(words) {
      // The picker shows ten rows at a time; a hundred matching sessions are plenty to filter.
      const found = await manager.store.search(words, { limit: 100 });
      return new Set(found.ok ? found.value.results.map((result) => result.id) : []);
    },
    async togglePin(session) {
      const pinned = session.pinned !== true;
      const changed = await manager.store.setPinned(session.id, pinned);
      if (!changed.ok) return sanitizeError(changed.error).message;
      return pinned
        ? `Pinned ${label(session)}: cleanup, clear and the session limit keep it.`
        : `Unpinned ${label(session)}.`;
    },
    async relist() {
      const listed = await manager.listResumable();
      if (!listed.ok) throw new Error(sanitizeError(listed.error).message);
      return listed.value.sessions;
    },
  };
}
