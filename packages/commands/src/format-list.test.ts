import type { Todo } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSessionTable, formatTodos, type SessionRow, shortenPath, shortId } from './format-list.js';

const now = new Date('2025-03-10T12:00:00.000Z');

describe('shortenPath', () => {
  it('keeps a path that fits', () => {
    expect(shortenPath('/home/ana/code/api')).toBe('/home/ana/code/api');
    expect(shortenPath('x'.repeat(40))).toBe('x'.repeat(40));
  });

  it('keeps the end, cut at a slash', () => {
    const path = '/home/ana/work/clients/acme/very/deep/path/project';
    const short = shortenPath(path);
    expect(short).toBe('…/clients/acme/very/deep/path/project');
    expect(Array.from(short).length).toBeLessThanOrEqual(40);
    expect(shortenPath('/a/b/deep/path/project', 20)).toBe('…/deep/path/project');
  });

  it('cuts mid-segment when the last folder alone is too long', () => {
    expect(shortenPath(`/home/${'n'.repeat(60)}`, 10)).toBe(`…${'n'.repeat(9)}`);
  });

  it('never exceeds the maximum and always keeps the end (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.integer({ min: 2, max: 60 }), (path, max) => {
        const short = shortenPath(path, max);
        expect(Array.from(short).length).toBeLessThanOrEqual(Math.max(max, 1));
        if (short !== path) expect(path.endsWith(short.slice(1))).toBe(true);
      }),
    );
  });
});

describe('shortId', () => {
  it('keeps the first eight characters', () => {
    expect(shortId('1a2b3c4d-0000-4000-8000-000000000000')).toBe('1a2b3c4d');
    expect(shortId('abc')).toBe('abc');
  });
});

describe('formatSessionTable', () => {
  const rows: SessionRow[] = [
    {
      id: '1a2b3c4d-0000-4000-8000-000000000001',
      name: 'api',
      project_path: '/home/ana/code/api',
      message_count: 12,
      closed_at: null,
      active: true,
    },
    {
      id: '5e6f7a8b-0000-4000-8000-000000000002',
      name: 'web frontend',
      project_path: '/home/ana/work/clients/acme/very/deep/path/web',
      message_count: 3,
      closed_at: '2025-03-10T11:55:00.000Z',
      last_resumed_at: '2025-03-09T10:00:00.000Z',
    },
    {
      id: '9c0d1e2f-0000-4000-8000-000000000003',
      name: 'old',
      project_path: '/tmp/old',
      message_count: 1234,
      closed_at: '2025-01-05T08:00:00.000Z',
    },
  ];

  it('numbers the rows, shortens paths and shows how long ago each closed', () => {
    expect(formatSessionTable(rows, now)).toBe(
      [
        '  #  Name          Project                                 Messages  Closed',
        '* 1  api           /home/ana/code/api                            12  open',
        '  2  web frontend  …/work/clients/acme/very/deep/path/web         3  5 min ago',
        '  3  old           /tmp/old                                    1234  Jan 5, 2025',
      ].join('\n'),
    );
  });

  it('shows a dash for a session that was never closed and is not open', () => {
    const [first] = rows;
    if (first === undefined) throw new Error('fixture');
    expect(formatSessionTable([{ ...first, active: false }], now)).toMatch(/ 1 +api .* 12 {2}-$/);
  });

  it('aligns a name with an emoji or an accent like a plain one (one column per code point)', () => {
    const named = (name: string): SessionRow => ({ ...(rows[2] as SessionRow), name });
    const [, fancy = '', plain = ''] = formatSessionTable(
      [named('déploi 🚀'), named('plain-name')],
      now,
    ).split('\n');
    const projectColumn = (line: string) =>
      Array.from(line).findIndex((_, at, all) => all.slice(at).join('').startsWith('/tmp/old'));
    expect(projectColumn(fancy)).toBeGreaterThan(0);
    expect(projectColumn(fancy)).toBe(projectColumn(plain));
  });

  it('lists 150,000 rows (no spread of every row into one call)', () => {
    const many = Array.from({ length: 150_000 }, (_, index) => ({
      ...(rows[2] as SessionRow),
      name: `s${index}`,
    }));
    const table = formatSessionTable(many, now).split('\n');
    expect(table).toHaveLength(150_001);
    expect(table[150_000]).toMatch(/^ {2}150000 {2}s149999 /);
  });

  it('says so for an empty list', () => {
    expect(formatSessionTable([], now)).toBe('No sessions.');
  });

  it('marks a recovered session after its time, and one open elsewhere as open without a star', () => {
    const [, second] = rows;
    if (second === undefined) throw new Error('fixture');
    const table = formatSessionTable(
      [
        { ...second, recovered_at: '2025-03-10T11:56:00.000Z' },
        { ...second, id: '5e6f7a8b-0000-4000-8000-000000000009', name: 'held', open_elsewhere: true },
      ],
      now,
    );
    const [, recovered, held] = table.split('\n');
    expect(recovered).toMatch(/^ {2}1 +web frontend .* 3 {2}5 min ago \(recovered\)$/);
    expect(held).toMatch(/^ {2}2 +held .* 3 {2}open$/);
  });

  it('marks a pinned session with (pinned) after its time, without an emoji', () => {
    const [, second] = rows;
    if (second === undefined) throw new Error('fixture');
    const table = formatSessionTable(
      [
        { ...second, pinned: true },
        { ...second, id: '5e6f7a8b-0000-4000-8000-00000000000a', name: 'plain', pinned: false },
      ],
      now,
    );
    const [, pinned, plain] = table.split('\n');
    expect(pinned).toMatch(/^ {2}1 +web frontend .* 3 {2}5 min ago \(pinned\)$/);
    expect(plain).toMatch(/ago$/);
    expect(table).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it('makes names and paths printable', () => {
    const [first] = rows;
    if (first === undefined) throw new Error('fixture');
    const table = formatSessionTable(
      [{ ...first, name: 'evil\u001b[2Jname', project_path: '/tmp/\u202eexe.txt' }],
      now,
    );
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u202e');
    expect(table).toContain('evil?[2Jname');
  });
});

describe('formatTodos', () => {
  const todos: Todo[] = [
    { content: 'Write the parser', status: 'completed', active_form: 'Writing the parser' },
    { content: 'Run the tests', status: 'in_progress', active_form: 'Running the tests' },
    { content: 'Ship it', status: 'pending', active_form: 'Shipping it' },
  ];

  it('numbers each todo with its status marker, in progress by its active form', () => {
    expect(formatTodos(todos)).toBe(
      ['1. [x] Write the parser', '2. [>] Running the tests', '3. [ ] Ship it'].join('\n'),
    );
  });

  it('aligns numbers past nine', () => {
    const many = Array.from({ length: 10 }, (_, index) => ({ ...todos[2], content: `t${index}` }) as Todo);
    const lines = formatTodos(many).split('\n');
    expect(lines[0]).toBe(' 1. [ ] t0');
    expect(lines[9]).toBe('10. [ ] t9');
  });

  it('says so for an empty list', () => {
    expect(formatTodos([])).toBe('No todos.');
  });
});
