import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { finished, jido, projectFolder, seed, spawnJido, waitForOutput } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

async function savedFile(id: string): Promise<Session> {
  return JSON.parse(await readFile(join(home, 'sessions', `${id}.json`), 'utf8')) as Session;
}

describe('jido sessions rename', () => {
  it('renames a saved session in its signed file, keeping everything else', async () => {
    const factory = new SessionFactory({ seed: 7 });
    const session = factory.session({ name: 'old name', project_path: await projectFolder() });
    await seed(home, [session]);

    const renamed = await jido(['sessions', 'rename', 'old name', '  new name  ', '--json'], { home });
    expect(renamed.stderr).toBe('');
    expect(renamed.code).toBe(0);
    expect(JSON.parse(renamed.stdout)).toEqual({ id: session.id, name: 'new name' });

    const file = await savedFile(session.id);
    expect(file.name).toBe('new name');
    expect(file.conversation).toEqual(session.conversation);
    expect(file.todos).toEqual(session.todos);
    const verified = await jido(['sessions', 'verify'], { home });
    expect(verified.code).toBe(0);

    const text = await jido(['sessions', 'rename', session.id.slice(0, 8), 'third'], { home });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('to "third"');
    expect((await savedFile(session.id)).name).toBe('third');
  });

  it('refuses a name over 50 characters (exit 1, the limit named) and changes nothing', async () => {
    const factory = new SessionFactory({ seed: 8 });
    const session = factory.session({ name: 'kept', project_path: await projectFolder() });
    await seed(home, [session]);
    const before = await readFile(join(home, 'sessions', `${session.id}.json`));

    const refused = await jido(['sessions', 'rename', 'kept', 'x'.repeat(51)], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('50 characters');
    const empty = await jido(['sessions', 'rename', 'kept', '   '], { home });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('cannot be empty');
    expect(await readFile(join(home, 'sessions', `${session.id}.json`))).toEqual(before);
  });

  it('refuses a session open in a live shell (whose next save would write the old name back)', async () => {
    const folder = await projectFolder('held');
    const shell = spawnJido([], { home });
    let stdout = '';
    shell.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const done = finished(shell);
    shell.stdin?.write(`/session new ${folder} --name=held\nfirst message\n`);
    await waitForOutput(
      () => stdout,
      (text) => text.includes('Noted: "first message"'),
      120_000,
    );

    const refused = await jido(['sessions', 'rename', 'held', 'renamed'], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('open in a jido process: rename it there with /session rename');

    shell.stdin?.write('second message\n/quit\n');
    shell.stdin?.end();
    expect((await done).code).toBe(0);
    const listed = await jido(['sessions', 'list', '--json'], { home });
    const [only] = JSON.parse(listed.stdout).sessions as { name: string; message_count: number }[];
    expect(only).toMatchObject({ name: 'held', message_count: 4 });

    const renamed = await jido(['sessions', 'rename', 'held', 'renamed'], { home });
    expect(renamed.code).toBe(0);
    const after = await jido(['sessions', 'list', '--json'], { home });
    expect(JSON.parse(after.stdout).sessions[0]).toMatchObject({ name: 'renamed', message_count: 4 });
  });
});
