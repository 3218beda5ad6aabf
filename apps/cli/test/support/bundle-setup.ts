// Builds the `jido` binary once per test run, from the current sources, the way `pnpm build` does
// (scripts/bundle.mjs), into a scratch folder laid out as an install is: <root>/package.json,
// <root>/node_modules (the CLI's own dependencies) and <root>/dist. The tests start this build
// instead of the sources through tsx: the same code, but a start compiles a few bundled modules
// instead of transforming hundreds of TypeScript files, which made each start take seconds.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `dist/bin.js` of this run (see test/support/bundle-setup.ts). */
    jidoBin: string;
  }
}

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'jido-cli-bin-'));
  await copyFile(join(cliRoot, 'package.json'), join(root, 'package.json'));
  await symlink(join(cliRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const dist = join(root, 'dist');
  await mkdir(dist);
  const child = spawn(process.execPath, [join(cliRoot, 'scripts', 'bundle.mjs'), dist], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`Bundling the CLI for the tests failed (exit ${code}):\n${stderr}`);
  project.provide('jidoBin', join(dist, 'bin.js'));
  return () => rm(root, { recursive: true, force: true });
}
