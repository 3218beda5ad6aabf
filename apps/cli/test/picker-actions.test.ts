/**
 * The resume picker's actions on a pseudo-terminal (issue #20): `/` filters, `f` forks, `r`
 * renames inline, `d` moves to the trash after a confirmation line; each updates the list in place
 * and the key help is one line at the bottom.
 */
import { existsSync } from 'node:fs';
import { SessionStore } from '@jido-code/storage';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, storedSessions } from './jido.js';
import { openTerminal, screenText, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

const keyHelp = '↑/↓ move · Enter resume · d trash · r rename · f fork · / filter · Esc cancel';

describe.skipIf(!existsSync(scriptPath))('the resume picker acts', () => {
  it('filters, forks, renames and trashes in place, then cancels', { timeout: 120_000 }, async () => {
    const [alpha, beta] = await Promise.all([projectFolder(), projectFolder()]);
    const input = `/session new ${alpha} --name=alpha\nhello alpha\n/session close\n/session new ${beta} --name=beta\n/session close\n`;
    expect((await jido([], { home, input })).code).toBe(0);
    const alphaId = (await storedSessions(home)).find((session) => session.name === 'alpha')?.id;

    const tty = openTerminal(home, []);
    await tty.waitFor('jido> ');
    tty.type('/resume\r');
    await tty.waitFor(keyHelp);
    let mark = screenText(tty.raw()).length;
    tty.type('/alp');
    await tty.waitFor('Filter: alp', mark);
    tty.type('\r');
    mark = screenText(tty.raw()).length;
    tty.type('f');
    await tty.waitFor('Forked "alpha"', mark);
    await tty.waitFor('alpha (fork) ·', mark);
    mark = screenText(tty.raw()).length;
    tty.type('r');
    await tty.waitFor('New name: _', mark);
    tty.type('alpha two\r');
    await tty.waitFor('to "alpha two".', mark);
    mark = screenText(tty.raw()).length;
    tty.type('d');
    await tty.waitFor('Move "alpha two" to the trash? (y/n)', mark);
    tty.type('n');
    await tty.waitFor('Nothing was moved.', mark);
    mark = screenText(tty.raw()).length;
    tty.type('d');
    await tty.waitFor('to the trash? (y/n)', mark);
    tty.type('y');
    await tty.waitFor('to the trash.', mark);
    const afterTrash = screenText(tty.raw()).slice(mark);
    // The list redrawn after the move: the fork is there, the trashed session is not.
    const lastFrame = afterTrash.slice(afterTrash.lastIndexOf('Resume which session?'));
    expect(lastFrame).toContain('alpha (fork) ·');
    expect(lastFrame).not.toMatch(/^[> ] alpha two ·/m);
    expect(lastFrame.trimEnd().split('\n').at(-1)).toBe(keyHelp);
    tty.type('\u001b');
    await tty.waitFor('No session resumed.', mark);
    tty.type('/quit\r');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);

    const saved = await storedSessions(home);
    expect(saved.map((session) => session.name).sort()).toEqual(['alpha (fork)', 'beta']);
    expect(saved.find((session) => session.name === 'alpha (fork)')?.parent_id).toBe(alphaId);
    const opened = await SessionStore.open({ home, env: {} });
    if (!opened.ok) throw opened.error;
    const trash = await opened.value.listTrash();
    if (!trash.ok) throw trash.error;
    expect(JSON.stringify(trash.value)).toContain(alphaId ?? 'missing');
  });
});
