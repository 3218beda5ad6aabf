import type { Message, Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

function sessionsWith(project: string): Session[] {
  const factory = new SessionFactory({ seed: 31, stepMs: 60_000 });
  const conversation = (texts: readonly [Message['role'], string][]) =>
    texts.map(([role, content]) => factory.message({ role, content }));
  return [
    factory.session({
      name: 'login bug',
      project_path: project,
      conversation: conversation([
        ['user', 'The flaky login test fails on CI again'],
        ['assistant', 'I will retry the login flow with a longer timeout'],
      ]),
    }),
    factory.session({
      name: 'docs',
      project_path: '/elsewhere/docs',
      conversation: conversation([['user', 'Write the café menu page \u001b[31mred\u001b[0m']]),
    }),
  ];
}

describe('jido sessions search', () => {
  it('lists matching sessions with highlighted-ready snippets, and --json in the documented shape', async () => {
    const project = await projectFolder();
    const [login, docs] = sessionsWith(project);
    if (login === undefined || docs === undefined) throw new Error('fixture');
    await seed(home, [login, docs]);
    const table = await jido(['sessions', 'search', 'LOGIN', 'flak'], { home });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('login bug');
    expect(table.stdout).toContain(login.id.slice(0, 8));
    expect(table.stdout).toContain('#1 user');
    expect(table.stdout).toContain('The flaky login test fails on CI again');
    expect(table.stdout).not.toContain('docs');

    const json = await jido(['sessions', 'search', 'cafe', '--json'], { home });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as unknown[];
    expect(parsed).toEqual([
      {
        index: 1,
        id: docs.id,
        name: 'docs',
        project_path: '/elsewhere/docs',
        score: expect.any(Number),
        matches: [
          {
            message_index: 1,
            role: 'user',
            timestamp: docs.conversation[0]?.timestamp,
            snippet: 'Write the café menu page \u001b[31mred\u001b[0m',
          },
        ],
      },
    ]);
    // On a terminal-bound table the escape sequence is neutralised.
    const shown = await jido(['sessions', 'search', 'menu'], { home });
    expect(shown.stdout).not.toContain('\u001b');
  });

  it('filters by role, project and phrase, and excludes words', async () => {
    const project = await projectFolder();
    await seed(home, sessionsWith(project));
    const byRole = await jido(['sessions', 'search', 'login', '--role', 'assistant', '--json'], { home });
    const matches = (JSON.parse(byRole.stdout) as { matches: { role: string }[] }[])[0]?.matches;
    expect(matches?.map((match) => match.role)).toEqual(['assistant']);
    const byProject = await jido(['sessions', 'search', 'menu', '--project', project, '--json'], { home });
    expect(JSON.parse(byProject.stdout)).toEqual([]);
    const phrase = await jido(['sessions', 'search', '"login test"', '--json'], { home });
    expect(JSON.parse(phrase.stdout)).toHaveLength(1);
    const excluded = await jido(['sessions', 'search', 'login', '-retry', '--json'], { home });
    const kept = JSON.parse(excluded.stdout) as { matches: { message_index: number }[] }[];
    expect(kept[0]?.matches.map((match) => match.message_index)).toEqual([1]);
  });

  it('never turns typed text into a query error, and names a bad flag with exit 2', async () => {
    const project = await projectFolder();
    await seed(home, sessionsWith(project));
    for (const words of [
      ['NEAR(a', 'b)'],
      ['"unclosed'],
      ['a*', 'OR', 'b'],
      ['x'.repeat(10_000)],
      ['🙂', 'שלום'],
    ]) {
      const run = await jido(['sessions', 'search', '--', ...words], { home });
      expect(run.code, words.join(' ').slice(0, 20)).toBe(0);
    }
    const nothing = await jido(['sessions', 'search', '***'], { home });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('at least one word');
    const badRole = await jido(['sessions', 'search', 'x', '--role', 'robot'], { home });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role');
    const badSince = await jido(['sessions', 'search', 'x', '--since', 'yesterday'], { home });
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('since');
  });

  it('rebuilds the index with `sessions reindex` and searches from the shell with /search', async () => {
    const project = await projectFolder();
    await seed(home, sessionsWith(project));
    const rebuilt = await jido(['sessions', 'reindex'], { home });
    expect(rebuilt).toMatchObject({ code: 0, stdout: 'Indexed 2 sessions for search.\n' });
    const shell = await jido([], { home, input: '/search flaky\n/quit\n' });
    expect(shell.code).toBe(0);
    expect(shell.stdout).toContain('login bug');
    expect(shell.stdout).toContain('The flaky login test');
  });
});
