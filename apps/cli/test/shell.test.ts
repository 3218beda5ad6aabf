import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  finished,
  jido,
  projectFolder,
  spawnJido,
  storedSession,
  storedSessions,
  waitForOutput,
} from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

interface ListEntry {
  id: string;
  name: string;
  message_count: number;
  todo_count: number;
  closed_at: string | null;
  last_resumed_at: string | null;
}

async function listed(): Promise<ListEntry[]> {
  return storedSessions(home);
}

describe('the shell through a pipe', () => {
  it('runs the scripted story: sessions, messages, todos, close, list, show, resume', async () => {
    const [api, web, docs] = await Promise.all([projectFolder(), projectFolder(), projectFolder()]);
    const script = [
      'hello before any session',
      `/session new ${api} --name=api`,
      'Please fix the failing tests',
      '/todo add Run the tests',
      '/todo add Fix the parser',
      '/todo start 2',
      '/todo done 1',
      '/todo list',
      'How is it going?',
      `/session new ${web} --name=web`,
      'Style the button',
      '/session list',
      '/session close',
      '/session close api',
      `/session new "${docs}" --name="the docs"`,
      '/session rename docs',
      '/todo done 7',
      '/sesion list',
      '/quit',
      'never read',
    ].join('\n');
    const run = await jido([], { home, input: `${script}\n` });
    expect(run.code, run.stderr).toBe(1); // three lines failed: a piped shell says so in its status
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      'jido: No active session. Start one with /session new, or /resume one.',
      expect.stringMatching(/^jido: /), // the todo number out of range
      expect.stringMatching(/^jido: Unknown command "\/sesion"\. Did you mean "\/session"\?/),
    ]);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/^Opened session "api" \([0-9a-f]{8}\) on .+\.$/),
      'Noted: "Please fix the failing tests". No todos yet.',
      '1. [ ] Run the tests',
      '1. [ ] Run the tests',
      '2. [ ] Fix the parser',
      '1. [ ] Run the tests',
      '2. [>] Fix the parser',
      '1. [x] Run the tests',
      '2. [>] Fix the parser',
      '1. [x] Run the tests',
      '2. [>] Fix the parser',
      'Noted: "How is it going?". 1 todo open, 1 done.',
      expect.stringMatching(/^Opened session "web" /),
      'Noted: "Style the button". No todos yet.',
      expect.stringMatching(/^ {2}1 {2}api +.+ {2}4 messages, 2 todos$/),
      expect.stringMatching(/^\* 2 {2}web +.+ {2}2 messages, 0 todos$/),
      expect.stringMatching(/^Saved and closed "web"\. Active session: "api" /),
      'Saved and closed "api". No session is active.',
      expect.stringMatching(/^Opened session "the docs" /),
      expect.stringMatching(/^Renamed to "docs" /),
      'Saved and closed "docs".',
      '',
    ]);

    const sessions = await listed();
    expect(sessions.map((session) => [session.name, session.message_count, session.todo_count])).toEqual([
      ['docs', 0, 0],
      ['api', 4, 2],
      ['web', 2, 0],
    ]);
    const api_ = await storedSession(home, 'api');
    expect(api_.conversation.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(api_.conversation[3]?.content).toBe('Noted: "How is it going?". 1 todo open, 1 done.');
    expect(api_.todos).toEqual([
      { content: 'Run the tests', status: 'completed', active_form: 'Run the tests' },
      { content: 'Fix the parser', status: 'in_progress', active_form: 'Fix the parser' },
    ]);
    expect(api_.closed_at).toEqual(expect.any(String));
  });

  it('resumes by index, id prefix, name and --last, with /resume listing on a pipe', async () => {
    const folders = await Promise.all([projectFolder(), projectFolder(), projectFolder()]);
    const names = ['one', 'two', 'three'];
    const create = names
      .map(
        (name, index) =>
          `/session new ${folders[index]} --name=${name}\nfirst message of ${name}\n/session close`,
      )
      .join('\n');
    expect((await jido([], { home, input: `${create}\n` })).code).toBe(0);
    // Most recently closed first: three, two, one.
    const before = await listed();
    expect(before.map((session) => session.name)).toEqual(['three', 'two', 'one']);

    const byIndex = await jido(['resume', '2'], { home, input: 'resumed by index\n' });
    expect(byIndex.code, byIndex.stderr).toBe(0);
    expect(byIndex.stdout).toMatch(/^Resumed session "two" \([0-9a-f]{8}\): 2 messages, 0 todos\.\n/);
    expect(byIndex.stdout).toContain('Saved and closed "two".');

    const one = before.find((session) => session.name === 'one') as ListEntry;
    const byPrefix = await jido(['resume', one.id.slice(0, 6)], { home, input: '/todo add From prefix\n' });
    expect(byPrefix.stdout).toMatch(/^Resumed session "one" /);

    const byName = await jido(['resume', 'three'], { home, input: '' });
    expect(byName.stdout).toMatch(/^Resumed session "three" /);

    // three was closed last, so --last brings it back again.
    const last = await jido(['resume', '--last'], { home, input: '/resume\n' });
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/^Resumed session "three" /);
    // /resume on a pipe prints the numbered list, leaving out the session open here.
    expect(last.stdout).toMatch(/#\s+Name\s+Project\s+Messages\s+Closed\n\s+1\s+one\s/);
    expect(last.stdout).not.toMatch(/\d\s+three\s/);

    const after = await listed();
    expect(after.find((session) => session.name === 'two')?.message_count).toBe(4);
    expect(after.find((session) => session.name === 'one')?.todo_count).toBe(1);
    expect(after.every((session) => session.last_resumed_at !== null)).toBe(true);

    const empty = await PersistenceTestCase.create();
    try {
      const [missing, none] = await Promise.all([
        jido(['resume', 'nosuch'], { home, input: '' }),
        jido(['resume', '--last'], { home: empty.home, input: '' }),
      ]);
      expect(missing).toMatchObject({ code: 1, stderr: 'jido: No session matches "nosuch".\n' });
      expect(none).toMatchObject({ code: 1, stderr: 'jido: There are no saved sessions to resume.\n' });
    } finally {
      await empty.cleanup();
    }
  });
});

