import { JidoError } from '@jido-code/core-schema';
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
  it.each<[string, Outcome, string | undefined]>([
    [
      'opened',
      { kind: 'session.opened', session: view, resumed: false },
      'Opened session "api" (1234abcd) on /home/me/code/api.',
    ],
    [
      'resumed',
      { kind: 'session.opened', session: view, resumed: true },
      'Resumed session "api" (1234abcd): 3 messages, 1 todo.',
    ],
    [
      'resumed from an unsigned file',
      { kind: 'session.opened', session: view, resumed: true, loadWarnings: ['unsigned', 'reordered'] },
      'Resumed session "api" (1234abcd): 3 messages, 1 todo.\nWarning: "api" is unsigned (JidoCode legacy format); it will be signed with your key when saved.',
    ],
    [
      'resumed with other load warnings',
      { kind: 'session.opened', session: view, resumed: true, loadWarnings: ['reordered', 'jidocode_key'] },
      'Resumed session "api" (1234abcd): 3 messages, 1 todo.',
    ],
    ['switched', { kind: 'session.switched', session: view }, 'Switched to "api" (1234abcd).'],
    ['closed', { kind: 'session.closed', report }, 'Saved and closed "api". No session is active.'],
    [
      'closed, another active',
      { kind: 'session.closed', report, active: { ...view, name: 'web' } },
      'Saved and closed "api". Active session: "web" (1234abcd).',
    ],
    ['renamed', { kind: 'session.renamed', session: view }, 'Renamed to "api" (1234abcd).'],
    ['saved', { kind: 'session.saved', session: view, bytes: 512 }, 'Saved "api" (1234abcd).'],
    [
      'deleted',
      { kind: 'resume.deleted', id: view.id, name: 'api' },
      'Moved saved session "api" (1234abcd) to the trash (\'jido sessions trash\' lists it).',
    ],
    [
      'cleared',
      {
        kind: 'resume.cleared',
        report: {
          deleted: ['a', 'b'],
          purged: false,
          skipped: ['c'],
          pinned: ['d'],
          changed: [],
          failed: [],
          errors: [],
        },
      },
      'Moved 2 saved sessions to the trash; kept 1 open; kept 1 pinned.',
    ],
    [
      'pinned',
      { kind: 'session.pinned', session: view, pinned: true },
      'Pinned "api" (1234abcd): cleanup, clear and the session limit keep it.',
    ],
    [
      'no open sessions',
      { kind: 'session.list', sessions: [] },
      'No open sessions. Start one with /session new, or /resume one.',
    ],
    [
      'nothing to resume',
      { kind: 'resume.list', sessions: [], problems: [], projectOpenHere: [] },
      'No saved sessions to resume.',
    ],
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
    [
      'quit',
      { kind: 'quit', reports: [report, { ...report, name: 'web' }] },
      'Saved and closed "api".\nSaved and closed "web".',
    ],
    [
      'quit with a failed save',
      { kind: 'quit', reports: [{ ...report, saved: false }] },
      'Could not save "api"; its changes are kept in its journal and will be recovered.',
    ],
    ['quit with nothing open', { kind: 'quit', reports: [] }, undefined],
    ['empty', { kind: 'empty' }, undefined],
  ])('%s', (_label, outcome, expected) => {
    expect(renderOutcome(outcome, now)).toBe(expected);
  });

  it('emphasises the subject through the style hook, and only there', () => {
    const style = { bold: (text: string) => `<b>${text}</b>` };
    expect(renderOutcome({ kind: 'session.switched', session: view }, now, style)).toBe(
      'Switched to <b>"api" (1234abcd)</b>.',
    );
    expect(renderOutcome({ kind: 'session.saved', session: view, bytes: 1 }, now, style)).toBe(
      'Saved "api" (1234abcd).',
    );
  });

  it('renders open sessions as aligned rows with the active one marked', () => {
    const text = renderOutcome(
      { kind: 'session.list', sessions: [view, { ...view, name: 'web-server', active: false }] },
      now,
    );
    const lines = (text ?? '').split('\n');
    expect(lines).toEqual([
      '* 1  api         /home/me/code/api  3 messages, 1 todo',
      '  2  web-server  /home/me/code/api  3 messages, 1 todo',
    ]);
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
        problems: [],
        projectOpenHere: [],
      },
      now,
    );
    expect(text).toContain('5 min ago');
    expect(text).toContain('Resume one with /resume <target>.');
    expect(text).not.toContain('\u001b');
  });

  it('marks sessions waiting for a project folder open here, and lists files that failed to load', () => {
    const text = renderOutcome(
      {
        kind: 'resume.list',
        sessions: [
          { id: view.id, name: 'api', project_path: '/p', message_count: 1, closed_at: null } as never,
        ],
        problems: [
          {
            file: 'bbbb2222-0000-4000-8000-000000000002.json',
            id: 'bbbb2222-0000-4000-8000-000000000002',
            error: new JidoError('signature_invalid', 'internal detail /secret/path'),
          },
        ],
        projectOpenHere: [view.id],
      },
      now,
    );
    expect(text?.split('\n')).toEqual([
      '  #  Name  Project  Messages  Closed',
      '  1  api   /p              1  project open in this shell',
      'Resume one with /resume <target>.',
      "Problems: 1 session file could not be loaded ('jido sessions verify' checks every file):",
      '  bbbb2222  A session file was changed after it was saved and was refused.',
    ]);
  });

  it('says when an unreadable file was deleted', () => {
    expect(renderOutcome({ kind: 'resume.deleted', id: view.id, name: '', unreadable: true }, now)).toBe(
      'Moved the unreadable session file 1234abcd to the trash.',
    );
  });
});
