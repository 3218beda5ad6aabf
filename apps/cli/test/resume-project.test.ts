/**
 * `jido resume <target> --project DIR` (issue #20): a session whose project folder moved resumes
 * into DIR, validated like a new project folder; the move is recorded in `moved_from`. Without the
 * flag a missing folder still fails, with a message naming the flag.
 */
import { chown, mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed, storedSession } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

/** A saved session on a project folder that is then renamed: its old and new paths. */
async function movedSession(name: string) {
  const before = await realpath(await projectFolder('before'));
  const factory = new SessionFactory({ seed: 31, stepMs: 60_000 });
  const conversation = ['one', 'two'].map((content) => factory.message({ content }));
  const session = factory.session({ name, project_path: before, conversation });
  await seed(home, [session]);
  const after = join(dirname(before), 'after');
  await rename(before, after);
  return { session, before, after };
}

describe('jido resume --project', () => {
  it('without --project a missing folder fails and names the flag; with it the session moves, recorded in moved_from', {
    timeout: 120_000,
  }, async () => {
    const { session, before, after } = await movedSession('moved');
    const file = join(home, 'sessions', `${session.id}.json`);
    const saved = await readFile(file);

    const refused = await jido(['resume', 'moved'], { home, input: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The project folder ${before} does not exist`);
    expect(refused.stderr).toContain(`jido resume ${session.id.slice(0, 8)} --project NEW_FOLDER`);
    expect(await readFile(file)).toEqual(saved);

    const resumed = await jido(['resume', 'moved', '--project', after], { home, input: 'three\n' });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const moved = await storedSession(home, 'moved');
    expect(moved.project_path).toBe(after);
    expect(moved.moved_from).toEqual({ project_path: before, moved_at: expect.any(String) });
    expect(Date.parse(moved.moved_from?.moved_at ?? '')).toBeGreaterThan(Date.parse(session.created_at));
    expect(moved.conversation.map((message) => message.content).slice(0, 3)).toEqual(['one', 'two', 'three']);
    expect(moved.conversation).toHaveLength(4);
    const shown = await jido(['sessions', 'show', 'moved', '--json'], { home });
    expect((JSON.parse(shown.stdout) as { moved_from: unknown }).moved_from).toEqual(moved.moved_from);

    // Resuming again, now from its new folder, needs no flag and records no new move.
    const again = await jido(['resume', 'moved'], { home, input: '' });
    expect(again.code, again.stderr).toBe(0);
    expect((await storedSession(home, 'moved')).moved_from).toEqual(moved.moved_from);
  });

  it('refuses a DIR that is missing, a file, a system folder or not yours, and changes nothing', {
    timeout: 120_000,
  }, async () => {
    const { session, after } = await movedSession('stays');
    const file = join(home, 'sessions', `${session.id}.json`);
    const saved = await readFile(file);
    const aFile = join(after, 'notes.txt');
    await writeFile(aFile, 'x');
    let notYours = '/var/tmp';
    if (process.getuid?.() === 0) {
      notYours = join(after, 'someone-else');
      await mkdir(notYours);
      await chown(notYours, 65_534, 65_534);
    }
    const cases: [string, string][] = [
      [join(after, 'missing'), 'does not exist'],
      [aFile, 'is not a directory'],
      ['/etc', 'is a protected system folder'],
      [notYours, 'is not yours'],
    ];
    for (const [dir, reason] of cases) {
      const run = await jido(['resume', 'stays', '--project', dir], { home, input: '' });
      expect(run.code, dir).toBe(1);
      expect(run.stderr).toContain(reason);
      expect(run.stderr).not.toContain('--project NEW_FOLDER');
    }
    expect(await readFile(file)).toEqual(saved);

    const usage = await jido(['resume', '--project', after], { home, input: '' });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--project needs a target');
  });
});
