// The bundled binary (scripts/bundle.mjs, run by `pnpm build`): built into a scratch folder, it runs
// like the sources, through the code cache; `jido --version` loads nothing but its tiny entry file,
// and a command runs only the module code it uses.
import { spawn } from 'node:child_process';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, cliRoot, finished, jido, seed } from './jido.js';
import { freshStoreUrl } from './postgres.js';

const testCase = PersistenceTestCase.use();
let root = '';
let bundle = '';

beforeAll(async () => {
  // <scratch>/package.json and <scratch>/dist: the layout the binary reads its version from.
  root = await mkdtemp(join(tmpdir(), 'jido-bundle-'));
  await copyFile(join(cliRoot, 'package.json'), join(root, 'package.json'));
  // The CLI's own dependencies next to it, as an install lays them out: the bundle inlines the
  // workspace packages, so what they load at run time (better-sqlite3) must resolve from here.
  await symlink(join(cliRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  bundle = join(root, 'dist');
  await mkdir(bundle);
  const built = await finished(
    spawn(process.execPath, [join(cliRoot, 'scripts', 'bundle.mjs'), bundle], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  expect(built.code, built.stderr).toBe(0);
  // Each lazily run module of the bundle is an esbuild `__esm` wrapper named by its path: recorded
  // here (in globalThis.__jidoInits, see runBundled) to tell which module code a command ran.
  const cli = join(bundle, 'jido-cli.cjs');
  const text = await readFile(cli, 'utf8');
  const wrapper = 'var __esm=(fn,res,err2)=>function(){';
  expect(text).toContain(wrapper);
  await writeFile(
    cli,
    text.replace(wrapper, `${wrapper}if(fn)globalThis.__jidoInits?.push(__getOwnPropNames(fn)[0]);`),
  );
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * Runs the bundled binary with a module hook that records every ES module it loads, a preload that
 * records the CommonJS modules it required and the bundle's modules whose code ran, and a code
 * cache folder of its own unless `env` names one.
 */
async function runBundled(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const logs = await temporaryFolder('log', 'jido-bundle-log-');
  const log = join(logs, 'modules.txt');
  const required = join(logs, 'required.json');
  const hook = join(await temporaryFolder('hook', 'jido-bundle-hook-'), 'record.mjs');
  const preload = join(logs, 'preload.cjs');
  await writeFile(
    hook,
    `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\\\n');
  return next(url, context);
}\`));`,
  );
  await writeFile(
    preload,
    `globalThis.__jidoInits = [];
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(required)},
  JSON.stringify({ required: Object.keys(require.cache), inits: globalThis.__jidoInits })));`,
  );
  await writeFile(log, '');
  const cacheFolder = join(logs, 'code-cache');
  const run = await finished(
    spawn(process.execPath, ['--require', preload, '--import', hook, join(bundle, 'bin.js'), ...args], {
      env: childEnv(testCase.home, { JIDO_CODE_CACHE_DIR: cacheFolder, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const recorded = JSON.parse(await readFile(required, 'utf8')) as { required: string[]; inits: string[] };
  return {
    ...run,
    modules: modules.map((url) => relative(bundle, fileURLToPath(url))),
    required: recorded.required.filter((file) => file !== preload),
    inits: recorded.inits,
    cacheFolder,
  };
}

describe('the bundled jido binary', () => {
  it('answers --version from its entry file alone', async () => {
    const run = await runBundled(['--version']);
    const version = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8')).version as string;
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(run.modules).toEqual(['bin.js']);
    expect(run.inits).toEqual([]);
  });

  it('runs --help, sessions list and a schema error from the bundle, as the sources do, cached or not', async () => {
    const invalid = join(await temporaryFolder('import', 'jido-bundle-import-'), 'empty.json');
    await writeFile(invalid, '{}');
    const cacheFolder = join(await temporaryFolder('cache', 'jido-bundle-cache-'), 'code-cache');
    for (const args of [
      ['--help'],
      ['sessions', 'list'],
      ['sessions', 'show', 'nothing-here'],
      ['sessions', 'import', invalid, '--verbose'],
    ]) {
      const source = await jido(args, { home: testCase.home });
      // The first start of a fresh cache folder compiles and writes it; the second runs from it.
      for (const attempt of [1, 2]) {
        const bundled = await runBundled(args, { JIDO_CODE_CACHE_DIR: cacheFolder });
        expect(bundled.modules, `attempt ${attempt}`).toEqual(['bin.js', 'bundled-run.js']);
        expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({
          code: source.code,
          stdout: source.stdout,
          stderr: source.stderr,
        });
      }
    }
    const cached = (await readdir(cacheFolder)).filter((name) => name.endsWith('.v8cache'));
    expect(cached).toHaveLength(1);
    expect((await stat(cacheFolder)).mode & 0o777).toBe(0o700);
  });

  it('runs from a stale cache file of the same name as from none: the current code, rewritten', async () => {
    const first = await runBundled(['sessions', 'list']);
    const [name = ''] = (await readdir(first.cacheFolder)).filter((file) => file.endsWith('.v8cache'));
    const path = join(first.cacheFolder, name);
    const stale = Buffer.from(await readFile(path));
    stale[stale.length - 1] = (stale[stale.length - 1] ?? 0) ^ 0xff;
    await writeFile(path, stale);
    const again = await runBundled(['sessions', 'list'], { JIDO_CODE_CACHE_DIR: first.cacheFolder });
    expect({ code: again.code, stdout: again.stdout, stderr: again.stderr }).toEqual({
      code: first.code,
      stdout: first.stdout,
      stderr: first.stderr,
    });
    expect(await readFile(path)).not.toEqual(stale);
  });

  it('works when the cache cannot be written: HOME unusable, or the folder open to others', async () => {
    const scratch = await temporaryFolder('home', 'jido-bundle-rohome-');
    const notAFolder = join(scratch, 'file');
    await writeFile(notAFolder, '');
    const reference = await runBundled(['sessions', 'list']);
    const blocked = await runBundled(['sessions', 'list'], {
      HOME: notAFolder,
      XDG_CACHE_HOME: join(notAFolder, 'cache'),
      JIDO_CODE_CACHE_DIR: '',
    });
    expect({ code: blocked.code, stdout: blocked.stdout, stderr: blocked.stderr }).toEqual({
      code: reference.code,
      stdout: reference.stdout,
      stderr: reference.stderr,
    });
    const open = join(scratch, 'open');
    await mkdir(open, { mode: 0o755 });
    await chmod(open, 0o755);
    const shared = await runBundled(['sessions', 'list'], { JIDO_CODE_CACHE_DIR: open });
    expect(shared.stdout).toBe(reference.stdout);
    expect(await readdir(open)).toEqual([]);
  });

  it('searches through the SQLite index, resolving the native addon from its own dependencies', async () => {
    const factory = new SessionFactory({ seed: 41 });
    const session = factory.session({
      conversation: [factory.message({ content: 'the quokka migration needs a rollback plan' })],
    });
    await seed(testCase.home, [session]);
    const run = await runBundled(['sessions', 'search', 'quokka', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((result: { id: string }) => result.id)).toEqual([session.id]);
    expect((await stat(join(testCase.home, 'index', 'search.db'))).isFile()).toBe(true);
    expect(run.required.some((file) => file.includes('better-sqlite3'))).toBe(true);
  });

  it('loads node-postgres only for a PostgreSQL store, resolving it from its own dependencies', async () => {
    const isPg = (module: string) => /(^|[\\/])pg([\\/]|@)/.test(module);
    const onFiles = await runBundled(['sessions', 'list']);
    expect(onFiles.code).toBe(0);
    expect([...onFiles.modules, ...onFiles.required].filter(isPg)).toEqual([]);
    const onPostgres = await runBundled(['--store', freshStoreUrl(), 'sessions', 'list', '--json']);
    expect(onPostgres.stderr).toBe('');
    expect(onPostgres.code).toBe(0);
    expect(JSON.parse(onPostgres.stdout)).toEqual({ sessions: [], problems: [] });
    expect(onPostgres.required.filter(isPg).length).toBeGreaterThan(0);
  });

  it('runs only the module code a command uses: --help and sessions list run a part of the bundle', async () => {
    const help = await runBundled(['--help']);
    const list = await runBundled(['sessions', 'list']);
    expect(help.code).toBe(0);
    expect(list.code).toBe(0);
    const storage = (name: string) => name.includes('packages/storage/src/');
    expect(help.inits.filter(storage)).toEqual([]);
    expect(list.inits.filter(storage).length).toBeGreaterThan(0);
    // The import readers, the redaction rules, the prompts and the search index's SQLite are not
    // needed to list.
    const notForList = /packages\/import\/src\/|@secretlint|@clack/;
    expect(list.inits.filter((name) => notForList.test(name))).toEqual([]);
    expect(list.required.filter((file) => file.includes('better-sqlite3'))).toEqual([]);
    expect(list.inits.length).toBeGreaterThan(help.inits.length);
  });

  it('starts the shell without the AI SDK when no provider key is set, and with it when one is', async () => {
    const isSdk = (name: string) => /node_modules[\\/](ai|@ai-sdk[\\/][^\\/]+)[\\/]/.test(name);
    // The shell with nothing to read: it starts, answers nothing and leaves.
    const offline = await runBundled([]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.inits.some((name) => name.includes('shell/run-shell'))).toBe(true);
    expect(offline.inits.filter(isSdk)).toEqual([]);
    const keyed = await runBundled([], { OPENAI_API_KEY: 'not-a-real-key' });
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(keyed.inits.filter(isSdk).length).toBeGreaterThan(0);
  });
});
