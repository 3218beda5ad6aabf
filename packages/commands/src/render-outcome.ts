import type { JidoError } from '@jido-code/core-schema';
import type { CloseReport } from '@jido-code/session';
import { columnWidth, plural, printable } from './display-text.js';
import { formatSessionTable, formatTodos, shortenPath, shortId } from './format-list.js';
import { describeModel, describeUsage } from './format-model.js';
import { formatProblems } from './format-problems.js';
import { formatSearchResults } from './format-search.js';
import type { OpenSessionView, Outcome } from './outcome.js';
import { sanitizeError } from './sanitize-error.js';

/**
 * How rendered text is emphasised: the CLI passes colour functions on a terminal; the default
 * leaves text plain, as a pipe, a log or a test wants it.
 */
export interface OutcomeStyle {
  /** A session's name and id where it is the subject of the line. */
  bold(text: string): string;
}

/** No emphasis: the text as it is. */
export const plainStyle: OutcomeStyle = { bold: (text) => text };

function label(session: { readonly id: string; readonly name: string }): string {
  return `"${printable(session.name)}" (${shortId(session.id)})`;
}

/** The open sessions, numbered as `/session switch <n>` takes them; the active one marked `*`. */
export function openSessionTable(sessions: readonly OpenSessionView[]): string {
  if (sessions.length === 0) return 'No open sessions. Start one with /session new, or /resume one.';
  const numberWidth = String(sessions.length).length;
  const names = sessions.map((session) => printable(session.name));
  const paths = sessions.map((session) => shortenPath(printable(session.project_path)));
  const nameWidth = Math.max(...names.map(columnWidth));
  const pathWidth = Math.max(...paths.map(columnWidth));
  return sessions
    .map((session, index) => {
      const marker = session.active ? '*' : ' ';
      const name = padEnd(names[index] ?? '', nameWidth);
      const path = padEnd(paths[index] ?? '', pathWidth);
      const counts = `${plural(session.message_count, 'message')}, ${plural(session.todo_count, 'todo')}`;
      return `${marker} ${String(index + 1).padStart(numberWidth)}  ${name}  ${path}  ${counts}`;
    })
    .join('\n');
}

function padEnd(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - columnWidth(text)));
}

/** One line per closed session: saved, or not (the journal keeps its changes); nothing for none. */
export function closeSummary(reports: readonly Pick<CloseReport, 'name' | 'saved'>[]): string | undefined {
  if (reports.length === 0) return undefined;
  return reports
    .map((report) =>
      report.saved
        ? `Saved and closed "${printable(report.name)}".`
        : `Could not save "${printable(report.name)}"; its changes are kept in its journal and will be recovered.`,
    )
    .join('\n');
}

/** `/resume`: the table (sessions waiting for a project folder marked), then any problems. */
function resumeList(outcome: Extract<Outcome, { kind: 'resume.list' }>, now: Date): string {
  const problems = formatProblems(outcome.problems);
  if (outcome.sessions.length === 0) {
    return problems === undefined
      ? 'No saved sessions to resume.'
      : `No saved sessions to resume.\n${problems}`;
  }
  const waiting = new Set(outcome.projectOpenHere);
  const rows = outcome.sessions.map((session) =>
    waiting.has(session.id) ? { ...session, note: 'project open in this shell' } : session,
  );
  const table = `${formatSessionTable(rows, now)}\nResume one with /resume <target>.`;
  return problems === undefined ? table : `${table}\n${problems}`;
}

/**
 * The rest of the line when `/session fork` saved the fork but could not open it: that it is saved,
 * why it is not open, and the command that opens it. A fork whose project folder is gone would fail
 * `/resume` the same way, so that case names `jido resume --project` instead.
 */
