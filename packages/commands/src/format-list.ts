import type { Todo, TodoStatus } from '@jido-code/core-schema';
import { columnWidth, printable, truncateEnd } from './display-text.js';
import { formatRelativeTime } from './relative-time.js';

/** Longest project path shown in a list, in characters (JidoCode's 40; docs/architecture.md). */
export const maxListedPathLength = 40;

/** Longest session name shown in a list, in characters (the schema's own maximum). */
const maxListedNameLength = 50;

/** Characters of an id shown where a full UUID would not fit. */
export const shortIdLength = 8;

/** One session as {@link formatSessionTable} shows it; storage's list entries fit as they are. */
export interface SessionRow {
  /** The session id (UUID). */
  readonly id: string;
  /** Its name. */
  readonly name: string;
  /** The project folder. */
  readonly project_path: string;
  /** How many messages it holds. */
  readonly message_count: number;
  /** When it was last closed (ISO 8601), `null` when it never was. */
  readonly closed_at: string | null;
  /** When it was last resumed. Accepted so list entries pass as they are; not shown. */
  readonly last_resumed_at?: string | null;
  /** True for the active session of the shell: marked `*` and shown as open. */
  readonly active?: boolean;
  /** Set when the session was rebuilt from its journal after a crash: `(recovered)` follows its time. */
  readonly recovered_at?: string | null;
  /** True for a session another live jido process has open: shown as open, without `*`. */
  readonly open_elsewhere?: boolean;
  /** True for a pinned session (no retention rule removes it): `(pinned)` follows its time. */
  readonly pinned?: boolean | undefined;
  /** Shown instead of the closed time: why the session cannot be used right now. */
  readonly note?: string;
}

/** The first {@link shortIdLength} characters of an id: enough to tell sessions apart in a list. */
export function shortId(id: string): string {
  return id.slice(0, shortIdLength);
}

/**
 * `path` cut to at most `max` characters, keeping its end (the project folder is what tells paths
 * apart): `…/deep/path/project`. The cut falls on a `/` when one is in reach, else mid-segment.
 * Counts code points, so a non-ASCII name is never split in half.
 */
export function shortenPath(path: string, max = maxListedPathLength): string {
  const characters = Array.from(path);
  if (characters.length <= max) return path;
  if (max <= 1) return '…'.slice(0, max);
  const tail = characters.slice(characters.length - (max - 1)).join('');
  const slash = tail.indexOf('/');
  return `…${slash >= 0 ? tail.slice(slash) : tail}`;
}

/**
 * The numbered table of `rows`, in their order (the numbers are the indexes a target may use):
 *
 * ```
 *   #  Name   Project                Messages  Closed
 * * 1  api    ~/code/api                   12  open
 *   2  web    …/very/deep/path/web          3  5 min ago
 *   3  cli    ~/code/cli                   20  1 min ago (recovered)
 *   4  docs   ~/code/docs                   7  2 days ago (pinned)
 * ```
 *
 * Names and paths are made printable (no terminal control characters); paths are shortened with
 * {@link shortenPath}. An empty list reads `No sessions.`.
 */
export function formatSessionTable(rows: readonly SessionRow[], now: Date): string {
  if (rows.length === 0) return 'No sessions.';
  const header = ['#', 'Name', 'Project', 'Messages', 'Closed'];
  const cells = rows.map((row, index) => [
    String(index + 1),
    truncateEnd(printable(row.name), maxListedNameLength),
    shortenPath(printable(row.project_path)),
    String(row.message_count),
    row.note ?? closedCell(row, now),
  ]);
  const widths = header.map((title, column) =>
    // A loop, not Math.max(...cells): a spread of 100,000 rows overflows the call stack.
    cells.reduce((widest, line) => Math.max(widest, columnWidth(line[column] ?? '')), columnWidth(title)),
  );
  const rightAligned = new Set([0, 3]);
  const render = (line: readonly string[], marker: string): string =>
    `${marker} ${line
      .map((cell, column) => {
        const padding = ' '.repeat((widths[column] ?? 0) - columnWidth(cell));
        return rightAligned.has(column) ? padding + cell : cell + padding;
      })
      .join('  ')}`.trimEnd();
  return [
    render(header, ' '),
    ...cells.map((line, index) => render(line, rows[index]?.active === true ? '*' : ' ')),
  ].join('\n');
}

/**
 * `open`, `-` (never closed) or the relative close time, with `(recovered)` after a crash recovery
 * and `(pinned)` for a pinned session.
 */
function closedCell(row: SessionRow, now: Date): string {
  const pin = row.pinned === true ? ' (pinned)' : '';
  if (row.active === true || row.open_elsewhere === true) return `open${pin}`;
  const closed = row.closed_at === null ? '-' : formatRelativeTime(row.closed_at, now);
  return row.recovered_at === null || row.recovered_at === undefined
    ? `${closed}${pin}`
    : `${closed} (recovered)${pin}`;
}

/** The marker of each todo status: `[ ]` pending, `[>]` in progress, `[x]` completed. */
export const todoMarkers: Readonly<Record<TodoStatus, string>> = {
  pending: '[ ]',
  in_progress: '[>]',
  completed: '[x]',
};

/**
 * The todo list, numbered from 1 (the `n` of `/todo start <n>` and `/todo done <n>`), one per line:
 * `2. [>] Running the tests`. A todo in progress shows its `active_form`. No todos reads `No todos.`.
 */
export function formatTodos(todos: readonly Todo[]): string {
  if (todos.length === 0) return 'No todos.';
  const numberWidth = String(todos.length).length;
  return todos
    .map((todo, index) => {
      const text = todo.status === 'in_progress' ? todo.active_form : todo.content;
      return `${String(index + 1).padStart(numberWidth)}. ${todoMarkers[todo.status]} ${printable(text)}`;
    })
    .join('\n');
}
