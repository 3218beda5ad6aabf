import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForOtherUser } from '@jido-code/test-support';

/** The storage package folder (child processes run with it as their working directory). */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = resolve(packageDir, '../..');

/** tsx's ESM loader: from this package if it can see tsx, else from the repository root. */
function tsxLoader(): string {
  const bases = [
    join(packageDir, 'package.json'),
    join(repositoryRoot, 'package.json'),
    join(repositoryRoot, 'node_modules/.pnpm/node_modules/.resolve-base'),
  ];
  for (const base of bases) {
    try {
      return pathToFileURL(createRequire(base).resolve('tsx')).href;
    } catch {
      // try the next base
    }
  }
  throw new Error('Cannot find tsx: the cross-process tests need it to run TypeScript workers.');
}

const loader = tsxLoader();

/** Output of a finished worker. */
export interface WorkerOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `test/workers/<name>.ts` in a real child process, workspace packages resolved from source. */
export function startWorker(
  name: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess & { outcome: Promise<WorkerOutcome> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      loader,
      '--conditions=@jido-code/source',
      join(packageDir, 'test/workers', `${name}.ts`),
      ...args,
    ],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'], ...options },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const outcome = new Promise<WorkerOutcome>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { outcome });
}

/** Runs a worker to completion and fails with its stderr if it did not exit 0. */
export async function runWorker(
  name: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<string> {
  const outcome = await startWorker(name, args, options).outcome;
  if (outcome.code !== 0) {
    throw new Error(`worker ${name} exited with ${outcome.code ?? outcome.signal}: ${outcome.stderr}`);
  }
  return outcome.stdout;
}

/**
 * Runs `test/workers/<name>.ts` bundled into a world-readable temporary folder (its working
 * directory), for a child with another uid: it reads nothing inside the checkout.
 */
export async function runBundledWorker(
  name: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<string> {
  const bundle = await bundleForOtherUser(join(packageDir, 'test/workers', `${name}.ts`));
  try {
    const child = spawn(process.execPath, [bundle.script, ...args], {
      cwd: bundle.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('close', resolvePromise);
    });
    if (code !== 0) throw new Error(`bundled worker ${name} exited with ${code}: ${stderr}`);
    return stdout;
  } finally {
    await bundle.cleanup();
  }
}
