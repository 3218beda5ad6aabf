import { plural } from '@jido-code/commands/listing';
import type { RemovalNotice, SessionBackend, SessionStore } from '@jido-code/storage';
import type { ShellOutput } from './shell-output.js';

const listHint = "'jido sessions trash' lists them";

/** One line for one kind of automatic removal. */
function removalNoticeLine(notice: RemovalNotice): string {
  const sessions = plural(notice.count, 'session');
  const moved = `${sessions} moved to the trash`;
  const days = notice.days === undefined ? '' : plural(notice.days, 'day');
  switch (notice.reason) {
    case 'cleanup:age':
      return `${moved} by cleanup (older than ${days}); ${listHint}.`;
    case 'cleanup:count':
      return `${moved} by cleanup (over the session count); ${listHint}.`;
    case 'limit':
      return `${moved} to stay within the session limit (max_sessions); ${listHint}.`;
    case 'trash-retention':
      return `${sessions} deleted for good from the trash (moved there more than ${days} ago).`;
    default:
      return `${moved}; ${listHint}.`;
  }
}

/**
 * At shell start: ages the trash (at most once a day across processes), then prints one line per
 * kind of automatic removal since the last start, so none goes unnoticed. A failure here is a
 * note; it never keeps the shell from starting.
 */
export async function reportRemovals(
  store: SessionStore<SessionBackend>,
  output: ShellOutput,
): Promise<void> {
  const aged = await store.ageTrash({ daily: true });
  if (!aged.ok) await output.fail(aged.error);
  const notices = await store.takeRemovalNotices();
  if (!notices.ok) {
    await output.fail(notices.error);
    return;
  }
  for (const notice of notices.value) output.note(removalNoticeLine(notice));
}