function forkNotOpened(forkId: string, error: JidoError | undefined): string {
  const id = shortId(forkId);
  const why = error === undefined ? '' : ` ${sanitizeError(error).message}`;
  if (error?.code === 'invalid_project_path' && error.details.reason === 'does not exist') {
    return `The fork is saved but not open:${why} Resume it into the folder's new place with 'jido resume ${id} --project NEW_FOLDER'.`;
  }
  return `The fork is saved but not open:${why} Resume it with /resume ${id}.`;
}

/**
 * The text an outcome prints: plain lines a script can read, emphasis only through `style`.
 * `undefined` when there is nothing to print (`empty`, and `message.added`, whose text is the
 * agent's reply that follows it). Errors are not outcomes; render them with `sanitizeError`.
 */
export function renderOutcome(
  outcome: Outcome,
  now: Date,
  style: OutcomeStyle = plainStyle,
): string | undefined {
  switch (outcome.kind) {
    case 'empty':
    case 'message.added':
    case 'message.retry':
      return undefined;
    case 'model.shown':
    case 'model.changed':
      return describeModel(outcome.kind === 'model.changed', outcome.model);
    case 'usage.shown':
      return describeUsage(outcome);
    case 'help':
      return outcome.text;
    case 'session.opened': {
      const { session } = outcome;
      const counts = `${plural(session.message_count, 'message')}, ${plural(session.todo_count, 'todo')}`;
      if (!outcome.resumed) {
        return `Opened session ${style.bold(label(session))} on ${printable(session.project_path)}.`;
      }
      const resumed = `Resumed session ${style.bold(label(session))}: ${counts}.`;
      // An unsigned file is accepted under unsigned_policy accept (JidoCode wrote it so); its first save signs it.
      return outcome.loadWarnings?.includes('unsigned') === true
        ? `${resumed}\nWarning: "${printable(session.name)}" is unsigned (JidoCode legacy format); it will be signed with your key when saved.`
        : resumed;
    }
    case 'session.list':
      return openSessionTable(outcome.sessions);
    case 'session.switched':
      return `Switched to ${style.bold(label(outcome.session))}.`;
    case 'session.closed': {
      const closed = `Saved and closed "${printable(outcome.report.name)}".`;
      return outcome.active === undefined
        ? `${closed} No session is active.`
        : `${closed} Active session: ${label(outcome.active)}.`;
    }
    case 'session.renamed':
      return `Renamed to ${style.bold(label(outcome.session))}.`;
    case 'session.saved':
      return `Saved ${label(outcome.session)}.`;
    case 'session.pinned':
      return outcome.pinned
        ? `Pinned ${label(outcome.session)}: cleanup, clear and the session limit keep it.`
        : `Unpinned ${label(outcome.session)}.`;
    case 'session.forked': {
      const forked = `Forked ${label(outcome.parent)} at message ${outcome.at} into ${style.bold(label(outcome.fork))}.`;
      if (outcome.opened) return `${forked} Switched to the fork; the original stays open.`;
      return `${forked} ${forkNotOpened(outcome.fork.id, outcome.notOpened)}`;
    }
    case 'resume.list':
      return resumeList(outcome, now);
    case 'resume.deleted':
      return outcome.unreadable === true
        ? `Moved the unreadable session file ${shortId(outcome.id)} to the trash.`
        : `Moved saved session ${label(outcome)} to the trash ('jido sessions trash' lists it).`;
    case 'resume.cleared': {
      const { report } = outcome;
      const kept = report.skipped.length > 0 ? `; kept ${report.skipped.length} open` : '';
      const pinned = report.pinned.length > 0 ? `; kept ${report.pinned.length} pinned` : '';
      const failed = report.failed.length > 0 ? `; ${report.failed.length} could not be moved` : '';
      return `Moved ${plural(report.deleted.length, 'saved session')} to the trash${kept}${pinned}${failed}.`;
    }
    case 'todo.list':
    case 'todo.changed':
      return formatTodos(outcome.todos);
    case 'search.results':
      return [...outcome.notices, formatSearchResults(outcome.results, now, style.bold)].join('\n');
    case 'quit':
      return closeSummary(outcome.reports);
  }
}
