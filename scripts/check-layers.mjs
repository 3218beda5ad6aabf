#!/usr/bin/env node
// Enforces the layering of docs/architecture.md: each workspace package may import,
// and declare as a dependency, only the layers below it, and only through their public entry point.
// Usage: node scripts/check-layers.mjs [repo-root]   (exit 1 on a violation)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const layers = {
  'core-schema': [],
  crypto: ['core-schema'],
  'rate-limit': ['core-schema'],
  // Leaf: readers of other assistants' session files.
  import: ['core-schema'],
  // The model behind the shell: providers, context, streaming, usage. Stores nothing itself.
  agent: ['core-schema'],
  storage: ['core-schema', 'crypto', 'rate-limit'],
  // Beside the file backend: a second SessionBackend over PostgreSQL.
  'storage-postgres': ['core-schema', 'crypto', 'rate-limit', 'storage'],
  session: ['core-schema', 'crypto', 'storage', 'rate-limit'],
  commands: ['core-schema', 'crypto', 'storage', 'rate-limit', 'session', 'agent'],
  cli: [
    'core-schema',
    'crypto',
    'storage',
    'storage-postgres',
    'rate-limit',
    'session',
    'commands',
    'import',
    'agent',
  ],
  'test-support': ['core-schema'],
  // Private test-only package: exercises every layer from outside.
  reliability: [
    'core-schema',
    'crypto',
    'rate-limit',
    'storage',
    'storage-postgres',
    'session',
    'commands',
    'cli',
    'import',
    'agent',
  ],
};
const root = process.argv[2] ?? process.cwd();
const problems = [];

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?[jt]sx?$/.test(name)) yield path;
  }
}

const packageDirs = [
  ...['packages', 'apps'].flatMap((base) =>
    existsSync(join(root, base)) ? readdirSync(join(root, base)).map((name) => join(root, base, name)) : [],
  ),
  join(root, 'test-support'),
].filter((dir) => existsSync(join(dir, 'package.json')));

for (const dir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const self = manifest.name.replace('@jido-code/', '');
  const allowed = layers[self];
  if (!allowed) {
    problems.push(
      `${relative(root, dir)}: package ${manifest.name} has no layer; add it to scripts/check-layers.mjs`,
    );
    continue;
  }
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (!dependency.startsWith('@jido-code/')) continue;
    const layer = dependency.replace('@jido-code/', '');
    if (!allowed.includes(layer))
      problems.push(`${relative(root, dir)}/package.json: depends on ${dependency}, a layer it may not use`);
  }
  // src/ and test/, or the whole package when it has no src/ (apps/reliability): tests must
  // respect the layering too.
  const roots = existsSync(join(dir, 'src'))
    ? ['src', 'test'].map((name) => join(dir, name)).filter((path) => existsSync(path))
    : [dir];
  for (const file of roots.flatMap((folder) => [...sourceFiles(folder)])) {
    const isTest =
      /\.(test|spec)\.[jt]sx?$/.test(file) ||
      relative(dir, file).split('/').includes('test') ||
      !existsSync(join(dir, 'src'));
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]@jido-code\/([^'"/]+)(\/[^'"]*)?['"]/g,
    )) {
      const [, layer, subpath] = match;
      if (layer === self) {
        if (!isTest) problems.push(`${relative(root, file)}: imports its own package by name`);
      } else if (subpath?.includes('src'))
        problems.push(
          `${relative(root, file)}: reaches into ${layer}${subpath} instead of its public entry point`,
        );
      else if (!isTest && !allowed.includes(layer))
        problems.push(`${relative(root, file)}: ${self} imports ${layer}, a layer it may not use`);
      else if (isTest && layer !== 'test-support' && !allowed.includes(layer))
        problems.push(`${relative(root, file)}: test imports ${layer}, a layer above ${self}`);
    }
    if (/from\s+['"](\.\.\/)+(packages|apps|test-support)\//.test(text))
      problems.push(`${relative(root, file)}: imports another package by relative path`);
  }
}
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('layers: ok');