describe('signals and crashes', () => {
  it('SIGTERM during an open session closes and saves it; a second SIGINT is ignored', async () => {
    const folder = await projectFolder();
    for (const signals of [['SIGTERM'], ['SIGINT', 'SIGINT']] as const) {
      const child = spawnJido([], { home });
      const done = finished(child);
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const name = `sig-${signals.length}`;
      child.stdin?.write(
        `/session new ${folder} --name=${name}\nkeep this message\n/todo add Keep this todo\n`,
      );
      await waitForOutput(
        () => stdout,
        (text) => text.includes('1. [ ] Keep this todo'),
      );
      for (const signal of signals) child.kill(signal);
      const run = await done;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Saved and closed "${name}".`);
      const shown = await jido(['sessions', 'show', name, '--json'], { home });
      const session = JSON.parse(shown.stdout) as {
        conversation: unknown[];
        todos: unknown[];
        closed_at: string;
      };
      expect(session.conversation).toHaveLength(2);
      expect(session.todos).toHaveLength(1);
      expect(session.closed_at).toEqual(expect.any(String));
    }
  });

  it('SIGKILL loses nothing acknowledged: the next start recovers the session from its journal', async () => {
    const folder = await projectFolder();
    const child = spawnJido([], { home });
    const done = finished(child);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stdin?.write(
      `/session new ${folder} --name=crashy\nacknowledged message\n/todo add Survive a crash\n`,
    );
    await waitForOutput(
      () => stdout,
      (text) => text.includes('1. [ ] Survive a crash'),
    );
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    const next = await jido([], { home, input: '' });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('Recovered 1 session from an interrupted run');
    const shown = await storedSession(home, 'crashy');
    expect(shown.conversation.map((message) => message.content)).toEqual([
      'acknowledged message',
      'Noted: "acknowledged message". No todos yet.',
    ]);
    expect(shown.todos.map((todo) => todo.content)).toEqual(['Survive a crash']);
    expect(shown.recovered_at).toEqual(expect.any(String));
  });
});
