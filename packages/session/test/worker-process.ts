import { fileURLToPath } from 'node:url';
import { WorkerProcess } from '@jido-code/test-support';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerPath = fileURLToPath(new URL('./workers/session-worker.ts', import.meta.url));

/** Starts `test/workers/session-worker.ts` in a real child process; it does nothing until `go`. */
export function startWorker(args: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  return new WorkerProcess(workerPath, args, { cwd: packageDir, env });
}
