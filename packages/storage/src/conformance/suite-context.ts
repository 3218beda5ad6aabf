import type { AppConfigInput, Result } from '@jido-code/core-schema';
import { afterEach } from 'vitest';
import type { SessionBackend } from '../backend/session-backend.js';
import type { SessionStore } from '../session-store.js';
import { type BackendHarness, type BackendSpec, openFromSpec } from './backend-spec.js';
import { conformanceSession } from './conformance-session.js';
import { type ConformanceWorker, startConformanceWorker } from './run-worker.js';

/** What every case uses: fresh storage per test, stores over it, and worker processes. */
export interface SuiteContext {
  /** Fresh, empty storage and a store over it; removed after the test. */
  fresh(
    config?: Partial<AppConfigInput>,
  ): Promise<{ spec: BackendSpec; store: SessionStore<SessionBackend> }>;
  /** Another store over the same storage, in this process. */
  open(spec: BackendSpec, config?: Partial<AppConfigInput>): Promise<SessionStore<SessionBackend>>;
  /** A worker process over the same storage; killed after the test if still running. */
  worker(spec: BackendSpec, command: string, args: readonly string[]): ConformanceWorker;
}

/** Cross-process cases wait for real processes; generous, since the machine may be shared. */
export const processTimeoutMs = 120_000;

/** The value of an ok result, else throws its error. */
export function must<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** Fresh storage with one saved session whose lease a worker process holds (until it is killed). */
export async function sessionLeasedByAWorker(context: SuiteContext) {
  const { spec, store } = await context.fresh();
  const session = conformanceSession();
  must(await store.save(session));
  const holder = context.worker(spec, 'hold-lease', [session.id]);
  await holder.waitFor('leased');
  return { store, session, holder };
}

export function suiteContext(harness: BackendHarness): SuiteContext {
  const cleanups: (() => Promise<void>)[] = [];
  const workers: ConformanceWorker[] = [];
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.done.catch(() => {});
    }
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async fresh(config = {}) {
      const created = await harness.create();
      cleanups.push(created.cleanup);
      return { spec: created.spec, store: await openFromSpec(created.spec, config) };
    },
    open: (spec, config = {}) => openFromSpec(spec, config),
    worker(spec, command, args) {
      const worker = startConformanceWorker(spec, command, args);
      workers.push(worker);
      return worker;
    },
  };
}
