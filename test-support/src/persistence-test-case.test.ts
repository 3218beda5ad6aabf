import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PersistenceTestCase } from './persistence-test-case.js';

const mode = async (path: string) => (await stat(path)).mode & 0o777;
const originalHome = process.env.JIDO_CODE_HOME;

function restoreOriginalHome(): void {
  if (originalHome === undefined) delete process.env.JIDO_CODE_HOME;
  else process.env.JIDO_CODE_HOME = originalHome;
}

describe('PersistenceTestCase.create', () => {
  const created: PersistenceTestCase[] = [];
  afterEach(async () => {
    for (const testCase of created.splice(0)) await testCase.cleanup();
    restoreOriginalHome();
  });
  const create = async (options?: Parameters<typeof PersistenceTestCase.create>[0]) => {
    const testCase = await PersistenceTestCase.create(options);
    created.push(testCase);
    return testCase;
  };

  it('makes a private home with sessions/ (0700) and config.json (0600, {})', async () => {
    const testCase = await create();
    expect(await mode(testCase.home)).toBe(0o700);
    expect(await mode(testCase.sessionsDir)).toBe(0o700);
    expect(await mode(testCase.configPath)).toBe(0o600);
    expect((await stat(testCase.sessionsDir)).isDirectory()).toBe(true);
    expect(JSON.parse(await readFile(testCase.configPath, 'utf8'))).toEqual({});
    expect(testCase.sessionsDir).toBe(join(testCase.home, 'sessions'));
    expect(testCase.configPath).toBe(join(testCase.home, 'config.json'));
  });

  it('keeps the modes exact whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const testCase = await create();
      expect(await mode(testCase.home)).toBe(0o700);
      expect(await mode(testCase.sessionsDir)).toBe(0o700);
      expect(await mode(testCase.configPath)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('puts the home at a real path under the real temporary directory', async () => {
    const testCase = await create();
    expect(await realpath(testCase.home)).toBe(testCase.home);
    expect(testCase.home.startsWith(`${await realpath(tmpdir())}/`)).toBe(true);
  });

  it('gives each case its own home', async () => {
    const first = await create();
    const second = await create();
    expect(first.home).not.toBe(second.home);
  });

  it('writes the given config', async () => {
    const testCase = await create({ config: { max_sessions: 3, unsigned_policy: 'reject' } });
    expect(JSON.parse(await readFile(testCase.configPath, 'utf8'))).toEqual({
      max_sessions: 3,
      unsigned_policy: 'reject',
    });
  });

  it('can leave sessions/ for the code under test to create', async () => {
    const testCase = await create({ createSessionsDir: false });
    expect(existsSync(testCase.sessionsDir)).toBe(false);
    expect(existsSync(testCase.configPath)).toBe(true);
  });

  it('points JIDO_CODE_HOME at the home', async () => {
    const testCase = await create();
    expect(process.env.JIDO_CODE_HOME).toBe(testCase.home);
  });

  it('gives child processes an env with the home and extras', async () => {
    const testCase = await create();
    const env = testCase.env({ JIDO_MAX_SESSIONS: '7' });
    expect(env.PATH).toBe(process.env.PATH);
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        'process.stdout.write(JSON.stringify([process.env.JIDO_CODE_HOME, process.env.JIDO_MAX_SESSIONS]))',
      ],
      { env, encoding: 'utf8' },
    );
    expect(JSON.parse(child.stdout)).toEqual([testCase.home, '7']);
  });

  it('rewrites config.json with writeConfig, keeping 0600', async () => {
    const testCase = await create();
    await chmod(testCase.configPath, 0o644);
    await testCase.writeConfig({ lock_timeout_ms: 10 });
    expect(JSON.parse(await readFile(testCase.configPath, 'utf8'))).toEqual({ lock_timeout_ms: 10 });
    expect(await mode(testCase.configPath)).toBe(0o600);
    await testCase.writeConfig([1, 2]);
    expect(JSON.parse(await readFile(testCase.configPath, 'utf8'))).toEqual([1, 2]);
  });

  it('builds session paths under sessions/', async () => {
    const testCase = await create();
    const id = '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f';
    expect(testCase.sessionPath(id)).toBe(join(testCase.home, 'sessions', `${id}.json`));
  });
});

