import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src/fs/file-system.js';
import { JournalDirectory } from '../../src/journal/index.js';
import { hmacSigner, newSessionId } from './journal-test-kit.js';

const workerPath = fileURLToPath(new URL('./append-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const repositoryRoot = join(packageDir, '..', '..');
/** Kills in the default run; raise it (JIDO_JOURNAL_KILL_ITERATIONS) for a longer soak. */
const iterations = Number(process.env.JIDO_JOURNAL_KILL_ITERATIONS ?? 20);

/**
 * tsx's ESM loader as a file URL for `--import`. pnpm links tsx only into the packages that
 * declare it, so look from here, from the repository root and from pnpm's shared store.
 */
function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  for (const base of [packageDir, repositoryRoot, join(repositoryRoot, 'node_modules', '.pnpm')]) {
    try {
      return pathToFileURL(require.resolve('tsx', { paths: [base] })).href;
    } catch {
      // Try the next place.
    }
  }
  throw new Error('tsx is not installed in the workspace');
}

/** What one worker process acknowledged before it died. */
interface WorkerRun {
  /** Acknowledged appends: seq → "<lane>:<count>". */
  readonly acknowledged: Map<number, string>;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * A worker process, spawned ahead of time: it loads (the slow part, tsx compiling the sources) and
 * then waits, so the next iteration's worker warms up while the current one runs.
 */
class AppendWorker {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #loaded: Promise<void>;
  readonly #exited: Promise<WorkerRun>;
  readonly #acknowledged = new Map<number, string>();
  #killAfter = Number.POSITIVE_INFINITY;

  constructor(dir: string, sessionId: string, loader: string, crashPoint?: string) {
    const env = { ...process.env };
    delete env.JIDO_TEST_CRASH_POINT;
    if (crashPoint !== undefined) env.JIDO_TEST_CRASH_POINT = crashPoint;
    this.#child = spawn(
      process.execPath,
      ['--import', loader, '--conditions=@jido-code/source', workerPath, dir, sessionId],
      { cwd: packageDir, env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let markLoaded = () => {};
    this.#loaded = new Promise((resolve) => {
      markLoaded = resolve;
    });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    this.#child.stdout.on('data', (chunk: Buffer) => {
      const lines = (stdout + chunk.toString()).split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'loaded') markLoaded();
        const [seq, label] = line.split(' ');
        if (label === undefined) continue;
        this.#acknowledged.set(Number(seq), label);
        if (this.#acknowledged.size >= this.#killAfter) this.#child.kill('SIGKILL');
      }
    });
    this.#child.stdin.on('error', () => {
      // The worker may die before reading its go line; its exit is what the test looks at.
    });
    this.#exited = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      this.#child.on('close', (_code, signal) => {
        markLoaded();
        resolve({ acknowledged: this.#acknowledged, signal, stderr });
      });
    });
  }

  /** Lets the worker append; SIGKILL once it acknowledged `killAfter` appends (never if infinite). */
  async run(killAfter: number): Promise<WorkerRun> {
    await this.#loaded;
    this.#killAfter = killAfter;
    this.#child.stdin.write('go\n');
    return this.#exited;
  }

  /** Ends a worker that will not be run. */
  async discard(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }
}

describe('journal under kill -9 of a real process', () => {
  let testCase: PersistenceTestCase;
  let dir: string;
  let loader: string;

  beforeAll(async () => {
    testCase = await PersistenceTestCase.create();
    dir = join(testCase.home, 'journal');
    loader = tsxLoader();
  });
  afterAll(async () => {
    await testCase.cleanup();
  });

  /** Reads the journal and checks that every acknowledged append is in it, with its data. */
  async function expectAllAcknowledged(sessionId: string, acknowledged: Map<number, string>) {
    const read = await new JournalDirectory({ fs: nodeFileSystem, dir, signer: hmacSigner() }).read(
      sessionId,
    );
    if (!read.ok) throw read.error;
    expect(read.value.corruption).toBeUndefined();
    const { records } = read.value;
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
    for (const [seq, label] of acknowledged) {
      const record = records[seq - 1];
      expect(record, `acknowledged seq ${seq} is missing`).toBeDefined();
      const data = record?.data as { lane: number; count: number };
      expect(`${data.lane}:${data.count}`).toBe(label);
    }
    return read.value;
  }

  it(`keeps every acknowledged append across ${iterations} SIGKILLs at random moments of one journal`, {
    timeout: 400_000,
  }, async () => {
    const sessionId = newSessionId();
    const acknowledged = new Map<number, string>();
    // Two workers load ahead of the one running: loading is the slow, CPU-bound part.
    const warming: AppendWorker[] = [];
    let spawned = 0;
    const refill = () => {
      while (warming.length < 2 && spawned < iterations) {
        warming.push(new AppendWorker(dir, sessionId, loader));
        spawned++;
      }
    };
    refill();
    try {
      for (let iteration = 0; iteration < iterations; iteration++) {
        const current = warming.shift();
        if (current === undefined) throw new Error('no worker left');
        refill();
        const run = await current.run(1 + Math.floor(Math.random() * 150));
        expect(run.signal, run.stderr).toBe('SIGKILL');
        for (const [seq, label] of run.acknowledged) acknowledged.set(seq, label);
        await expectAllAcknowledged(sessionId, acknowledged);
      }
    } finally {
      // Workers still warming when a check failed would otherwise wait for their go line forever.
      await Promise.all(warming.map((worker) => worker.discard()));
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(iterations);
  });

  it.each([
    ['journal-mid-append@3', 2],
    ['journal-after-append@5', 1],
  ])(
    'keeps every acknowledged append when the process kills itself at %s (%i rounds)',
    { timeout: 60_000 },
    async (point, rounds) => {
      const sessionId = newSessionId();
      const acknowledged = new Map<number, string>();
      const workers = Array.from({ length: rounds }, () => new AppendWorker(dir, sessionId, loader, point));
      try {
        for (const worker of workers) {
          const run = await worker.run(Number.POSITIVE_INFINITY);
          expect(run.signal, run.stderr).toBe('SIGKILL');
          for (const [seq, label] of run.acknowledged) acknowledged.set(seq, label);
          const contents = await expectAllAcknowledged(sessionId, acknowledged);
          if (point.startsWith('journal-mid-append')) {
            // Killed between the halves of a batch's write: the first half is on disk, as a torn
            // line or, when the half ended on a line boundary, as complete unacknowledged lines.
            const highestAcknowledged = Math.max(0, ...run.acknowledged.keys());
            expect(contents.tornTail || contents.records.length > highestAcknowledged).toBe(true);
          }
        }
      } finally {
        await Promise.all(workers.map((worker) => worker.discard()));
      }
    },
  );
});
