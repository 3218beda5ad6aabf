import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerPath = fileURLToPath(new URL('./workers/session-worker.ts', import.meta.url));

/** A session worker started ahead of time; it does nothing until {@link Worker.go}. */
export class Worker {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  #listeners: (() => void)[] = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@jido-code/source', workerPath, ...args],
      {
        cwd: packageDir,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let pending = '';
    let stderr = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const listener of this.#listeners) listener();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
  }

  /** Lets the worker start its job. */
  go(): void {
    this.child.stdin.write('go\n');
  }

  /** Resolves once `predicate` holds for the lines printed so far (or the worker exits). */
  async until(predicate: (lines: readonly string[]) => boolean): Promise<void> {
    if (predicate(this.lines)) return;
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = () => {
          if (predicate(this.lines)) resolve();
        };
        this.#listeners.push(check);
      }),
      this.exited.then(() => undefined),
    ]);
  }
}
