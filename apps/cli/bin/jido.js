#!/usr/bin/env node
// The `jido` command. It runs the built CLI (dist/bin.js) when there is one: the published package
// and any built checkout. In a fresh clone nothing is built yet, so it runs the TypeScript sources
// through tsx (a devDependency), with the workspace's source export condition.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);

if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  let loader;
  try {
    loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  } catch {
    process.stderr.write("jido: the CLI is not built. Run 'pnpm build' first.\n");
    process.exit(1);
  }
  const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', loader, '--conditions=@jido-code/source', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  // SIGTERM and SIGHUP are passed on. SIGINT is not: a terminal's Ctrl+C already reaches the whole
  // process group, and forwarding it would deliver it twice. Until the child exits, this process
  // stays alive so that the child can close and save its sessions.
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + (constants.signals[signal] ?? 0));
  });
}
