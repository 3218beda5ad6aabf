import { plural, printable, shortId } from '@jido-code/commands/listing';
import type { OpenElsewhere, RecoveredSession } from '@jido-code/session';
import type { SessionBackend, SessionStore } from '@jido-code/storage';

/** A journal recovery gave up on, as the CLI shows it: the path is relative to the home. */
export interface QuarantinedJournalView {
  readonly session_id: string;
  readonly reason: string;
  readonly quarantined_at: string;
  /** e.g. `journal/quarantine/<id>.<time>.bad-signature.jsonl`. */
  readonly file: string;
}

/** The journals kept in `<home>/journal/quarantine/` (one `readdir`), oldest first. */
export async function quarantinedJournals(
  store: SessionStore<SessionBackend>,
): Promise<QuarantinedJournalView[]> {
  const listed = await store.quarantinedJournals();
  if (!listed.ok) throw listed.error;
  return listed.value.map((entry) => ({
    session_id: entry.sessionId,
    reason: entry.reason,
    quarantined_at: entry.quarantinedAt,
    file: entry.homeRelativePath,
  }));
}

const databaseQuarantine = 'journal_quarantine/';

/**
 * `journal/quarantine/<file> (bad signature)`; on a PostgreSQL store, where the journal is a row,
 * `entry <entry> of the database's journal_quarantine table (bad signature)`.
 */
export function describeQuarantined(entry: QuarantinedJournalView): string {
  const where = entry.file.startsWith(databaseQuarantine)
    ? `entry ${entry.file.slice(databaseQuarantine.length)} of the database's journal_quarantine table`
    : entry.file;
  return `${where} (${entry.reason.replaceAll('-', ' ')})`;
}

/** The warning a listing prints for journals recovery gave up on, one line each. */
export function quarantineWarnings(entries: readonly QuarantinedJournalView[]): string[] {
  return entries.map(
    (entry) =>
      `warning: the journal of session ${shortId(entry.session_id)} could not be recovered; it is kept, not deleted, at ${describeQuarantined(entry)}${entry.file.startsWith(databaseQuarantine) ? '' : ' in the jido home'}.`,
  );
}

/** `18:45:42` today (local time), else `2025-01-31 18:45:42`. */
function clockTime(timestamp: string, now: Date): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return day === today ? time : `${day} ${time}`;
}

/** `Recovered 20 messages from an interrupted run (last at 18:45:42): "demo" (d5e5e2ed).` */
export function recoveredLine(session: RecoveredSession, now: Date): string {
  const last = session.lastAt === null ? '' : ` (last at ${clockTime(session.lastAt, now)})`;
  const what = session.messages > 0 ? plural(session.messages, 'message') : 'the changes';
  return `Recovered ${what} from an interrupted run${last}: "${printable(session.name)}" (${shortId(session.id)}).`;
}

/** `open in another jido process, pid 4242, since 18:40:01; 20 acknowledged messages wait in its journal`. */
export function openElsewhereText(open: OpenElsewhere, now: Date): string {
  const holder =
    open.pid === 0 ? 'open in another jido process' : `open in another jido process, pid ${open.pid}`;
  const waiting =
    open.pendingMessages === 0
      ? 'no unsaved messages in its journal'
      : `${plural(open.pendingMessages, 'acknowledged message')} waiting in its journal${open.lastAt === null ? '' : ` (last at ${clockTime(open.lastAt, now)})`}`;
  return `${holder}, since ${clockTime(open.since, now)}; ${waiting}`;
}

/** The `--json` form of {@link OpenElsewhere}, in the file format's snake_case. */
export function openElsewhereJson(open: OpenElsewhere | undefined) {
  return open === undefined
    ? null
    : {
        pid: open.pid,
        host: open.host,
        since: open.since,
        pending_messages: open.pendingMessages,
        last_at: open.lastAt,
      };
}
