import { existsSync } from 'node:fs';
import { writePeerFixtures } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, storedSession, storedSessions } from './jido.js';
import { openTerminal, screenText, scriptPath, type Terminal } from './terminal.js';

/** An SGR foreground colour sequence (built from a string: biome forbids control characters in literals). */
const foregroundColour = new RegExp(`${String.fromCharCode(27)}\\[3[0-9]m`);

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

function terminal(args: readonly string[], env: Readonly<Record<string, string>> = {}): Terminal {
  return openTerminal(home, args, env);
}

async function seedTwoSessions(): Promise<void> {
  const [alpha, beta] = await Promise.all([projectFolder(), projectFolder()]);
  const input = `/session new ${alpha} --name=alpha\nhello alpha\n/session close\n/session new ${beta} --name=beta\n/session close\n`;
  expect((await jido([], { home, input })).code).toBe(0);
}

describe.skipIf(!existsSync(scriptPath))('on a terminal', () => {
  it('shows a prompt with the active session, an arrow-key /resume picker, colour and history', async () => {
    await seedTwoSessions();
    const tty = terminal([], { NO_COLOR: '' });
    await tty.waitFor('jido> ');
    tty.type('/resume\r');
    await tty.waitFor('Resume which session?');
    await tty.waitFor('alpha');
    const screen = screenText(tty.raw());
    expect(screen).toMatch(/beta · .+ · 0 messages · closed just now/);
    expect(screen).toMatch(/alpha/);
    tty.type('\u001b[B'); // arrow down: from beta (closed last) to alpha
    await new Promise((resolve) => setTimeout(resolve, 200));
    tty.type('\r');
    await tty.waitFor('Resumed session "alpha"');
    await tty.waitFor('jido(alpha)> ');
    expect(tty.raw()).toContain('\u001b[36malpha\u001b[39m'); // the name in cyan: colour is on
    let mark = screenText(tty.raw()).length;
    tty.type('/todo add Try the history\r');
    await tty.waitFor('1. [ ] Try the history', mark);
    mark = screenText(tty.raw()).length;
    tty.type('\u001b[A'); // arrow up recalls the last line
    await tty.waitFor('/todo add Try the history', mark);
    tty.type('\r');
    await tty.waitFor('2. [ ] Try the history', mark);
    tty.type('/quit\r');
    await tty.waitFor('Saved and closed "alpha".');
    tty.child.stdin?.end();
    const run = await tty.done;
    expect(run.code).toBe(0);
    const shown = await storedSession(home, 'alpha');
    expect(shown.todos).toHaveLength(2);
  });

  it('Ctrl+C at the prompt closes and saves every open session', async () => {
    const folder = await projectFolder();
    const tty = terminal([]);
    await tty.waitFor('jido> ');
    tty.type(`/session new ${folder} --name=interrupted\r`);
    await tty.waitFor('jido(interrupted)> ');
    tty.type('a message before Ctrl+C\r');
    await tty.waitFor('Noted: "a message before Ctrl+C"');
    tty.type('\u0003');
    await tty.waitFor('Saved and closed "interrupted".');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);
    expect(tty.raw()).not.toMatch(foregroundColour); // NO_COLOR: no colour codes
    const listed = await storedSessions(home);
    expect(listed).toEqual([expect.objectContaining({ name: 'interrupted', message_count: 2 })]);
  });

  it('shows a progress bar while importing ten files or more', async () => {
    const userHome = await temporaryFolder('user-home', 'jido-cli-import-tty-');
    writePeerFixtures(userHome);
    const run = terminal(['import', 'claude-code'], { HOME: userHome });
    await run.waitFor('11 files: 9 imported, 0 updated, 1 skipped, 1 failed.');
    run.child.stdin?.end();
    expect((await run.done).code).toBe(0);
    // The bar's closing line (clack's ◇ mark) on stderr, besides the summary on stdout.
    expect(screenText(run.raw())).toContain('◇  11 files: 9 imported');
  });

  it('asks before clearing and prints a readable table', async () => {
    await seedTwoSessions();
    const list = terminal(['sessions', 'list'], { NO_COLOR: '' });
    await list.waitFor('beta');
    list.child.stdin?.end();
    expect((await list.done).code).toBe(0);
    expect(list.raw()).toContain('\u001b[1m'); // bold header on a terminal
    expect(screenText(list.raw())).toMatch(/#\s+Name\s+Project\s+Messages\s+Closed\n\s+1\s+beta\s/);

    const verify = terminal(['sessions', 'verify']);
    await verify.waitFor('Checked 2 files: 2 valid, 0 unsigned, 0 failed.');
    verify.child.stdin?.end();
    expect((await verify.done).code).toBe(0);
    expect(screenText(verify.raw())).toContain('Checked 2 files'); // the progress bar's closing line

    const clear = terminal(['sessions', 'clear']);
    await clear.waitFor('Move 2 saved sessions to the trash?');
    clear.type('y');
    await clear.waitFor('Moved 2 sessions to the trash.');
    clear.child.stdin?.end();
    expect((await clear.done).code).toBe(0);
    expect(await storedSessions(home)).toEqual([]);
  });
});
