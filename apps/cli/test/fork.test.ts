import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { finished, jido, projectFolder, seed, spawnJido, storedSession, waitForOutput } from './jido.js';

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

describe('forking an open session', () => {
  it('/session fork [N] --name saves the original, which stays open, and switches to the fork', {
    timeout: 120_000,
  }, async () => {
    const folder = await projectFolder('forked');
    const input = [
      `/session new ${folder} --name=original`,
      'one',
      'two',
      '/session fork 2 --name=experiment',
      'in the fork',
      '/session list',
      '/session switch original',
      'in the original',
      '/session fork',
      '/session fork 99',
    ].join('\n');
    const run = await jido([], { home, input: `${input}\n` });
    const lines = run.stdout.split('\n');
    expect(
      lines.some((line) => /^Forked "original" \(\w{8}\) at message 2 into "experiment"/.test(line)),
    ).toBe(true);
    expect(run.stdout).toContain('Switched to the fork; the original stays open.');
    expect(run.stdout).toMatch(/^\* 2 {2}experiment/m);
    expect(run.stdout).toMatch(/^ {2}1 {2}original/m);
    expect(run.stdout).toContain('into "original (fork)"');
    expect(run.stderr).toContain('The fork point must be a message number from 1 to');

    const original = await storedSession(home, 'original');
    const experiment = await storedSession(home, 'experiment');
    const everything = await storedSession(home, 'original (fork)');
    const contents = (session: { conversation: { content: string }[] }) =>
      session.conversation.map((message) => message.content);
    expect(contents(original)).toEqual([
      'one',
      'Noted: "one". No todos yet.',
      'two',
      'Noted: "two". No todos yet.',
      'in the original',
      'Noted: "in the original". No todos yet.',
    ]);
    expect(experiment.parent_id).toBe(original.id);
    expect(experiment.forked_at_message).toBe(2);
    expect(experiment.project_path).toBe(original.project_path);
    expect(contents(experiment)).toEqual([
      'one',
      'Noted: "one". No todos yet.',
      'in the fork',
      'Noted: "in the fork". No todos yet.',
    ]);
    expect(experiment.conversation.slice(0, 2)).toEqual(original.conversation.slice(0, 2));
    expect(everything.forked_at_message).toBe(6);
    expect(contents(everything)).toEqual(contents(original));
  });

  it('jido sessions fork of a session open in another shell has its journaled messages; the source is untouched', {
    timeout: 120_000,
  }, async () => {
    const folder = await projectFolder('busy');
    const child = spawnJido([], { home });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const done = finished(child);
    child.stdin?.write(`/session new ${folder} --name=busy\nfirst\nsecond\nthird\n`);
    await waitForOutput(
      () => stdout,
      (text) => text.includes('Noted: "third"'),
    );
    const sourceFiles = async () => {
      const names = (await readdir(join(home, 'sessions'))).filter((name) => name.endsWith('.json')).sort();
      return Promise.all(
        names.map(async (name) => [name, await readFile(join(home, 'sessions', name))] as const),
      );
    };
    const journalsBefore = await readdir(join(home, 'journal'));
    const before = await sourceFiles();
    expect(before).toHaveLength(1);

    const forked = await jido(['sessions', 'fork', 'busy', '--at', '5', '--json'], { home });
    expect(forked.code, forked.stderr).toBe(0);
    const shape = JSON.parse(forked.stdout) as {
      id: string;
      message_count: number;
      forked_at_message: number;
    };
    expect(shape).toMatchObject({ message_count: 5, forked_at_message: 5 });
    const fork = await storedSession(home, 'busy (fork)');
    expect(fork.conversation.map((message) => message.content)).toEqual([
      'first',
      'Noted: "first". No todos yet.',
      'second',
      'Noted: "second". No todos yet.',
      'third',
    ]);
    // The source's saved bytes and its journal are as they were; the other shell still holds it.
    const after = await sourceFiles();
    expect(after.filter(([name]) => name !== `${shape.id}.json`)).toEqual(before);
    expect(await readdir(join(home, 'journal'))).toEqual(journalsBefore);

    child.stdin?.end('fourth\n');
    expect((await done).code).toBe(0);
    const source = await storedSession(home, 'busy');
    expect(source.conversation).toHaveLength(8);
    expect(source.conversation.slice(0, 5)).toEqual(fork.conversation);
  });
});

