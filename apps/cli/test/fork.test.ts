import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

describe('jido sessions fork', () => {
  it('forks at a message, shows the lineage, lists parent_id, and leaves the source as it was', async () => {
    const factory = new SessionFactory({ seed: 9, stepMs: 60_000 });
    const conversation = ['one', 'two', 'three', 'four'].map((content) => factory.message({ content }));
    const source = factory.session({ name: 'origin', project_path: await projectFolder(), conversation });
    await seed(home, [source]);
    const sourceFile = join(home, 'sessions', `${source.id}.json`);
    const before = await readFile(sourceFile);

    const forked = await jido(['sessions', 'fork', 'origin', '--at', '2', '--json'], { home });
    expect(forked.stderr).toBe('');
    expect(forked.code).toBe(0);
    const shape = JSON.parse(forked.stdout) as { id: string };
    expect(shape).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'origin (fork)',
      parent_id: source.id,
      forked_at_message: 2,
      message_count: 2,
    });
    const file = JSON.parse(await readFile(join(home, 'sessions', `${shape.id}.json`), 'utf8')) as Session;
    expect(file.conversation).toEqual(conversation.slice(0, 2));
    expect(await readFile(sourceFile)).toEqual(before);

    const shown = await jido(['sessions', 'show', shape.id], { home });
    expect(shown.stdout).toContain(`forked from origin (${source.id.slice(0, 8)}) at message 2`);
    const listed = await jido(['sessions', 'list', '--json'], { home });
    const rows = (JSON.parse(listed.stdout) as { sessions: { id: string; parent_id: string | null }[] })
      .sessions;
    expect(rows.find((row) => row.id === shape.id)?.parent_id).toBe(source.id);
    expect(rows.find((row) => row.id === source.id)?.parent_id).toBeNull();

    const named = await jido(['sessions', 'fork', source.id, '--name', 'experiment'], { home });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('at message 4 into "experiment"');
  });

  it('refuses a fork point past the last message (exit 1) and saves nothing', async () => {
    const factory = new SessionFactory({ seed: 10 });
    const source = factory.session({
      name: 'short',
      project_path: await projectFolder(),
      conversation: [factory.message({ content: 'only' })],
    });
    await seed(home, [source]);
    const refused = await jido(['sessions', 'fork', 'short', '--at', '5'], { home });
    expect(refused.code).toBe(1);
    const listed = await jido(['sessions', 'list', '--json'], { home });
    expect((JSON.parse(listed.stdout) as { sessions: unknown[] }).sessions.length).toBe(1);
  });
});