describe('PersistenceTestCase cleanup', () => {
  afterEach(() => {
    restoreOriginalHome();
  });

  it('removes the home and restores an unset JIDO_CODE_HOME', async () => {
    delete process.env.JIDO_CODE_HOME;
    const testCase = await PersistenceTestCase.create();
    await writeFile(testCase.sessionPath('x'), '{}');
    await testCase.cleanup();
    expect(existsSync(testCase.home)).toBe(false);
    expect(process.env.JIDO_CODE_HOME).toBeUndefined();
    expect(Object.hasOwn(process.env, 'JIDO_CODE_HOME')).toBe(false);
    expect(testCase.cleaned).toBe(true);
  });

  it('restores a previous JIDO_CODE_HOME', async () => {
    process.env.JIDO_CODE_HOME = '/previous/home';
    const testCase = await PersistenceTestCase.create();
    expect(process.env.JIDO_CODE_HOME).toBe(testCase.home);
    await testCase.cleanup();
    expect(process.env.JIDO_CODE_HOME).toBe('/previous/home');
  });

  it('restores nested cases in reverse order', async () => {
    process.env.JIDO_CODE_HOME = '/outer';
    const first = await PersistenceTestCase.create();
    const second = await PersistenceTestCase.create();
    await second.cleanup();
    expect(process.env.JIDO_CODE_HOME).toBe(first.home);
    await first.cleanup();
    expect(process.env.JIDO_CODE_HOME).toBe('/outer');
  });

  it('is safe to call twice', async () => {
    const testCase = await PersistenceTestCase.create();
    await testCase.cleanup();
    process.env.JIDO_CODE_HOME = '/set-later';
    await testCase.cleanup();
    expect(process.env.JIDO_CODE_HOME).toBe('/set-later');
  });

  it('removes the home even when the test body throws', async () => {
    let home = '';
    const body = async () => {
      const testCase = await PersistenceTestCase.create();
      home = testCase.home;
      try {
        await writeFile(testCase.sessionPath('half-written'), '{"id":');
        throw new Error('the test failed');
      } finally {
        await testCase.cleanup();
      }
    };
    await expect(body()).rejects.toThrow('the test failed');
    expect(home).not.toBe('');
    expect(existsSync(home)).toBe(false);
    expect(process.env.JIDO_CODE_HOME).toBe(originalHome);
  });

  it('run() cleans up after a body that throws, and returns what a body returns', async () => {
    let home = '';
    await expect(
      PersistenceTestCase.run((testCase) => {
        home = testCase.home;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(home)).toBe(false);
    const result = await PersistenceTestCase.run(
      async (testCase) => {
        home = testCase.home;
        return readFile(testCase.configPath, 'utf8');
      },
      { config: { a: 1 } },
    );
    expect(JSON.parse(result)).toEqual({ a: 1 });
    expect(existsSync(home)).toBe(false);
  });

  it('removes a home a test made read-only inside', async () => {
    const testCase = await PersistenceTestCase.create();
    const locked = join(testCase.sessionsDir, 'locked');
    await mkdir(locked);
    await writeFile(join(locked, 'file.json'), '{}');
    await chmod(locked, 0o500);
    await chmod(testCase.sessionsDir, 0o500);
    await testCase.cleanup();
    expect(existsSync(testCase.home)).toBe(false);
  });
});

describe('PersistenceTestCase.use', () => {
  const persistence = PersistenceTestCase.use({ config: { max_sessions: 2 } });
  let outside: unknown;
  try {
    void persistence.home;
  } catch (error) {
    outside = error;
  }
  const homes: string[] = [];

  beforeAll(() => {
    restoreOriginalHome();
  });
  afterAll(() => {
    for (const home of homes) expect(existsSync(home)).toBe(false);
    expect(process.env.JIDO_CODE_HOME).toBe(originalHome);
  });

  it('throws a clear error when read outside a test', () => {
    expect(outside).toBeInstanceOf(Error);
    expect((outside as Error).message).toMatch(/inside a test/);
  });

  it('gives the test a fresh case with the options', async () => {
    homes.push(persistence.home);
    expect(persistence.current.home).toBe(persistence.home);
    expect(process.env.JIDO_CODE_HOME).toBe(persistence.home);
    expect(await mode(persistence.sessionsDir)).toBe(0o700);
    expect(JSON.parse(await readFile(persistence.configPath, 'utf8'))).toEqual({ max_sessions: 2 });
    await persistence.writeConfig({ max_sessions: 9 });
    expect(JSON.parse(await readFile(persistence.configPath, 'utf8'))).toEqual({ max_sessions: 9 });
    expect(persistence.sessionPath('a')).toBe(join(persistence.sessionsDir, 'a.json'));
    expect(persistence.env().JIDO_CODE_HOME).toBe(persistence.home);
  });

  it('gives the next test another case, the previous one removed', async () => {
    expect(homes).toHaveLength(1);
    expect(persistence.home).not.toBe(homes[0]);
    expect(existsSync(homes[0] ?? '')).toBe(false);
    homes.push(persistence.home);
    expect(JSON.parse(await readFile(persistence.configPath, 'utf8'))).toEqual({ max_sessions: 2 });
  });

  it.fails('cleans up after a test that fails (this one fails on purpose)', async () => {
    homes.push(persistence.home);
    await writeFile(persistence.sessionPath('left-behind'), '{}');
    throw new Error('the test body failed');
  });

  it('removed the home of the failed test', () => {
    expect(homes).toHaveLength(3);
    expect(existsSync(homes[2] ?? '')).toBe(false);
    expect(process.env.JIDO_CODE_HOME).toBe(persistence.home);
  });
});
