import { chmod, lstat, mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** The variable every jido-code package reads its home from. */
const homeVariable = 'JIDO_CODE_HOME';

/** Options of {@link PersistenceTestCase.create}. */
export interface PersistenceTestCaseOptions {
  /** Written to `<home>/config.json` (mode 0600). Default `{}`. */
  readonly config?: Record<string, unknown> | undefined;
  /** Create `<home>/sessions` (mode 0700). Default true; false tests code that creates it. */
  readonly createSessionsDir?: boolean | undefined;
}

/** What {@link PersistenceTestCase.use} returns: the current test's case, read inside a test. */
export interface PersistenceTestCaseHandle {
  /** The case of the running test. Throws outside a test (e.g. at describe time). */
  readonly current: PersistenceTestCase;
  /** `current.home`. */
  readonly home: string;
  /** `current.sessionsDir`. */
  readonly sessionsDir: string;
  /** `current.configPath`. */
  readonly configPath: string;
  /** `current.env(extra)`. */
  env(extra?: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv;
  /** `current.writeConfig(config)`. */
  writeConfig(config: unknown): Promise<void>;
  /** `current.sessionPath(id)`. */
  sessionPath(id: string): string;
}

async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // `mode` only applies when the file is created, and the umask may narrow it
}

/** Gives every directory under `dir` (not following symlinks) owner rwx, so a test that made one read-only cannot block removal. */
async function makeRemovable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const path = join(dir, entry);
    const stat = await lstat(path).catch(() => undefined);
    if (stat?.isDirectory()) await makeRemovable(path);
  }
}

/**
 * An isolated jido home for one test: a fresh temporary directory (mode 0700, real path, no
 * symlink in it) with `sessions/` (0700) and `config.json` (0600), and `JIDO_CODE_HOME` pointing
 * at it until {@link cleanup}, which removes it and restores the previous value.
 *
 * The variable is process-wide: use one case at a time per test file (vitest runs the tests of a
 * file one after another unless told otherwise), or clean nested cases up in reverse order.
 * Child processes get the home through {@link env}.
 */
export class PersistenceTestCase {
  /** The home directory (a real path). */
  readonly home: string;
  /** `<home>/sessions`. */
  readonly sessionsDir: string;
  /** `<home>/config.json`. */
  readonly configPath: string;
  readonly #previousHome: string | undefined;
  #cleaned = false;

  private constructor(home: string, previousHome: string | undefined) {
    this.home = home;
    this.sessionsDir = join(home, 'sessions');
    this.configPath = join(home, 'config.json');
    this.#previousHome = previousHome;
  }

  /** Creates the home, its `sessions/` and `config.json`, and sets `JIDO_CODE_HOME`. */
  static async create(options: PersistenceTestCaseOptions = {}): Promise<PersistenceTestCase> {
    // os.tmpdir() may be a symlink (/tmp on macOS); code that refuses symlinked homes must not trip on it.
    const home = await mkdtemp(join(await realpath(tmpdir()), 'jido-home-'));
    try {
      await chmod(home, 0o700);
      if (options.createSessionsDir !== false) {
        const sessionsDir = join(home, 'sessions');
        await mkdir(sessionsDir, { mode: 0o700 });
        await chmod(sessionsDir, 0o700);
      }
      await writePrivateJson(join(home, 'config.json'), options.config ?? {});
    } catch (error) {
      await rm(home, { recursive: true, force: true });
      throw error;
    }
    const testCase = new PersistenceTestCase(home, process.env[homeVariable]);
    process.env[homeVariable] = home;
    return testCase;
  }

  /**
   * Runs `body` with a fresh case and always cleans it up, whether `body` returns or throws.
   * For tests that do not use {@link use}.
   */
  static async run<T>(
    body: (testCase: PersistenceTestCase) => T | Promise<T>,
    options: PersistenceTestCaseOptions = {},
  ): Promise<T> {
    const testCase = await PersistenceTestCase.create(options);
    try {
      return await body(testCase);
    } finally {
      await testCase.cleanup();
    }
  }

  /**
   * Registers vitest `beforeEach`/`afterEach` hooks giving every test of the enclosing suite its
   * own case, cleaned up after the test even when it fails. Call at describe (or file) level.
   */
  static use(options: PersistenceTestCaseOptions = {}): PersistenceTestCaseHandle {
    let current: PersistenceTestCase | undefined;
    beforeEach(async () => {
      current = await PersistenceTestCase.create(options);
    });
    afterEach(async () => {
      const finished = current;
      current = undefined;
      await finished?.cleanup();
    });
    const currentCase = (): PersistenceTestCase => {
      if (!current) {
        throw new Error(
          'PersistenceTestCase.use(): there is no current case here; read it inside a test or a ' +
            'beforeEach/afterEach hook registered after use(), not at describe time.',
        );
      }
      return current;
    };
    return {
      get current() {
        return currentCase();
      },
      get home() {
        return currentCase().home;
      },
      get sessionsDir() {
        return currentCase().sessionsDir;
      },
      get configPath() {
        return currentCase().configPath;
      },
      env: (extra) => currentCase().env(extra),
      writeConfig: (config) => currentCase().writeConfig(config),
      sessionPath: (id) => currentCase().sessionPath(id),
    };
  }

  /** True once {@link cleanup} has run. */
  get cleaned(): boolean {
    return this.#cleaned;
  }

  /** An environment for a child process: `process.env`, `JIDO_CODE_HOME` = this home, then `extra`. */
  env(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
    return { ...process.env, [homeVariable]: this.home, ...extra };
  }

  /** Replaces `config.json` with `config` as JSON (mode 0600). Any JSON value, to test refusals too. */
  async writeConfig(config: unknown): Promise<void> {
    await writePrivateJson(this.configPath, config);
  }

  /** `<home>/sessions/<id>.json`. The id is not validated, so tests can build bad paths on purpose. */
  sessionPath(id: string): string {
    return join(this.sessionsDir, `${id}.json`);
  }

  /**
   * Restores `JIDO_CODE_HOME` to its value before {@link create} and removes the home, even if a
   * test left read-only directories in it. Safe to call twice.
   */
  async cleanup(): Promise<void> {
    if (this.#cleaned) return;
    this.#cleaned = true;
    if (this.#previousHome === undefined) delete process.env[homeVariable];
    else process.env[homeVariable] = this.#previousHome;
    try {
      await rm(this.home, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      await makeRemovable(this.home);
      await rm(this.home, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}
