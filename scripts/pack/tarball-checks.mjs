// Checks on one packed and installed package that need no network: what the tarball contains and
// what its published manifest says.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function* filesUnder(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** Returns the problems found in the installed package folder `dir` (its content is the tarball's). */
export function checkInstalledPackage(dir, { license }) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = [...filesUnder(dir)].map((path) => relative(dir, path));
  const name = manifest.name;
  if (!existsSync(join(dir, 'LICENSE'))) problems.push(`${name}: tarball has no LICENSE`);
  else if (readFileSync(join(dir, 'LICENSE'), 'utf8') !== license)
    problems.push(`${name}: LICENSE differs from the repository's`);
  for (const field of ['repository', 'homepage', 'bugs', 'license'])
    if (!manifest[field]) problems.push(`${name}: package.json has no ${field}`);
  if (files.some((file) => file.endsWith('.tsbuildinfo'))) problems.push(`${name}: ships a .tsbuildinfo`);
  if (files.some((file) => file.startsWith('src/') || /\.test\.[jt]s$/.test(file)))
    problems.push(`${name}: ships sources or tests`);
  for (const file of files.filter((file) => file.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if ((map.sourcesContent ?? []).filter((text) => typeof text === 'string').length !== map.sources.length)
      problems.push(`${name}: ${file} points at sources it does not embed`);
  }
  const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const [dependency, range] of Object.entries(ranges)) {
    if (range.startsWith('workspace:')) problems.push(`${name}: ${dependency} keeps a workspace: range`);
    else if (!range.startsWith('^'))
      problems.push(`${name}: ${dependency} is pinned (${range}), not a caret range`);
  }
  const usesNodeTypes = files
    .filter((file) => file.endsWith('.d.ts'))
    .some((file) => /\bBuffer\b|\bNodeJS\.|from 'node:/.test(readFileSync(join(dir, file), 'utf8')));
  if (usesNodeTypes && !manifest.dependencies?.['@types/node'])
    problems.push(`${name}: public types use Node types but @types/node is not a dependency`);
  return { manifest, problems };
}

/** Every import specifier the package's `exports` offers: `name` and `name/sub`. */
export function entrySpecifiers(manifest) {
  return Object.keys(manifest.exports ?? { '.': null })
    .filter((key) => !key.includes('*') && key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}
