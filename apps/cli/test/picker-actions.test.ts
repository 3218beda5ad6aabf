/**
 * The resume picker's actions on a pseudo-terminal (issue #20): `/` filters, `f` forks, `r`
 * renames inline, `d` moves to the trash after a confirmation line (never a pinned one), `p` pins or unpins; each
 * updates the list in place and the key help is one line at the bottom. Pinned sessions come
 * first (issue #17).
 */
import { existsSync } from 'node:fs';
import { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed, storedSessions, storedVerification } from './jido.js';
import { openTerminal, screenText, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

const keyHelp = '↑/↓ move · Enter resume · d trash · r rename · f fork · p pin/unpin · / filter · Esc cancel';

/** The rows of the last picker frame drawn after `from`: highlight mark and name (with its pin mark). */
function lastFrameRows(screen: string, from: number): { highlighted: boolean; name: string }[] {
  const after = screen.slice(from);
  const frame = after.slice(after.lastIndexOf('Resume which session?'));
  return frame
    .split('\n')
    .map((line) => /^([> ]) (.+?) · /.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ highlighted: match[1] === '>', name: match[2] ?? '' }));
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

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

  it('lists pinned sessions first, and p pins and unpins the highlighted one in place', {
    timeout: 120_000,
  }, async () => {
    // Closed 3, 2 and 1 days ago; the oldest is pinned, so pins are not simply the most recent.
    const factory = new SessionFactory({ seed: 41 });
    const project = await projectFolder();
    const made = [3, 2, 1].map((days, index) =>
      factory.session({
        name: ['oldest', 'middle', 'newest'][index] ?? 'missing',
        project_path: project,
        updated_at: daysAgo(days),
        closed_at: daysAgo(days),
      }),
    );
    await seed(home, made);
    expect((await jido(['sessions', 'pin', 'oldest'], { home })).code).toBe(0);

    const tty = openTerminal(home, ['resume']);
    await tty.waitFor(keyHelp);
    await tty.waitFor('newest ·');
    expect(lastFrameRows(screenText(tty.raw()), 0)).toEqual([
      { highlighted: true, name: 'oldest (pinned)' },
      { highlighted: false, name: 'newest' },
      { highlighted: false, name: 'middle' },
    ]);
    let mark = screenText(tty.raw()).length;
    tty.type('jj');
    await tty.waitFor('> middle ·', mark);
    mark = screenText(tty.raw()).length;
    tty.type('p');
    await tty.waitFor('Pinned "middle"', mark);
    // Pinned ones first, each group newest first; the highlight follows the session it acted on.
    expect(lastFrameRows(screenText(tty.raw()), mark)).toEqual([
      { highlighted: true, name: 'middle (pinned)' },
      { highlighted: false, name: 'oldest (pinned)' },
      { highlighted: false, name: 'newest' },
    ]);
    const afterPin = screenText(tty.raw()).slice(mark);
    expect(afterPin.trimEnd().split('\n').at(-1)).toBe(keyHelp);
    // A pinned session is not trashed from the picker either (as `delete` without --force).
    mark = screenText(tty.raw()).length;
    tty.type('d');
    await tty.waitFor('to the trash? (y/n)', mark);
    tty.type('y');
    await tty.waitFor('is pinned, so it stays: press p to unpin it first.', mark);
    expect((await storedSessions(home)).map((session) => session.name).sort()).toEqual([
      'middle',
      'newest',
      'oldest',
    ]);
    mark = screenText(tty.raw()).length;
    tty.type('p');
    await tty.waitFor('Unpinned "middle"', mark);
    expect(lastFrameRows(screenText(tty.raw()), mark)).toEqual([
      { highlighted: false, name: 'oldest (pinned)' },
      { highlighted: false, name: 'newest' },
      { highlighted: true, name: 'middle' },
    ]);
    mark = screenText(tty.raw()).length;
    tty.type('kk');
    await tty.waitFor('> oldest (pinned) ·', mark);
    mark = screenText(tty.raw()).length;
    tty.type('p');
    await tty.waitFor('Unpinned "oldest"', mark);
    expect(lastFrameRows(screenText(tty.raw()), mark).map((row) => row.name)).toEqual([
      'newest',
      'middle',
      'oldest',
    ]);
    tty.type('\u001b');
    await tty.waitFor('No session resumed.', mark);
    tty.child.stdin?.end();
    await tty.done;

    // The pins are in the signed files: every file still verifies.
    const pins = Object.fromEntries(
      (await storedSessions(home)).map((entry) => [entry.name, entry.pinned === true]),
    );
    expect(pins).toEqual({ oldest: false, middle: false, newest: false });
    const verified = await storedVerification(home);
    expect(verified.failed).toEqual([]);
    expect(verified.valid).toHaveLength(3);
  });

  it('filters by message text as well as by name and project', { timeout: 120_000 }, async () => {
    const factory = new SessionFactory({ seed: 59 });
    const project = await projectFolder();
    const [quokka, weather] = ['planning', 'chores'].map((name, index) =>
      factory.session({
        name,
        project_path: project,
        updated_at: daysAgo(index + 1),
        closed_at: daysAgo(index + 1),
        conversation: [
          factory.message({ content: index === 0 ? 'the quokka migration needs a rollback' : 'it may rain' }),
        ],
      }),
    );
    await seed(
      home,
      [quokka, weather].filter((session) => session !== undefined),
    );

    const tty = openTerminal(home, ['resume']);
    await tty.waitFor(keyHelp);
    await tty.waitFor('chores ·');
    // The picker redraws in place: the frame is what follows its last header on the screen.
    const lastFrame = () => {
      const screen = screenText(tty.raw());
      return screen.slice(screen.lastIndexOf('Resume which session?'));
    };
    // In no name or project: only the search of the messages can let a row through.
    tty.type('/quok');
    await expect.poll(lastFrame, { timeout: 30_000 }).toMatch(/^> planning · [^\n]*\nFilter: quok_$/m);
    expect(lastFrame()).not.toContain('chores ·');
    tty.type('\r\r');
    await tty.waitFor('Resumed session "planning"');
    tty.type('/quit\r');
    tty.child.stdin?.end();
    expect((await tty.done).code).toBe(0);
  });
});
