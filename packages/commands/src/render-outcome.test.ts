import { describe, expect, it } from 'vitest';
import { helpText } from './help-text.js';
import type { OpenSessionView, Outcome } from './outcome.js';
import { renderOutcome } from './render-outcome.js';

const now = new Date('2025-01-02T12:00:00.000Z');
const view: OpenSessionView = {
  id: '1234abcd-0000-4000-8000-000000000001',
  name: 'api',
  project_path: '/home/me/code/api',
  message_count: 3,
  todo_count: 1,
  active: true,
};
const report = { id: view.id, name: 'api', saved: true } as const;

describe('renderOutcome', () => {
  it.each<[string, Outcome, string]>([
    [
      'opened',
      { kind: 'session.opened', session: view, resumed: false },
      'Opened session "api" (1234abcd) on /home/me/code/api.',
    ],
    [
      'resumed',
      { kind: 'session.opened', session: view, resumed: true },
      'Resumed session "api" (1234abcd) on /home/me/code/api.',
    ],
    ['switched', { kind: 'session.switched', session: view }, 'Switched to session "api" (1234abcd).'],
    ['closed', { kind: 'session.closed', report }, 'Closed session "api" (1234abcd) (saved).'],
    [
      'closed, another active',
      { kind: 'session.closed', report: { ...report, saved: false }, active: { ...view, name: 'web' } },
      'Closed session "api" (1234abcd) (not saved).\nActive session: "web" (1234abcd).',
    ],
    ['renamed', { kind: 'session.renamed', session: view }, 'Renamed the session to "api".'],
    [
      'saved',
      { kind: 'session.saved', session: view, bytes: 512 },
      'Saved session "api" (1234abcd) (512 bytes).',
    ],
    ['deleted', { kind: 'resume.deleted', id: view.id, name: 'api' }, 'Deleted session "api" (1234abcd).'],
    [
      'cleared',
      {
        kind: 'resume.cleared',
        report: { deleted: ['a', 'b'], skipped: ['c'], changed: [], failed: [], errors: [] },
      },
      'Deleted 2 saved sessions. Kept 1 open.',
    ],
    ['no open sessions', { kind: 'session.list', sessions: [] }, 'No open sessions.'],
    ['nothing to resume', { kind: 'resume.list', sessions: [] }, 'No saved sessions to resume.'],
    ['no todos', { kind: 'todo.list', session: view, todos: [] }, 'No todos.'],
    [
      'todos',
      {
        kind: 'todo.changed',
        session: view,
        todos: [
          { content: 'Write', status: 'in_progress', active_form: 'Writing' },
          { content: 'Ship', status: 'pending', active_form: 'Shipping' },
        ],
      },
      '1. [>] Writing\n2. [ ] Ship',
    ],
    ['help', { kind: 'help', text: helpText('todo') }, helpText('todo')],
    ['quit', { kind: 'quit', reports: [report, { ...report, saved: true }] }, 'Closed 2 sessions, 2 saved.'],
    [
      'quit with a failed save',
      { kind: 'quit', reports: [{ ...report, saved: false }] },
      'Closed 1 session, 0 saved. Not saved: "api" (1234abcd).',
    ],
    ['empty', { kind: 'empty' }, ''],
  ])('%s', (_label, outcome, expected) => {
    expect(renderOutcome(outcome, now)).toBe(expected);
  });

  it('renders open sessions as a table with the active one marked', () => {
    const text = renderOutcome(
      { kind: 'session.list', sessions: [view, { ...view, name: 'web', active: false }] },
      now,
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\* 1 {2}api /);
    expect(lines[1]).toContain('open');
    expect(lines[2]).toMatch(/^ {2}2 {2}web /);
  });

  it('renders saved sessions with when they were closed, and never a control character', () => {
    const text = renderOutcome(
      {
        kind: 'resume.list',
        sessions: [
          {
            id: view.id,
            name: 'evil\u001b[2J',
            project_path: '/p',
            message_count: 1,
            closed_at: '2025-01-02T11:55:00.000Z',
          } as never,
        ],
      },
      now,
    );
    expect(text).toContain('5 min ago');
    expect(text).not.toContain('\u001b');
  });
});
