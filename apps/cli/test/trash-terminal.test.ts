/**
 * `jido sessions trash empty` on a pseudo-terminal (issue #17): it asks before deleting for good;
 * `n` keeps every trashed session, `y` empties the trash. (On a pipe it needs `--yes`: trash.test.ts.)
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed } from './jido.js';
import { openTerminal, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

async function trashedIds(): Promise<string[]> {
  const run = await jido(['sessions', 'trash', '--json'], { home });
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { entries: { id: string }[] }).entries.map((entry) => entry.id).sort();
}

describe.skipIf(!existsSync(scriptPath))('emptying the trash on a terminal', () => {
  it('asks first: n keeps everything, y deletes for good', { timeout: 120_000 }, async () => {
    const factory = new SessionFactory({ seed: 42 });
    const project = await projectFolder();
    const made = [factory.session({ project_path: project }), factory.session({ project_path: project })];
    await seed(home, made);
    expect((await jido(['sessions', 'clear', '--yes'], { home })).code).toBe(0);
    const ids = made.map((session) => session.id).sort();
    expect(await trashedIds()).toEqual(ids);

    const refused = openTerminal(home, ['sessions', 'trash', 'empty']);
    await refused.waitFor('Delete every session in the trash (2) for good? This cannot be undone.');
    refused.type('n');
    await refused.waitFor('Nothing was deleted.');
    refused.child.stdin?.end();
    expect((await refused.done).code).toBe(1);
    expect(await trashedIds()).toEqual(ids);

    const accepted = openTerminal(home, ['sessions', 'trash', 'empty']);
    await accepted.waitFor('Delete every session in the trash (2) for good?');
    accepted.type('y');
    await accepted.waitFor('Deleted 2 sessions from the trash for good.');
    accepted.child.stdin?.end();
    expect((await accepted.done).code).toBe(0);
    expect(await trashedIds()).toEqual([]);
    expect(await readdir(join(home, 'trash'))).toEqual([]);
  });
});
