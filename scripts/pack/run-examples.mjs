// Type-checks and runs the README examples (see readme-examples.mjs) inside the consumer project
// where every tarball is installed. Each example runs with HOME set to an empty scratch folder,
// which must still be empty afterwards: examples work in temporary homes, never the user's.
import { execFile as execFileCallback } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { extractExamples } from './readme-examples.mjs';
import { entrySpecifiers } from './tarball-checks.mjs';

const execFile = promisify(execFileCallback);
const failure = (error) => `${error.stdout ?? ''}${error.stderr ?? error.message}`.trim();

// Type-checked under each of these; the first one also emits the JavaScript that runs.
const settings = [
  {
    label: 'nodenext, exactOptionalPropertyTypes',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    exact: true,
  },
  { label: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', exact: false },
  {
    label: 'bundler, exactOptionalPropertyTypes',
    module: 'preserve',
    moduleResolution: 'bundler',
    exact: true,
  },
  { label: 'bundler', module: 'preserve', moduleResolution: 'bundler', exact: false },
];

/** Links a workspace dev tool that examples need as a peer (vitest, tsx) into the consumer project. */
function linkPeer(root, consumer, name) {
  symlinkSync(realpathSync(join(root, 'node_modules', name)), join(consumer, 'node_modules', name), 'dir');
}

/**
 * `packages`: `{ dir, name, manifest }` of every installed package; `readmes`: the names whose
 * README examples are checked. Every entry point is type-checked under each setting as well.
 */
export async function runReadmeExamples({ root, consumer, packages, readmes }) {
  const problems = [];
  const folder = join(consumer, 'examples');
  mkdirSync(folder);
  for (const peer of ['vitest', 'tsx']) linkPeer(root, consumer, peer);
  const entries = packages.flatMap(({ manifest }) => entrySpecifiers(manifest));
  writeFileSync(
    join(folder, 'entries.ts'),
    entries
      .map((specifier, index) => `import * as entry${index} from '${specifier}';\nvoid entry${index};\n`)
      .join(''),
  );
  copyFileSync(
    join(import.meta.dirname, 'options-accept-undefined.ts'),
    join(folder, 'options-accept-undefined.ts'),
  );
  const examples = [];
  for (const { dir, name } of packages.filter(({ name }) => readmes.has(name))) {
    for (const example of extractExamples(join(dir, 'README.md'))) {
      const file = `${name.replace('@jido-code/', '')}-line-${example.line}${example.vitest ? '.test' : ''}.ts`;
      const where = `${relative(root, dir)}/README.md:${example.line}`;
      examples.push({ ...example, file, where });
      if (example.runnable) writeFileSync(join(folder, file), example.code);
    }
  }
  const runnable = examples.filter((example) => example.runnable);
  await Promise.all(settings.map((setting, index) => typeCheck(consumer, setting, index === 0, problems)));
  for (const example of runnable) await execute(consumer, example, problems);
  const skipped = examples.filter((example) => !example.runnable);
  const summary = [
    `types: ${entries.length} entry points, options-accept-undefined.ts and ${runnable.length} README examples type-check under ${settings.map((setting) => setting.label).join('; ')}`,
    `readme examples: ${runnable.length} run from the installed tarballs, ${skipped.length} not runnable`,
    ...skipped.map((example) => `  not runnable ${example.where}: ${example.reason}`),
  ].join('\n');
  return { problems, summary };
}

async function typeCheck(consumer, setting, emit, problems) {
  const config = `tsconfig.${settingsName(setting)}.json`;
  const compilerOptions = {
    module: setting.module,
    moduleResolution: setting.moduleResolution,
    target: 'ES2023',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: setting.exact,
    skipLibCheck: false,
    ...(emit ? { outDir: 'out', rootDir: 'examples' } : { noEmit: true }),
  };
  writeFileSync(join(consumer, config), JSON.stringify({ compilerOptions, include: ['examples'] }));
  const tsc = join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await execFile(process.execPath, [tsc, '-p', config], { cwd: consumer });
  } catch (error) {
    problems.push(`README examples do not type-check (${setting.label}):\n${failure(error)}`);
  }
}

const settingsName = (setting) => `${setting.moduleResolution}${setting.exact ? '-exact' : ''}`;

async function execute(consumer, example, problems) {
  const home = mkdtempSync(join(consumer, 'home-'));
  const env = { ...process.env, HOME: home, USERPROFILE: home, NO_COLOR: '1' };
  delete env.JIDO_CODE_HOME;
  const compiled = join('out', example.file.replace(/\.ts$/, '.js'));
  const [command, args] = example.vitest
    ? [
        process.execPath,
        [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', '.', '--dir', 'out', compiled],
      ]
    : [process.execPath, [compiled]];
  try {
    await execFile(command, args, { cwd: consumer, env, timeout: 60_000 });
  } catch (error) {
    problems.push(`README example ${example.where} failed when run:\n${failure(error)}`);
  }
  const left = readdirSync(home);
  if (left.length > 0)
    problems.push(`README example ${example.where} wrote into the home folder: ${left.join(', ')}`);
}
