import { printable } from './display-text.js';
import { formatSessionTable, formatTodos, shortId } from './format-list.js';
import type { OpenSessionView, Outcome } from './outcome.js';

function label(session: { readonly id: string; readonly name: string }): string {
  return `"${printable(session.name)}" (${shortId(session.id)})`;
}

function openRows(sessions: readonly OpenSessionView[]) {
  return sessions.map((session) => ({ ...session, closed_at: null }));
}

/**
 * One short plain-text block per outcome, no colour: what a piped shell or a test prints.
 * Errors are not outcomes; render them with `sanitizeError`.
 */
export function renderOutcome(outcome: Outcome, now: Date): string {
  switch (outcome.kind) {
    case 'session.opened':
      return `${outcome.resumed ? 'Resumed' : 'Opened'} session ${label(outcome.session)} on ${printable(outcome.session.project_path)}.`;
    case 'session.list':
      return outcome.sessions.length === 0
        ? 'No open sessions.'
        : formatSessionTable(openRows(outcome.sessions), now);
    case 'session.switched':
      return `Switched to session ${label(outcome.session)}.`;
    case 'session.closed': {
      const closed = `Closed session ${label(outcome.report)}${outcome.report.saved ? ' (saved)' : ' (not saved)'}.`;
      return outcome.active ? `${closed}\nActive session: ${label(outcome.active)}.` : closed;
    }
    case 'session.renamed':
      return `Renamed the session to "${printable(outcome.session.name)}".`;
    case 'session.saved':
      return `Saved session ${label(outcome.session)} (${outcome.bytes} bytes).`;
    case 'resume.list':
      return outcome.sessions.length === 0
        ? 'No saved sessions to resume.'
        : formatSessionTable(outcome.sessions, now);
    case 'resume.deleted':
      return `Deleted session ${label(outcome)}.`;
    case 'resume.cleared': {
      const { deleted, skipped, failed } = outcome.report;
      const parts = [`Deleted ${deleted.length} saved ${deleted.length === 1 ? 'session' : 'sessions'}.`];
      if (skipped.length > 0) parts.push(`Kept ${skipped.length} open.`);
      if (failed.length > 0) parts.push(`${failed.length} could not be deleted.`);
      return parts.join(' ');
    }
    case 'todo.list':
    case 'todo.changed':
      return outcome.todos.length === 0 ? 'No todos.' : formatTodos(outcome.todos);
    case 'message.added':
      return `Message added to ${label(outcome.session)}.`;
    case 'help':
      return outcome.text;
    case 'quit': {
      const failed = outcome.reports.filter((report) => !report.saved);
      const saved = outcome.reports.length - failed.length;
      const line = `Closed ${outcome.reports.length} ${outcome.reports.length === 1 ? 'session' : 'sessions'}, ${saved} saved.`;
      return failed.length === 0 ? line : `${line} Not saved: ${failed.map(label).join(', ')}.`;
    }
    case 'empty':
      return '';
  }
}
