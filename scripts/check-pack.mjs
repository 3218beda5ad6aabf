#!/usr/bin/env node
// Packs every workspace package the way it would be published and installs the tarballs into a
// scratch project outside the workspace, then imports each one from Node and type-checks an import
// of each with TypeScript. Catches broken `exports`, missing `files` and `workspace:` leaks.
// Usage: node scripts/check-pack.mjs   (run after `pnpm build`; exit 1 on a problem)
import { execFileSync } from 'node:child_process';
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

const root = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'jido-pack-check-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
const problems = [];
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const packageDirs = ['packages', 'apps']
  .flatMap((base) =>
    (existsSync(join(root, base)) ? readdirSync(join(root, base)) : []).map((name) => join(root, base, name)),
  )
  .concat(join(root, 'test-support'))
  .filter((dir) => existsSync(join(dir, 'src', 'index.ts')));

const packed = [];
for (const dir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const output = run('pnpm', ['pack', '--pack-destination', tarballs, '--json'], dir);
  const info = JSON.parse(output);
  const files = info.files.map((file) => file.path);
  for (const needed of ['package.json', 'dist/index.js', 'dist/index.d.ts']) {
    if (!files.includes(needed)) problems.push(`${manifest.name}: tarball lacks ${needed}`);
  }
  if (files.some((file) => file.startsWith('src/') || file.endsWith('.test.js'))) {
    problems.push(`${manifest.name}: tarball ships sources or tests`);
  }
  packed.push({ name: manifest.name, tarball: info.filename, manifest });
}

const dependencies = Object.fromEntries(packed.map(({ name, tarball }) => [name, `file:${tarball}`]));
writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify(
    { name: 'scratch', private: true, type: 'module', dependencies, overrides: dependencies },
    null,
    2,
  ),
);
try {
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], scratch);
} catch (error) {
  problems.push(`npm install of the tarballs failed:\n${error.stderr ?? error.message}`);
}

for (const { name } of packed) {
  const installed = JSON.parse(readFileSync(join(scratch, 'node_modules', name, 'package.json'), 'utf8'));
  const leaked = JSON.stringify({ ...installed.dependencies, ...installed.peerDependencies }).includes(
    'workspace:',
  );
  if (leaked) problems.push(`${name}: published manifest still has a workspace: range`);
  if (JSON.stringify(installed.exports).includes('@jido-code/source'))
    problems.push(`${name}: published exports keep the source condition`);
  try {
    const keys = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length)`,
      ],
      scratch,
    );
    if (Number(keys.trim()) === 0) problems.push(`${name}: imports but exports nothing`);
  } catch (error) {
    problems.push(`${name}: import failed:\n${error.stderr ?? error.message}`);
  }
}

const typesCheck = packed
  .map(
    ({ name }, index) => `import * as package${index} from ${JSON.stringify(name)};\nvoid package${index};`,
  )
  .join('\n');
writeFileSync(join(scratch, 'index.ts'), `${typesCheck}\n`);
writeFileSync(
  join(scratch, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2023',
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: false,
      typeRoots: [join(root, 'node_modules', '@types')],
    },
    files: ['index.ts'],
  }),
);
try {
  run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    scratch,
  );
} catch (error) {
  problems.push(
    `type-check of the installed packages failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
  );
}

rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log(`pack: ok (${packed.map(({ name }) => name).join(', ')})`);
