import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrashPoint } from '@jido-code/storage/internal';
import { tsxCommand, WorkerProcess } from '@jido-code/test-support';

/** The reliability package folder: workers run with it as their working directory, so tsx resolves. */
const reliabilityDir = fileURLToPath(new URL('../..', import.meta.url));

interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

/**
 * esbuild, as shipped with tsx (tsx transforms with it), or undefined. Not a dependency of its own:
 * when it cannot be found the workers simply run through tsx.
 */
function findEsbuild(): Esbuild | undefined {
  try {
    const fromPackage = createRequire(join(reliabilityDir, 'package.json'));
    return createRequire(fromPackage.resolve('tsx'))('esbuild') as Esbuild;
  } catch {
    return undefined;
  }
}

let bundleDir: string | undefined;
const bundlePrefix = 'jido-reliability-workers-';

/**
 * Test processes are often ended without running exit handlers, so bundle folders older than a
 * day (no run lasts that long) are removed when a new one is made.
 */
function removeStaleBundles(): void {
  const cutoff = Date.now() - 24 * 60 * 60 * 1000;
  try {
    for (const name of readdirSync(tmpdir())) {
      if (!name.startsWith(bundlePrefix)) continue;
      const path = join(tmpdir(), name);
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // best effort
  }
}
const bundles = new Map<string, string>();

const workerSource = (name: string) => fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));

/**
 * The command line of a worker. A worker started through tsx costs about 1.5 s of CPU (the loader,
 * then every workspace module transformed on the fly); the crash tests start a hundred or more.
 * So, unless `JIDO_RELIABILITY_WORKERS=tsx`, each worker file is bundled once per test process
 * from the current sources (the `@jido-code/source` condition, as under tsx) into one ES module
 * that plain node starts in about 0.3 s. Same code, same process boundary, no build step to run
 * first; without esbuild it falls back to tsx.
 */
function workerArgs(name: string): string[] {
  const source = workerSource(name);
  const tsx = tsxCommand(source);
  if (process.env.JIDO_RELIABILITY_WORKERS === 'tsx') return tsx;
  const cached = bundles.get(name);
  if (cached !== undefined) return [cached];
  const esbuild = findEsbuild();
  if (esbuild === undefined) return tsx;
  if (bundleDir === undefined) {
    removeStaleBundles();
    const created = mkdtempSync(join(tmpdir(), bundlePrefix));
    bundleDir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  const outfile = join(bundleDir, `${name}.mjs`);
  try {
    esbuild.buildSync({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@jido-code/source'],
      logLevel: 'error',
      // Bundled CommonJS dependencies may call require().
      banner: {
        js: "import { createRequire as jidoCreateRequire } from 'node:module'; const require = jidoCreateRequire(import.meta.url);",
      },
    });
  } catch {
    return tsx;
  }
  bundles.set(name, outfile);
  return [outfile];
}

/**
 * A TypeScript worker in a real child process (`test/workers/<name>.ts`, workspace packages from
 * source; see {@link workerArgs}). Starting one still costs CPU, so tests start the next worker
 * while the current one runs: every worker waits for a first stdin line (`go`) before it touches
 * the home.
 */
export class Worker extends WorkerProcess {
  constructor(name: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    super(workerSource(name), args, { cwd: reliabilityDir, env, command: workerArgs(name) });
  }
}

/**
 * Starts workers ahead: {@link WorkerQueue.next} hands out the oldest pre-started worker and starts
 * a successor at once, so that start-up (about a second of CPU under tsx) overlaps the current
 * worker's run and the parent's checks.
 */
export class WorkerQueue {
  readonly #upcoming: Worker[] = [];
  readonly #make: (index: number) => Worker;
  readonly #ahead: number;
  #index = 0;

  constructor(
    make: (index: number) => Worker,
    options: { readonly ahead?: number; readonly total?: number } = {},
  ) {
    this.#make = make;
    this.#ahead = Math.max(1, options.ahead ?? 1);
    this.#total = options.total ?? Number.POSITIVE_INFINITY;
    this.#fill();
  }

  readonly #total: number;

  #fill(): void {
    while (this.#upcoming.length < this.#ahead && this.#index < this.#total) {
      this.#upcoming.push(this.#make(this.#index++));
    }
  }

  /** The oldest pre-started worker; successors start while it runs. */
  next(): Worker {
    const current = this.#upcoming.shift() ?? this.#make(this.#index++);
    this.#fill();
    return current;
  }

  /** Kills the pre-started workers nobody will use. */
  async close(): Promise<void> {
    const upcoming = this.#upcoming.splice(0);
    await Promise.all(upcoming.map((worker) => worker.kill()));
  }
}

/** The environment of a worker that SIGKILLs itself at the `nth` time it reaches `point` (none: never). */
export function crashPointEnv(point: CrashPoint | undefined, nth: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.JIDO_TEST_CRASH_POINT;
  if (point !== undefined) env.JIDO_TEST_CRASH_POINT = `${point}@${nth}`;
  return env;
}

/**
 * Workers `name args`, two started ahead, one per plan: the index-th dies at `plans[index]` (at its
 * first, second or third reach, in turn), or runs until the test kills it where the plan is empty.
 */
export function crashPlanQueue(
  plans: readonly (CrashPoint | undefined)[],
  name: string,
  args: readonly string[],
): WorkerQueue {
  return new WorkerQueue((index) => new Worker(name, args, crashPointEnv(plans[index], 1 + (index % 3))), {
    ahead: 2,
    total: plans.length,
  });
}
