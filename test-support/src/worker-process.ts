import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** How a worker ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Options of {@link WorkerProcess}. */
export interface WorkerProcessOptions {
  /**
   * Working directory of the child. With the default command `--import tsx` is resolved from
   * here, so give a package folder that depends on tsx.
   */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /**
   * Node's arguments up to and including the script, replacing the default
   * `--import tsx --conditions=@jido-code/source <script>` (for instance a pre-bundled script).
   */
  readonly command?: readonly string[] | undefined;
}

/** The default command: the TypeScript script under tsx, workspace packages from source. */
export function tsxCommand(script: string): string[] {
  return ['--import', 'tsx', '--conditions=@jido-code/source', script];
}

/**
 * tsx is an optional peer dependency: only the default command needs it. Without this check a
 * missing tsx shows up as a worker that exits at once with a loader error on its stderr.
 */
function requireTsx(cwd: string): void {
  try {
    createRequire(join(cwd, 'package.json')).resolve('tsx/package.json');
  } catch {
    throw new Error(
      `WorkerProcess runs TypeScript scripts with tsx, which cannot be found from ${cwd}. ` +
        'Install it there (npm install --save-dev tsx) or pass `command` to run a JavaScript script.',
    );
  }
}

/**
 * A TypeScript script in a real child process, driven through stdin and read line by line from
 * stdout: for cross-process and crash tests. Starting a process costs CPU, so tests usually start
 * the next worker while the current one runs and let it wait for a first line (`go`) before it
 * touches anything; the script reads its lines with {@link stdinLines}.
 */
export class WorkerProcess {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Complete stdout lines so far. */
  readonly lines: string[] = [];
  /** Resolves when the process has exited and its output is closed. */
  readonly exited: Promise<WorkerExit>;
  #listeners = new Set<() => void>();
  #exit: WorkerExit | undefined;

  constructor(script: string, args: readonly string[], options: WorkerProcessOptions) {
    if (options.command === undefined) requireTsx(options.cwd);
    const command = options.command ?? tsxCommand(script);
    this.child = spawn(process.execPath, [...command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A killed worker closes its stdin: writes after that must not crash the test process.
    this.child.stdin.on('error', () => undefined);
    let pending = '';
    let stderr = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      if (parts.length === 0) return;
      this.lines.push(...parts);
      this.#notify();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.#exit = { code, signal, stderr };
        this.#notify();
        resolve(this.#exit);
      });
    });
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** True once the process has exited. */
  get done(): boolean {
    return this.#exit !== undefined;
  }

  /** Sends one line to the worker's stdin; ignored once stdin is closed. */
  send(line: string): void {
    if (!this.child.stdin.destroyed) this.child.stdin.write(`${line}\n`);
  }

  /** Sends `go`: lets a worker that was started ahead begin its job. */
  go(): void {
    this.send('go');
  }

  /**
   * Resolves once `predicate` holds for the lines printed so far; rejects if the worker exits
   * first (with the end of its stderr) or after `timeoutMs`, a guard against a hung test rather
   * than a performance assertion.
   */
  until(predicate: (lines: readonly string[]) => boolean, timeoutMs = 120_000): Promise<void> {
    if (predicate(this.lines)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        settle(
          new Error(
            `worker timed out after ${timeoutMs} ms; last lines: ${this.lines.slice(-3).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (predicate(this.lines)) settle();
        else if (this.#exit !== undefined) {
          const how = this.#exit.code ?? this.#exit.signal;
          settle(new Error(`worker exited (${how}) first; stderr: ${this.#exit.stderr.slice(-2000)}`));
        }
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The first line from index `from` on that matches `pattern`, once it is printed. */
  async line(pattern: RegExp, from = 0, timeoutMs?: number): Promise<string> {
    const find = (lines: readonly string[]) => lines.slice(from).find((line) => pattern.test(line));
    await this.until((lines) => find(lines) !== undefined, timeoutMs);
    return find(this.lines) as string;
  }

  /**
   * Waits for the worker to end by itself (at a crash point, say); after `timeoutMs` it is killed
   * and the promise rejects with `message`: a guard against a hang, not a performance assertion.
   */
  exitWithin(timeoutMs: number, message: string): Promise<WorkerExit> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.kill().then(() => reject(new Error(message)));
      }, timeoutMs);
      void this.exited.then((exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
  }

  /**
   * Sends `go`, then SIGKILLs the worker `delayMs` later unless it has ended by then (a kill at a
   * random point); with `undefined` the worker runs to its end.
   */
  async goThenKill(delayMs: number | undefined): Promise<WorkerExit> {
    this.go();
    const timer = delayMs === undefined ? undefined : setTimeout(() => this.child.kill('SIGKILL'), delayMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** SIGKILLs the worker (if still running) and waits until it is gone. */
  async kill(): Promise<WorkerExit> {
    if (!this.done) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** The worker side of the line protocol: see {@link stdinLines}. */
export interface LineInput {
  /** The next line, `undefined` once the input has ended (the parent is gone) or was closed. */
  next(): Promise<string | undefined>;
  /** Stops reading, so that the open stdin no longer keeps the process alive. */
  close(): void;
}

/**
 * Reads a worker's stdin one line at a time. Lines are queued as they arrive, because readline
 * drops a line emitted while nobody listens.
 */
export function stdinLines(input: NodeJS.ReadableStream = process.stdin): LineInput {
  const queued: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const reader = createInterface({ input });
  reader.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  reader.on('close', () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter(undefined);
  });
  return {
    next: () =>
      new Promise((resolve) => {
        const line = queued.shift();
        if (line !== undefined || ended) resolve(line);
        else waiters.push(resolve);
      }),
    close: () => reader.close(),
  };
}
