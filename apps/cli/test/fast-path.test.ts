// `jido sessions list` and `jido sessions import` run without Commander (src/fast-path.ts): whatever
// the fast path accepts must mean exactly what it means through Commander, output, errors and exit
// status alike.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { fastInvocation } from '../src/fast-path.js';
import { run } from '../src/index.js';
import { main } from '../src/main.js';
import { projectFolder, seed } from './jido.js';
import { memoryIo } from './memory-io.js';

const testCase = PersistenceTestCase.use();

/** A `--verbose` stack names the caller's frames, which differ by design; everything else may not. */
function withoutFrames(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^debug:\s+at /.test(line))
    .join('\n');
}

/**
 * Runs a command line through `run` (the fast path) and through `main` (Commander) in the same
 * folder (`cwd`, else a new project folder). `argvFor` may give each its own home (a command that
 * writes must start from the same state).
 */
async function bothWays(
  argvFor: (side: 'fast' | 'commander') => readonly string[] | Promise<readonly string[]>,
  { env = {}, cwd }: { env?: Readonly<Record<string, string>>; cwd?: string } = {},
) {
  const folder = cwd ?? (await projectFolder());
  const fastArgv = await argvFor('fast');
  expect(fastInvocation(fastArgv), fastArgv.join(' ')).toBeDefined();
  const fast = memoryIo(folder, env);
  const fastCode = await run(fastArgv, fast);
  const commander = memoryIo(folder, env);
  const commanderCode = await main(await argvFor('commander'), commander);
  return {
    fast: { code: fastCode, stdout: fast.stdoutText(), stderr: withoutFrames(fast.stderrText()) },
    commander: {
      code: commanderCode,
      stdout: commander.stdoutText(),
      stderr: withoutFrames(commander.stderrText()),
    },
  };
}

/** A home folder that does not exist yet (the store creates it). */
async function freshHome(): Promise<string> {
  return join(await temporaryFolder('home', 'jido-fast-path-'), 'home');
}

describe('jido sessions list without Commander', () => {
  it('prints what Commander’s sessions list prints, for every form it accepts', async () => {
    const home = testCase.home;
    const factory = new SessionFactory({ seed: 71 });
    await seed(home, [factory.session({ messageCount: 2 }), factory.session({ messageCount: 3 })]);
    const other = await freshHome();
    const forms = [
      ['--home', home, 'sessions', 'list'],
      ['sessions', 'list', '--home', home],
      ['sessions', 'list', '--all', '--home', home, '--json'],
      ['--json', '--home', other, 'sessions', 'list', '--all'],
      ['--home', other, 'sessions', 'list', '--home', home],
      ['--store', home, 'sessions', 'list', '--verbose'],
    ];
    for (const argv of forms) {
      const { fast, commander } = await bothWays(() => argv);
      expect(fast.code, argv.join(' ')).toBe(0);
      expect(fast.stdout).not.toBe('');
      expect(fast, argv.join(' ')).toEqual(commander);
    }
    const fromEnv = await bothWays(() => ['sessions', 'list', '--json'], { env: { JIDO_CODE_HOME: home } });
    expect(JSON.parse(fromEnv.fast.stdout).sessions).toHaveLength(2);
    expect(fromEnv.fast).toEqual(fromEnv.commander);
  });

  it('reports an error as Commander’s sessions list does: the same line, the same exit status', async () => {
    const blocked = join(await temporaryFolder('blocked', 'jido-fast-path-'), 'file');
    await writeFile(blocked, 'not a folder');
    for (const argv of [
      ['--home', join(blocked, 'home'), 'sessions', 'list'],
      ['--home', join(blocked, 'home'), 'sessions', 'list', '--json', '--verbose'],
      ['--store', 'postgres://nobody@127.0.0.1:1/none', 'sessions', 'list'],
    ]) {
      const { fast, commander } = await bothWays(() => argv);
      expect(fast.code, argv.join(' ')).toBe(1);
      expect(fast.stderr).toMatch(/^jido: /);
      expect(fast, argv.join(' ')).toEqual(commander);
    }
  });
});

describe('jido sessions import without Commander', () => {
  it('imports as Commander’s sessions import does, into homes in the same state', async () => {
    const factory = new SessionFactory({ seed: 73 });
    const folder = await temporaryFolder('import', 'jido-fast-path-');
    const file = join(folder, 'session.json');
    await writeFile(file, JSON.stringify(factory.session({ messageCount: 3 })));
    const imported = await bothWays(async () => ['--home', await freshHome(), 'sessions', 'import', file]);
    expect(imported.fast.code).toBe(0);
    expect(imported.fast.stdout).toMatch(/^Imported /);
    expect(imported.fast).toEqual(imported.commander);
    // A relative file, from the working folder.
    const asJson = await bothWays(
      async () => ['sessions', 'import', '--json', 'session.json', '--home', await freshHome()],
      { cwd: folder },
    );
    expect(asJson.fast.code).toBe(0);
    expect(asJson.fast).toEqual(asJson.commander);
    // --new-id: a fresh id each time, so only the id differs.
    const renewed = await bothWays(() => ['--home', testCase.home, 'sessions', 'import', file, '--new-id']);
    const masked = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>');
    expect(renewed.fast.code).toBe(0);
    expect(masked(renewed.fast.stdout)).toBe(masked(renewed.commander.stdout));
    expect(renewed.fast.stderr).toBe(renewed.commander.stderr);
  });

  it('reports an error as Commander’s sessions import does: the same line, the same exit status', async () => {
    const factory = new SessionFactory({ seed: 79 });
    const folder = await temporaryFolder('import-errors', 'jido-fast-path-');
    const stored = factory.session({ messageCount: 2 });
    await seed(testCase.home, [stored]);
    const duplicate = join(folder, 'duplicate.json');
    await writeFile(duplicate, JSON.stringify(stored));
    const invalid = join(folder, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ ...factory.session(), name: '' }));
    const broken = join(folder, 'broken.json');
    await writeFile(broken, '{ not json');
    for (const argv of [
      ['sessions', 'import', duplicate],
      ['sessions', 'import', invalid, '--new-id', '--verbose'],
      ['sessions', 'import', broken, '--json'],
      ['sessions', 'import', join(folder, 'missing.json')],
    ]) {
      const { fast, commander } = await bothWays(() => ['--home', testCase.home, ...argv]);
      expect(fast.code, argv.join(' ')).toBe(1);
      expect(fast.stderr).toMatch(/^jido: /);
      expect(fast, argv.join(' ')).toEqual(commander);
    }
  });
});
