import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendSpec } from './backend-spec.js';

/** From source (`.ts`), workers run through tsx with the source condition; built, with plain node. */
const fromSource = import.meta.url.endsWith('.ts');
const workerPath = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));

function loaderArguments(): string[] {
  if (!fromSource) return [];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, '--conditions=@jido-code/source'];
}

/** A started worker: its output so far and how it ended. */
export interface ConformanceWorker {
  readonly child: ChildProcess;
  /** Resolves once stdout contains `text`; rejects if the worker exits first. */
  waitFor(text: string): Promise<void>;
  /** Resolves with stdout on exit 0; rejects with stderr otherwise. */
  readonly done: Promise<string>;
}

/** Starts the conformance worker in a real child process. */
export function startConformanceWorker(
  spec: BackendSpec,
  command: string,
  args: readonly string[],
): ConformanceWorker {
  const child = spawn(
    process.execPath,
    [...loaderArguments(), workerPath, JSON.stringify(spec), command, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.filter((entry) => stdout.includes(entry.text))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`conformance worker ${command} ended with ${code ?? signal}: ${stderr}`));
    });
  });
  done.catch(() => {});
  return {
    child,
    done,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        waiters.push({ text, resolve });
        done.then(() => reject(new Error(`worker exited before "${text}": ${stderr}`)), reject);
      }),
  };
}
