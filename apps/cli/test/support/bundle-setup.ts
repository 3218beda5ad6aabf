// Builds the `jido` binary once per test run, from the current sources, the way `pnpm build` does
// (scripts/bundle.mjs), into a scratch folder laid out as an install is: <root>/package.json,
// <root>/node_modules (the CLI's own dependencies) and <root>/dist. The tests start this build
// instead of the sources through tsx: the same code, but a start compiles a few bundled modules
// instead of transforming hundreds of TypeScript files, which made each start take seconds.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleIntoScratch } from './scratch-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `dist/bin.js` of this run (see test/support/bundle-setup.ts). */
    jidoBin: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { root, out } = await bundleIntoScratch('jido-cli-bin-');
  project.provide('jidoBin', join(out, 'bin.js'));
  return () => rm(root, { recursive: true, force: true });
}
