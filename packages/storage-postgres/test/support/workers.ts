import { fileURLToPath } from 'node:url';
import { WorkerProcess } from '@jido-code/test-support';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./pg-worker.ts', import.meta.url));

/** A pg-worker process over the given spec options; resolves once it has opened its store. */
export async function startPgWorker(options: object): Promise<PgWorker> {
  const worker = new PgWorker(new WorkerProcess(script, [JSON.stringify(options)], { cwd: packageDir }));
  await worker.process.line(/^ready$/);
  return worker;
}

/** Sends commands and reads their one-line replies in order. */
export class PgWorker {
  readonly process: WorkerProcess;
  #read = 1;

  constructor(process: WorkerProcess) {
    this.process = process;
  }

  get pid(): number {
    return this.process.child.pid ?? 0;
  }

  /** Sends one command line and resolves with its reply. */
  async ask(line: string, timeoutMs = 120_000): Promise<string> {
    this.process.send(line);
    const reply = await this.process.line(/^(ok|err) /, this.#read, timeoutMs);
    this.#read = this.process.lines.indexOf(reply, this.#read) + 1;
    return reply;
  }

  async stop(): Promise<void> {
    await this.process.kill();
  }
}
