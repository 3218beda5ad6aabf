import {
  formatSessionTable,
  formatTodos,
  type Outcome,
  printable,
  shortenPath,
  shortId,
} from '@jido-code/commands';
import type { Colors } from '../context.js';
import { plural } from '../text.js';

/** An open session as outcomes describe it. */
interface OpenView {
  readonly id: string;
  readonly name: string;
  readonly project_path: string;
  readonly message_count: number;
  readonly todo_count: number;
  readonly active: boolean;
}

function label(session: { readonly id: string; readonly name: string }): string {
  return `"${printable(session.name)}" (${shortId(session.id)})`;
}

/** The open sessions, numbered as `/session switch <n>` takes them; the active one marked `*`. */
export function openSessionTable(sessions: readonly OpenView[]): string {
  if (sessions.length === 0) return 'No open sessions. Start one with /session new, or /resume one.';
  const numberWidth = String(sessions.length).length;
  const nameWidth = Math.max(...sessions.map((session) => Array.from(printable(session.name)).length));
  return sessions
    .map((session, index) => {
      const marker = session.active ? '*' : ' ';
      const name = printable(session.name).padEnd(nameWidth);
      return `${marker} ${String(index + 1).padStart(numberWidth)}  ${name}  ${shortenPath(printable(session.project_path))}  ${plural(session.message_count, 'message')}, ${plural(session.todo_count, 'todo')}`;
    })
    .join('\n');
}

/**
 * The text an outcome prints on stdout: plain lines a script can read (colour only through
 * `colors`, which are identity functions when colour is off). `message.added` is rendered by the
 * shell itself, since the agent's reply follows it.
 */
export function renderOutcome(outcome: Outcome, colors: Colors, now: Date): string | undefined {
  switch (outcome.kind) {
    case 'empty':
    case 'message.added':
      return undefined;
    case 'help':
      return outcome.text;
    case 'session.opened': {
      const { session } = outcome;
      const counts = `${plural(session.message_count, 'message')}, ${plural(session.todo_count, 'todo')}`;
      return outcome.resumed
        ? `Resumed session ${colors.bold(label(session))}: ${counts}.`
        : `Opened session ${colors.bold(label(session))} on ${printable(session.project_path)}.`;
    }
    case 'session.list':
      return openSessionTable(outcome.sessions);
    case 'session.switched':
      return `Switched to ${colors.bold(label(outcome.session))}.`;
    case 'session.closed': {
      const closed = `Closed and saved "${printable(outcome.report.name)}".`;
      return outcome.active === undefined
        ? `${closed} No session is active.`
        : `${closed} Active session: ${label(outcome.active)}.`;
    }
    case 'session.renamed':
      return `Renamed to ${colors.bold(label(outcome.session))}.`;
    case 'session.saved':
      return `Saved ${label(outcome.session)}.`;
    case 'resume.list':
      return outcome.sessions.length === 0
        ? 'No saved sessions to resume.'
        : `${formatSessionTable(outcome.sessions, now)}\nResume one with /resume <target>.`;
    case 'resume.deleted':
      return `Deleted saved session ${label(outcome)}.`;
    case 'resume.cleared': {
      const { report } = outcome;
      const kept = report.skipped.length > 0 ? `; kept ${report.skipped.length} open` : '';
      const failed = report.failed.length > 0 ? `; ${report.failed.length} could not be deleted` : '';
      return `Deleted ${plural(report.deleted.length, 'saved session')}${kept}${failed}.`;
    }
    case 'todo.list':
    case 'todo.changed':
      return formatTodos(outcome.todos);
    case 'quit':
      return closeSummary(outcome.reports);
  }
}

/** One line per closed session: saved, or not (the journal keeps its changes). */
export function closeSummary(
  reports: readonly { readonly name: string; readonly saved: boolean }[],
): string | undefined {
  if (reports.length === 0) return undefined;
  return reports
    .map((report) =>
      report.saved
        ? `Saved and closed "${printable(report.name)}".`
        : `Could not save "${printable(report.name)}"; its changes are kept in its journal and will be recovered.`,
    )
    .join('\n');
}
