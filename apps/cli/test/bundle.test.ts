// The bundled binary (scripts/bundle.mjs, run by `pnpm build`): built into a scratch folder, it runs
// like the sources, and `jido --version` loads nothing but its tiny entry file.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase, temporaryFolder } from '@jido-code/test-support/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, cliRoot, finished, jido, seed } from './jido.js';
import { freshStoreUrl } from './postgres.js';
import { bundleIntoScratch } from './support/scratch-bundle.js';

const testCase = PersistenceTestCase.use();
let root = '';
let bundle = '';

beforeAll(async () => {
  ({ root, out: bundle } = await bundleIntoScratch('jido-bundle-'));
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the bundled binary with a module hook that records every module it loads. */
async function runBundled(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const log = join(await temporaryFolder('log', 'jido-bundle-log-'), 'modules.txt');
  const hook = join(await temporaryFolder('hook', 'jido-bundle-hook-'), 'record.mjs');
  await writeFile(
    hook,
    `import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
// Node's own public modules the process compiled (crypto, child_process, …), listed at exit.
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((name) => /^NativeModule (?!internal\\/)/.test(name));
  appendFileSync(${JSON.stringify(`${log}.builtins`)}, builtins.map((name) => name.slice(13) + '\\n').join(''));
});
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\\\n');
  return next(url, context);
}\`));`,
  );
  await writeFile(log, '');
  await writeFile(`${log}.builtins`, '');
  const run = await finished(
    spawn(process.execPath, ['--import', hook, join(bundle, 'bin.js'), ...args], {
      env: childEnv(testCase.home, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const builtins = (await readFile(`${log}.builtins`, 'utf8')).split('\n').filter(Boolean);
  const loaded = modules.map((url) => relative(bundle, fileURLToPath(url)));
  // The entry compiles its code as a script (scripts/compiled-entry.mjs), which no module hook sees.
  const withScript = loaded.flatMap((module) =>
    module === 'jido-cli.js' ? [module, 'jido-cli.code.js'] : [module],
  );
  return { ...run, modules: withScript, builtins };
}

/** The bundle's modules (the entry and its chunks) whose code contains `marker`. */
async function chunksContaining(marker: string): Promise<string[]> {
  const found: string[] = [];
  const names = [
    'jido-cli.code.js',
    ...(await readdir(join(bundle, 'chunks'))).map((name) => `chunks/${name}`),
  ];
  for (const name of names) {
    if ((await readFile(join(bundle, name), 'utf8')).includes(marker)) found.push(name);
  }
  return found;
}

describe('the bundled jido binary', () => {
  it('answers --version from its entry file alone', async () => {
    const run = await runBundled(['--version']);
    const version = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8')).version as string;
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(run.modules).toEqual(['bin.js']);
  });

  it('runs --help, sessions list and a schema error from the bundle, as the sources do', async () => {
    const invalid = join(await temporaryFolder('import', 'jido-bundle-import-'), 'empty.json');
    await writeFile(invalid, '{}');
    for (const args of [
      ['--help'],
      ['sessions', 'list'],
      ['sessions', 'show', 'nothing-here'],
      ['sessions', 'import', invalid, '--verbose'],
    ]) {
      const [bundled, source] = await Promise.all([runBundled(args), jido(args, { home: testCase.home })]);
      expect(bundled.modules.slice(0, 3)).toEqual(['bin.js', 'jido-cli.js', 'jido-cli.code.js']);
      for (const module of bundled.modules.slice(3)) expect(module).toMatch(/^chunks\/[\w-]+\.js$/);
      expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({
        code: source.code,
        stdout: source.stdout,
        stderr: source.stderr,
      });
    }
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
  });

  it('loads node-postgres only for a PostgreSQL store, resolving it from its own dependencies', async () => {
    const isPg = (module: string) => /(^|[\\/])pg([\\/]|@)/.test(module);
    const onFiles = await runBundled(['sessions', 'list']);
    expect(onFiles.code).toBe(0);
    expect(onFiles.modules.filter(isPg)).toEqual([]);
    const onPostgres = await runBundled(['--store', freshStoreUrl(), 'sessions', 'list', '--json']);
    expect(onPostgres.stderr).toBe('');
    expect(onPostgres.code).toBe(0);
    expect(JSON.parse(onPostgres.stdout)).toEqual({ sessions: [], problems: [] });
    expect(onPostgres.modules.filter(isPg).length).toBeGreaterThan(0);
  });

  it('compiles only what a command runs: --help and sessions list load a part of the bundle', async () => {
    const sizeOf = async (modules: readonly string[]) => {
      let total = 0;
      for (const module of modules) total += (await stat(join(bundle, module))).size;
      return total;
    };
    const all = [
      'bin.js',
      'jido-cli.js',
      'jido-cli.code.js',
      ...(await readdir(join(bundle, 'chunks'))).map((name) => `chunks/${name}`),
    ];
    const whole = await sizeOf(all);
    const help = await runBundled(['--help']);
    const list = await runBundled(['sessions', 'list']);
    expect(help.code).toBe(0);
    expect(list.code).toBe(0);
    // The import readers, the redaction rules and the search index's code are not needed to list.
    expect(await sizeOf(help.modules)).toBeLessThan(whole * 0.5);
    expect(await sizeOf(list.modules)).toBeLessThan(whole * 0.9);
  });

  it('starts sessions list from the entry alone and sessions import from one chunk more, each class defined once', async () => {
    // Node's ESM loader pays about a third of a millisecond per module: what the two commands load
    // at start is merged into the entry and the import command's module (scripts/merge-start.mjs).
    const file = join(await temporaryFolder('merged-import', 'jido-bundle-merged-'), 'session.json');
    await writeFile(file, JSON.stringify(new SessionFactory({ seed: 89 }).session({ messageCount: 2 })));
    const list = await runBundled(['sessions', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.modules).toEqual(['bin.js', 'jido-cli.js', 'jido-cli.code.js']);
    const imported = await runBundled(['sessions', 'import', file, '--new-id']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.modules).toHaveLength(4);
    expect(imported.modules[3]).toMatch(/^chunks\/import-[\w]+\.js$/);
    // It redacts through @jido-code/session/redaction: the session runtime is not part of it.
    const runtime = await chunksContaining('SessionManager=class');
    expect(runtime).toHaveLength(1);
    expect(imported.modules).not.toContain(runtime[0]);
    // A merged chunk is gone, not copied: the chunks that imported it import the merged module, so
    // an error thrown by one part is still a JidoError to another, and one store is shared.
    for (const marker of ['JidoError=class', 'SessionStore=class', 'function formatSessionTable(']) {
      expect(await chunksContaining(marker), marker).toEqual(['jido-cli.code.js']);
    }
    const show = await runBundled(['sessions', 'show', 'nothing-here']);
    expect(show.stderr).toMatch(/^jido: /);
    expect(show.modules.slice(0, 2)).toEqual(['bin.js', 'jido-cli.js']);
  });

  it('lists and imports without Commander and the command table, which every other command line loads', async () => {
    const commanderChunks = await chunksContaining('commander.unknownOption');
    const tableChunks = await chunksContaining('saved sessions, most recently closed first');
    expect(commanderChunks).toHaveLength(1);
    expect(tableChunks).toHaveLength(1);
    const loadsEither = (modules: readonly string[]) =>
      modules.some((module) => commanderChunks.includes(module) || tableChunks.includes(module));
    const file = join(await temporaryFolder('fast-import', 'jido-bundle-fast-'), 'session.json');
    await writeFile(file, JSON.stringify(new SessionFactory({ seed: 83 }).session({ messageCount: 2 })));
    for (const args of [
      ['sessions', 'list'],
      ['sessions', 'list', '--all', '--json'],
      ['--home', testCase.home, 'sessions', 'list', '--verbose'],
      ['sessions', 'import', file, '--new-id'],
      ['sessions', 'import', '--json', file, '--new-id'],
    ]) {
      const run = await runBundled(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(loadsEither(run.modules), args.join(' ')).toBe(false);
    }
    // The controls: help, a usage error and another command go through Commander.
    for (const args of [
      ['--help'],
      ['sessions', 'list', 'extra'],
      ['sessions', 'import', '-'],
      ['sessions', 'trash'],
    ]) {
      const run = await runBundled(args);
      expect(loadsEither(run.modules), args.join(' ')).toBe(true);
    }
  });

  it('lists, imports and reports errors with the listing part of @jido-code/commands, not its runner', async () => {
    const runnerChunks = await chunksContaining('CommandRunner=class');
    const tableChunks = await chunksContaining('function formatSessionTable(');
    expect(runnerChunks).toHaveLength(1);
    expect(tableChunks).toHaveLength(1);
    expect(tableChunks).not.toEqual(runnerChunks);
    const loadsRunner = (modules: readonly string[]) =>
      modules.some((module) => runnerChunks.includes(module));
    const factory = new SessionFactory({ seed: 67 });
    const session = factory.session({ messageCount: 2 });
    await seed(testCase.home, [session]);
    const file = join(await temporaryFolder('listing-import', 'jido-bundle-listing-'), 'session.json');
    await writeFile(file, JSON.stringify(factory.session({ messageCount: 2 })));
    const list = await runBundled(['sessions', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.modules.filter((module) => tableChunks.includes(module))).toEqual(tableChunks);
    for (const args of [
      ['sessions', 'list'],
      ['sessions', 'import', file, '--new-id'],
      ['sessions', 'delete', 'no-such-session'],
    ]) {
      const run = await runBundled(args);
      expect(run.stderr === '' || run.stderr.startsWith('jido: '), run.stderr).toBe(true);
      expect(loadsRunner(run.modules), args.join(' ')).toBe(false);
    }
    // The control: the shell runs its lines through the runner.
    const shell = await runBundled([]);
    expect(shell.code, shell.stderr).toBe(0);
    expect(loadsRunner(shell.modules)).toBe(true);
  });

  it('compiles node:crypto and node:child_process only for a command that uses them', async () => {
    await seed(testCase.home, [new SessionFactory({ seed: 59 }).session({ messageCount: 2 })]);
    // The first listing of a home verifies each file to build its index (crypto); later ones read it.
    const first = await runBundled(['sessions', 'list']);
    expect(first.builtins).toContain('crypto');
    for (const args of [['sessions', 'list'], ['sessions', 'list', '--json'], ['--help']]) {
      const run = await runBundled(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.builtins, args.join(' ')).toContain('fs');
      expect(run.builtins, args.join(' ')).not.toContain('crypto');
    }
    expect((await runBundled(['sessions', 'list'])).builtins).not.toContain('child_process');
    // The control: an import signs the new session, through the same lazily loaded functions.
    const file = join(await temporaryFolder('crypto-import', 'jido-bundle-crypto-'), 'session.json');
    await writeFile(file, JSON.stringify(new SessionFactory({ seed: 61 }).session({ messageCount: 2 })));
    const imported = await runBundled(['sessions', 'import', file, '--new-id']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.builtins).toContain('crypto');
    const verified = await runBundled(['sessions', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.builtins).toContain('crypto');
  });

  it('creates a require function only in the module whose CommonJS helper uses it', async () => {
    const withRequire = async (modules: readonly string[]) => {
      const found: string[] = [];
      for (const module of modules) {
        if ((await readFile(join(bundle, module), 'utf8')).includes('__jidoRequire??=')) found.push(module);
      }
      return found;
    };
    // `sessions show` loads the entry and several chunks.
    const show = await runBundled(['sessions', 'show', 'nothing-here']);
    expect(show.stderr).toMatch(/^jido: /);
    expect(show.modules.length).toBeGreaterThan(5);
    // The helper's chunk, and at most a chunk whose text happens to hold the word (a message).
    const helper = await chunksContaining('__require=(x=>typeof require');
    expect(helper).toHaveLength(1);
    const found = await withRequire(show.modules);
    expect(found).toEqual(expect.arrayContaining(helper));
    expect(found.length).toBeLessThanOrEqual(2);
    // Through it, Commander still loads Node's modules and the search index its native addon.
    const help = await runBundled(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.builtins).toContain('child_process');
    const search = await runBundled(['sessions', 'search', 'anything']);
    expect(search.code, search.stderr).toBe(0);
  });

  it('loads zod only to report a bad document: never to list, search, show, import or resume valid ones', async () => {
    const zodChunks = await chunksContaining('"$ZodType"');
    expect(zodChunks.length).toBeGreaterThan(0);
    const loadsZod = (modules: readonly string[]) => modules.some((module) => zodChunks.includes(module));
    const factory = new SessionFactory({ seed: 43 });
    const folder = await temporaryFolder('zod-import', 'jido-bundle-zod-');
    const session = factory.session({
      project_path: folder,
      conversation: [factory.message({ content: 'the wombat release checklist' })],
    });
    await seed(testCase.home, [session]);
    const valid = join(folder, 'valid.json');
    await writeFile(valid, JSON.stringify(factory.session({ messageCount: 3 })));
    const invalid = join(folder, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ ...session, name: '' }));
    for (const args of [
      ['sessions', 'list'],
      ['sessions', 'search', 'wombat'],
      ['sessions', 'show', session.id],
      ['sessions', 'import', valid, '--new-id'],
      ['resume', session.id],
    ]) {
      const run = await runBundled(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(loadsZod(run.modules), args.join(' ')).toBe(false);
    }
    // The control: a file zod must explain loads it, and the user is told which field is wrong.
    const bad = await runBundled(['sessions', 'import', invalid, '--new-id']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('name');
    expect(loadsZod(bad.modules)).toBe(true);
  });

  it('lists without the session runtime when no journal waits to be recovered', async () => {
    const runtimeChunks = await chunksContaining('SessionManager=class');
    expect(runtimeChunks).toHaveLength(1);
    await seed(testCase.home, [new SessionFactory({ seed: 53 }).session({ messageCount: 2 })]);
    const list = await runBundled(['sessions', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.modules.filter((module) => runtimeChunks.includes(module))).toEqual([]);
    // A journal left behind (here: an empty one) is what needs the runtime: recovery loads it.
    await mkdir(join(testCase.home, 'journal'), { recursive: true, mode: 0o700 });
    await writeFile(join(testCase.home, 'journal', `${randomUUID()}.jsonl`), '', { mode: 0o600 });
    const recovering = await runBundled(['sessions', 'list']);
    expect(recovering.modules.filter((module) => runtimeChunks.includes(module))).toEqual(runtimeChunks);
  });

  it('loads the secret rules only for text that could hold a secret', async () => {
    // The preset's rules (they bundle lodash); the rule names alone are also in the scanner's chunk.
    const ruleChunks = await chunksContaining('__lodash_hash_undefined__');
    expect(ruleChunks.length).toBeGreaterThan(0);
    const loadsRules = (modules: readonly string[]) => modules.some((module) => ruleChunks.includes(module));
    const factory = new SessionFactory({ seed: 47 });
    const folder = await temporaryFolder('rules-import', 'jido-bundle-rules-');
    const plain = join(folder, 'plain.json');
    const prose = factory.session({
      conversation: [factory.message({ content: 'The release notes are ready; the tests pass on Node 20.' })],
    });
    await writeFile(plain, JSON.stringify(prose));
    const withKey = join(folder, 'with-key.json');
    const keyed = factory.session({
      conversation: [factory.message({ content: 'use AKIAIOSFODNN7EXAMPLF as the key id' })],
    });
    await writeFile(withKey, JSON.stringify(keyed));
    const clean = await runBundled(['sessions', 'import', plain, '--new-id']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(loadsRules(clean.modules)).toBe(false);
    const secret = await runBundled(['sessions', 'import', withKey, '--new-id']);
    expect(secret.code, secret.stderr).toBe(0);
    expect(loadsRules(secret.modules)).toBe(true);
  });

  it('starts the shell without the AI SDK when no provider key is set, and with it when one is', async () => {
    const sdkChunks = await chunksContaining('function streamText(');
    expect(sdkChunks).toHaveLength(1);
    // The shell with nothing to read: it starts, answers nothing and leaves.
    const offline = await runBundled([]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.modules.some((module) => module.includes('run-shell'))).toBe(true);
    expect(offline.modules.filter((module) => sdkChunks.includes(module))).toEqual([]);
    const keyed = await runBundled([], { OPENAI_API_KEY: 'not-a-real-key' });
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(keyed.modules.filter((module) => sdkChunks.includes(module))).toEqual(sdkChunks);
  });
});