describe('/session fork that saves the fork but cannot open it', () => {
  /** The fork's short id from the shell's fork line (the second `(xxxxxxxx)` on it). */
  function forkIdOf(line: string): string {
    const ids = [...line.matchAll(/\(([0-9a-f]{8})\)/g)].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    return ids[1] ?? '';
  }

  it('at the open-session limit: says it is saved and why, and the /resume it names opens it', {
    timeout: 120_000,
  }, async () => {
    const folder = await projectFolder('limited');
    const input = [`/session new ${folder} --name=original`, 'one', '/session fork', '/session list'].join(
      '\n',
    );
    const run = await jido([], { home, input: `${input}\n`, env: { JIDO_MAX_OPEN_SESSIONS: '1' } });
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((text) => text.startsWith('Forked "original"')) ?? '';
    expect(line).toMatch(
      /^Forked "original" \([0-9a-f]{8}\) at message 2 into "original \(fork\)" \([0-9a-f]{8}\)\. The fork is saved but not open: Too many open sessions \(1 of 1\)\. Close one first\. Resume it with \/resume [0-9a-f]{8}\.$/,
    );
    const id = forkIdOf(line);
    expect(line.endsWith(`/resume ${id}.`)).toBe(true);
    // The original stays the one open (and active) session.
    expect(run.stdout).toMatch(/^\* 1 {2}original /m);
    expect(run.stdout).not.toMatch(/^ {2}2 {2}original \(fork\)/m);
    const fork = await storedSession(home, 'original (fork)');
    expect(fork.id.startsWith(id)).toBe(true);
    expect(fork.conversation.map((message) => message.content)).toEqual([
      'one',
      'Noted: "one". No todos yet.',
    ]);

    // What the line says to do works (the original is closed by now, so the limit allows it).
    const resumed = await jido([], { home, input: `/resume ${id}\n`, env: { JIDO_MAX_OPEN_SESSIONS: '1' } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resumed session "original (fork)" (${id}): 2 messages`);
  });

  it('when the project folder is gone: says it is saved, and the resume --project it names opens it', {
    timeout: 120_000,
  }, async () => {
    const folder = await projectFolder('vanishing');
    const child = spawnJido([], { home });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const done = finished(child);
    child.stdin?.write(`/session new ${folder} --name=gone\none\n`);
    await waitForOutput(
      () => stdout,
      (text) => text.includes('Noted: "one"'),
    );
    // The real fault: the folder disappears while the session is open.
    await rm(folder, { recursive: true });
    child.stdin?.end('/session fork\n');
    const run = await done;
    const line = run.stdout.split('\n').find((text) => text.startsWith('Forked "gone"')) ?? '';
    const id = forkIdOf(line);
    expect(line).toContain('into "gone (fork)"');
    expect(line).toContain(`The fork is saved but not open: The project folder ${folder} does not exist.`);
    expect(line).toContain(`'jido resume ${id} --project NEW_FOLDER'`);
    expect(line).not.toContain('/resume');
    expect(line).not.toContain(home);

    const moved = await projectFolder('moved-here');
    const resumed = await jido(['resume', id, '--project', moved], { home, input: '/quit\n' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resumed session "gone (fork)" (${id})`);
    const fork = await storedSession(home, 'gone (fork)');
    expect(fork.conversation).toHaveLength(2);
    expect(fork.moved_from?.project_path).toBe(folder);
  });
});
