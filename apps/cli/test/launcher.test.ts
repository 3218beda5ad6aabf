// The `jido` launcher (bin/jido.js) as a user starts it from the repository: unbuilt (signals and
// process count), through plain `pnpm jido`, and from a folder on the PATH.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, readlink, realpath, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { childEnv, cliRoot, finished, projectFolder, storedSessions, waitForOutput } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

const repoRoot = join(cliRoot, '..', '..');

/**
 * A checkout of the CLI with no `dist`, whatever the real one has (a build may run alongside the
 * tests): the launcher copied next to links to the real sources and dependencies.
 */
async function unbuiltCheckout(): Promise<string> {
  const root = await temporaryFolder('cli', 'jido-unbuilt-');
  await mkdir(join(root, 'bin'));
  for (const file of ['jido.js', 'source-condition.js']) {
    await copyFile(join(cliRoot, 'bin', file), join(root, 'bin', file));
  }
  for (const entry of ['src', 'node_modules', 'package.json']) {
    await symlink(join(cliRoot, entry), join(root, entry));
  }
  return join(root, 'bin', 'jido.js');
}

/**
 * The ids of the live Node processes whose parent is `pid` (tsx's esbuild service is a child too,
 * but a helper that exits with its parent, not a second CLI).
 */
async function nodeChildrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => '');
    // The fields after the command name (which may hold spaces) start with state, then parent id.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== pid) continue;
    const executable = await readlink(join('/proc', entry, 'exe')).catch(() => '');
    if (executable === (await realpath(process.execPath))) children.push(Number(entry));
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startShellWithSession(launcher: string, name: string) {
  const folder = await projectFolder();
  const child = spawn(process.execPath, [launcher], {
    cwd: folder,
    env: childEnv(home),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = finished(child);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stdin.write(`/session new ${folder} --name=${name}\nkeep this message\n/todo add Keep this todo\n`);
  await waitForOutput(
    () => stdout,
    (text) => text.includes('1. [ ] Keep this todo'),
  );
  return { child, done };
}

describe.skipIf(process.platform !== 'linux')('the unbuilt launcher (sources through tsx)', () => {
  it('runs the CLI in its own process, so SIGINT reaches it and it saves and exits', async () => {
    const { child, done } = await startShellWithSession(await unbuiltCheckout(), 'by-sigint');
    const pid = child.pid as number;
    expect(await nodeChildrenOf(pid)).toEqual([]);
    child.kill('SIGINT');
    child.stdin.end();
    const run = await done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Saved and closed "by-sigint".');
    expect((await storedSessions(home)).map((session) => session.name)).toContain('by-sigint');
  });

  it('leaves nothing running after SIGKILL: the session is not held by an orphan', async () => {
    const { child, done } = await startShellWithSession(await unbuiltCheckout(), 'by-sigkill');
    const pid = child.pid as number;
    const children = await nodeChildrenOf(pid);
    expect(children).toEqual([]);
    child.kill('SIGKILL');
    const run = await done;
    expect(run.signal).toBe('SIGKILL');
    // `done` resolves only once every holder of the output pipes has gone: no orphan is reading input.
    expect(isAlive(pid)).toBe(false);
  });
});

describe('plain `pnpm jido` and `jido` on the PATH', () => {
  it('`pnpm jido` prints only what jido prints, with its exit code (no banner, no ELIFECYCLE)', async () => {
    const child = spawn('pnpm', ['jido', 'sessions', 'show', 'no-such-session'], {
      cwd: repoRoot,
      env: childEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = await finished(child);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^jido: /);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('ELIFECYCLE');
  });

  it('runs as `jido` from a folder on the PATH holding a link to bin/jido.js (as the README says)', async () => {
    const bin = await temporaryFolder('bin', 'jido-path-');
    await symlink(join(cliRoot, 'bin', 'jido.js'), join(bin, 'jido'));
    const env = childEnv(home);
    const child = spawn('jido', ['--version'], {
      cwd: await projectFolder(),
      env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = await finished(child);
    const version = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8')).version as string;
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
