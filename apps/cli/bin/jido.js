#!/usr/bin/env node
// The `jido` command. It runs the built CLI (dist/bin.js) when there is one: the published package
// and any built checkout. In a fresh clone nothing is built yet, so it runs the TypeScript sources
// in this same process, through tsx's loader (a devDependency) and a hook that adds the workspace's
// source export condition. One process: signals reach the CLI itself, and nothing outlives it.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);

if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write("jido: the CLI is not built. Run 'pnpm build' first.\n");
    process.exit(1);
  }
  tsx.register();
  // Registered last, so it runs first: every resolution below sees the source condition.
  register('./source-condition.js', import.meta.url);
  await import(new URL('../src/bin.ts', import.meta.url).href);
}
