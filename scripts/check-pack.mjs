#!/usr/bin/env node
// Packs every publishable workspace package as it would be published, then, outside the workspace:
// - installs each tarball ALONE into its own scratch project, with only the tarballs of the
//   @jido-code packages it declares (no `overrides`): the @jido-code scope points at a local
//   registry serving the tarballs, so the public registry is never asked for one, and asking for
//   a @jido-code package that was not packed fails the check;
// - checks each tarball (LICENSE, manifest fields, ranges, maps, @types/node), imports every entry
//   point with node, and runs publint and @arethetypeswrong/cli on it;
// - runs the installed `jido --version` and `jido sessions list` (temporary home);
// - installs all tarballs into one consumer project and type-checks and runs every README example
//   (scripts/pack/readme-examples.mjs) under `exactOptionalPropertyTypes` on and off and
//   `moduleResolution` nodenext and bundler.
// Usage: node scripts/check-pack.mjs   (after `pnpm build`; exit 1 on a problem)
//        JIDO_PACK_README=core-schema,crypto limits the README examples to those packages.
import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { startLocalRegistry } from './pack/local-registry.mjs';
import { runReadmeExamples } from './pack/run-examples.mjs';
import { checkInstalledPackage, entrySpecifiers } from './pack/tarball-checks.mjs';

const execFile = promisify(execFileCallback);
// The packages whose README examples are checked (all of them once their examples are fixed).
const readmes = new Set(
  (
    process.env.JIDO_PACK_README ??
    'core-schema,crypto,rate-limit,storage,session,commands,import,agent,cli,test-support'
  )
    .split(',')
    .map((short) => `@jido-code/${short}`),
);
const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'jido-pack-check-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const problems = [];
const run = (command, args, cwd, env = process.env) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const failure = (error) => `${error.stdout ?? ''}${error.stderr ?? error.message}`.trim();

const packageDirs = ['packages', 'apps']
  .flatMap((base) => readdirSync(join(root, base)).map((name) => join(root, base, name)))
  .concat(join(root, 'test-support'))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

const packed = new Map();
await Promise.all(
  packageDirs.map(async (dir) => {
    const { stdout } = await execFile('pnpm', ['pack', '--pack-destination', tarballs, '--json'], {
      cwd: dir,
    });
    const info = JSON.parse(stdout);
    const manifest = JSON.parse(run('tar', ['-xzOf', info.filename, 'package/package.json'], dir));
    packed.set(manifest.name, { name: manifest.name, dir, tarball: info.filename, manifest });
  }),
);

/** The @jido-code packages `name` needs installed: itself and its declared ones, transitively. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { manifest } = packed.get(name);
  for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }))
    if (packed.has(dependency)) closure(dependency, seen);
  return seen;
}

async function npmInstall(project, names, registry) {
  const dependencies = Object.fromEntries(
    names.map((name) => [name, `^${packed.get(name).manifest.version}`]),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies }),
  );
  writeFileSync(join(project, '.npmrc'), registry.npmrc);
  await execFile(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', '--ignore-scripts'],
    {
      cwd: project,
    },
  );
}

async function checkAlone(name, registry) {
  const project = join(scratch, name.replace('@jido-code/', 'alone-'));
  mkdirSync(project);
  try {
    await npmInstall(project, [name], registry);
  } catch (error) {
    problems.push(`${name}: npm install of its tarball alone failed:\n${failure(error)}`);
    return;
  }
  const ours = readdirSync(join(project, 'node_modules', '@jido-code')).map((short) => `@jido-code/${short}`);
  const expected = [...closure(name)];
  if (ours.sort().join() !== expected.sort().join())
    problems.push(
      `${name}: installing it alone brought ${ours.join(', ')}; its declared closure is ${expected.join(', ')}`,
    );
  const installed = join(project, 'node_modules', name);
  problems.push(...checkInstalledPackage(installed, { license }).problems);
  // The main entry imports without optional peers; subpaths may need them (checked in the consumer).
  try {
    await importEntries([name], project);
  } catch (error) {
    problems.push(`${name}: import from its own install failed:\n${failure(error)}`);
  }
  const lint = await publint({ pkgDir: installed, strict: true, level: 'suggestion' });
  for (const message of lint.messages)
    problems.push(`${name}: publint ${message.type} ${message.code} at ${message.path.join('.')}`);
  try {
    await execFile(join(root, 'node_modules', '.bin', 'attw'), [
      packed.get(name).tarball,
      '--profile',
      'esm-only',
      '--no-definitely-typed',
      '--format',
      'ascii',
      '--no-emoji',
      '--no-color',
    ]);
  } catch (error) {
    problems.push(`${name}: @arethetypeswrong/cli found problems:\n${failure(error)}`);
  }
  if (name === '@jido-code/cli') await checkInstalledCli(project);
}

/** Imports each specifier from `project` with node; rejects if one fails or exports nothing. */
async function importEntries(specifiers, project) {
  const script = specifiers
    .map(
      (specifier) =>
        `if (Object.keys(await import('${specifier}')).length === 0) throw new Error('${specifier} exports nothing');`,
    )
    .join('\n');
  await execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
}

async function checkInstalledCli(project) {
  const home = mkdtempSync(join(scratch, 'cli-home-'));
  const env = { ...process.env, HOME: home, JIDO_CODE_HOME: join(home, 'jido'), NO_COLOR: '1' };
  const jido = join(project, 'node_modules', '.bin', 'jido');
  try {
    const { stdout } = await execFile(jido, ['--version'], { cwd: project, env });
    const version = packed.get('@jido-code/cli').manifest.version;
    if (stdout.trim() !== version)
      problems.push(`jido --version printed ${JSON.stringify(stdout.trim())}, not ${version}`);
    await execFile(jido, ['sessions', 'list'], { cwd: project, env });
  } catch (error) {
    problems.push(`the installed jido binary failed:\n${failure(error)}`);
  }
}

const registry = await startLocalRegistry(packed);
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
try {
  const names = [...packed.keys()];
  let since = performance.now();
  for (let at = 0; at < names.length; at += 4)
    await Promise.all(names.slice(at, at + 4).map((name) => checkAlone(name, registry)));
  console.log(`pack: each package installed alone and checked in ${seconds(since)}`);
  since = performance.now();
  const consumer = join(scratch, 'consumer');
  mkdirSync(consumer);
  await npmInstall(consumer, names, registry);
  const entries = [...packed.values()].flatMap(({ manifest }) => entrySpecifiers(manifest));
  const examples = await runReadmeExamples({ root, consumer, packages: [...packed.values()], readmes });
  await importEntries(entries, consumer).catch((error) =>
    problems.push(`importing every entry point failed:\n${failure(error)}`),
  );
  problems.push(...examples.problems);
  console.log(`${examples.summary}\n(in ${seconds(since)})`);
} catch (error) {
  problems.push(failure(error));
} finally {
  await registry.close();
}
for (const request of registry.unknown)
  problems.push(`npm asked for ${request}, which is not a packed @jido-code package`);

// JIDO_PACK_KEEP=1 keeps the scratch projects to debug a failure (the consumer/ one has every
// package installed and the README examples in examples/).
if (process.env.JIDO_PACK_KEEP) console.log(`pack: scratch projects kept in ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log(`pack: ok (${[...packed.keys()].join(', ')}; each installed alone; publint and attw clean)`);
