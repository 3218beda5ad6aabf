/**
 * The problems a new user hit on a terminal (issue #18), replayed in a pseudo-terminal (util-linux
 * `script`). The test names carry the item number of the issue.
 */
import { existsSync } from 'node:fs';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, storedSession, storedSessions } from './jido.js';
import { openTerminal, screenText, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

/** Three saved sessions named "demo" on three folders, and one named "other". */
async function seedDemos(): Promise<void> {
  const lines: string[] = [];
  for (const name of ['demo', 'demo', 'demo', 'other']) {
    lines.push(`/session new ${await projectFolder(name)} --name=${name}`, `hello ${name}`, '/session close');
  }
  const run = await jido([], { home, input: `${lines.join('\n')}\n` });
  expect(run.code, run.stderr).toBe(0);
}

describe.skipIf(!existsSync(scriptPath))('on a terminal', () => {
  it('item 1: /resume clear asks first; "no" deletes nothing, "yes" deletes', async () => {
    await seedDemos();
    const tty = openTerminal(home, []);
    await tty.waitFor('jido> ');
    tty.type('/resume clear\r');
    await tty.waitFor('Move 4 saved sessions to the trash?');
    tty.type('n\r');
    await tty.waitFor('Nothing was moved.');
    expect(await storedSessions(home)).toHaveLength(4);
    const mark = screenText(tty.raw()).length;
    tty.type('/resume clear\r');
    await tty.waitFor('Move 4 saved sessions to the trash?', mark);
    tty.type('y\r');
    await tty.waitFor('Moved 4 saved sessions to the trash.', mark);
    tty.type('/quit\r');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);
    expect(await storedSessions(home)).toEqual([]);
  });

  it('item 18: Ctrl+C on a half-typed line clears it; on an empty line it saves and exits', async () => {
    const folder = await projectFolder();
    const tty = openTerminal(home, []);
    await tty.waitFor('jido> ');
    tty.type(`/session new ${folder} --name=typing\r`);
    await tty.waitFor('jido(typing)> ');
    let mark = screenText(tty.raw()).length;
    tty.type('half typed');
    await tty.waitFor('half typed', mark);
    tty.type('\u0003');
    await tty.waitFor('^C', mark);
    mark = screenText(tty.raw()).length;
    tty.type('hello\r');
    await tty.waitFor('Noted: "hello".', mark);
    tty.type('\u0003');
    await tty.waitFor('Saved and closed "typing".');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);
    const saved = await storedSession(home, 'typing');
    expect(saved.conversation.map((message) => message.content)).toEqual([
      'hello',
      'Noted: "hello". No todos yet.',
    ]);
  });

  it('item 22: every picker row shows project, message count and time, so rows with one name differ', async () => {
    await seedDemos();
    const tty = openTerminal(home, ['resume']);
    await tty.waitFor('Resume which session?');
    await tty.waitFor('other');
    const screen = screenText(tty.raw());
    const rows = screen.split('\n').filter((line) => /demo · /.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/demo · \S+ · 2 messages · closed just now/);
    expect(new Set(rows.map((row) => row.replace(/^\W+/, ''))).size).toBe(3);
    tty.type('\u001b');
    await tty.waitFor('No session resumed.');
    tty.child.stdin?.end();
    await tty.done;
  });

  it('item 9: a terminal of 0 columns gets the numbered list instead of the picker', async () => {
    await seedDemos();
    const tty = openTerminal(home, [], {}, { cols: 0, rows: 0 });
    await tty.waitFor('jido> ');
    tty.type('/resume\r');
    await tty.waitFor('Resume one with /resume <target>.');
    const screen = screenText(tty.raw());
    expect(screen).not.toContain('Resume which session?');
    expect(screen).toMatch(/ 1 {2}other /);
    tty.type('/quit\r');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);
  });
});
