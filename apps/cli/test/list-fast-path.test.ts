// `jido sessions list` runs without Commander (src/list-fast-path.ts): whatever the fast path
// accepts must mean exactly what it means through Commander, output, errors and exit status alike.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { listInvocation } from '../src/list-fast-path.js';
import { main } from '../src/main.js';
import { projectFolder, seed } from './jido.js';
import { memoryIo } from './memory-io.js';

const testCase = PersistenceTestCase.use();

/** Runs `argv` through `run` (the fast path) and through `main` (Commander) in the same folder. */
async function bothWays(argv: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const cwd = await projectFolder();
  const fast = memoryIo(cwd, env);
  const fastCode = await run(argv, fast);
  const commander = memoryIo(cwd, env);
  const commanderCode = await main(argv, commander);
  // A `--verbose` stack names the caller's frames, which differ by design; everything else may not.
  const withoutFrames = (text: string) =>
    text
      .split('\n')
      .filter((line) => !/^debug:\s+at /.test(line))
      .join('\n');
  return {
    fast: { code: fastCode, stdout: fast.stdoutText(), stderr: withoutFrames(fast.stderrText()) },
    commander: {
      code: commanderCode,
      stdout: commander.stdoutText(),
      stderr: withoutFrames(commander.stderrText()),
    },
  };
}

describe('jido sessions list without Commander', () => {
  it('prints what Commander’s sessions list prints, for every form it accepts', async () => {
    const home = testCase.home;
    const factory = new SessionFactory({ seed: 71 });
    await seed(home, [factory.session({ messageCount: 2 }), factory.session({ messageCount: 3 })]);
    const other = join(await temporaryFolder('other-home', 'jido-fast-list-'), 'home');
    const forms = [
      ['--home', home, 'sessions', 'list'],
      ['sessions', 'list', '--home', home],
      ['sessions', 'list', '--all', '--home', home, '--json'],
      ['--json', '--home', other, 'sessions', 'list', '--all'],
      ['--home', other, 'sessions', 'list', '--home', home],
      ['--store', home, 'sessions', 'list', '--verbose'],
    ];
    for (const argv of forms) {
      expect(listInvocation(argv), argv.join(' ')).toBeDefined();
      const { fast, commander } = await bothWays(argv);
      expect(fast.code, argv.join(' ')).toBe(0);
      expect(fast.stdout).not.toBe('');
      expect(fast, argv.join(' ')).toEqual(commander);
    }
    const fromEnv = await bothWays(['sessions', 'list', '--json'], { JIDO_CODE_HOME: home });
    expect(JSON.parse(fromEnv.fast.stdout).sessions).toHaveLength(2);
    expect(fromEnv.fast).toEqual(fromEnv.commander);
  });

  it('reports an error as Commander’s sessions list does: the same line, the same exit status', async () => {
    const blocked = join(await temporaryFolder('blocked', 'jido-fast-list-'), 'file');
    await writeFile(blocked, 'not a folder');
    for (const argv of [
      ['--home', join(blocked, 'home'), 'sessions', 'list'],
      ['--home', join(blocked, 'home'), 'sessions', 'list', '--json', '--verbose'],
      ['--store', 'postgres://nobody@127.0.0.1:1/none', 'sessions', 'list'],
    ]) {
      expect(listInvocation(argv), argv.join(' ')).toBeDefined();
      const { fast, commander } = await bothWays(argv);
      expect(fast.code, argv.join(' ')).toBe(1);
      expect(fast.stderr).toMatch(/^jido: /);
      expect(fast, argv.join(' ')).toEqual(commander);
    }
  });
});
