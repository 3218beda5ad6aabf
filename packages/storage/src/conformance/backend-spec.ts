import type { AppConfigInput } from '@jido-code/core-schema';
import type { SessionBackend } from '../backend/session-backend.js';
import type { SessionStore } from '../session-store.js';

/**
 * How any process opens the backend under test: `module` (an absolute path or file URL) exports
 * `openConformanceStore(options, config)`, which returns a ready store over a fresh handle on the
 * same storage. `options` must survive `JSON.stringify`, since worker processes receive it on argv.
 */
export interface BackendSpec {
  readonly module: string;
  readonly options: unknown;
}

/** The signature `BackendSpec.module` exports as `openConformanceStore`. */
export type OpenConformanceStore = (
  options: unknown,
  config: Partial<AppConfigInput>,
) => Promise<SessionStore<SessionBackend>>;

/** Makes empty storage places for the suite, one per test. */
export interface BackendHarness {
  /** A fresh, empty place to keep sessions; `cleanup` removes it. */
  create(): Promise<{ readonly spec: BackendSpec; cleanup(): Promise<void> }>;
}

/** Opens a store from a spec in this process, exactly as a worker process does. */
export async function openFromSpec(
  spec: BackendSpec,
  config: Partial<AppConfigInput> = {},
): Promise<SessionStore<SessionBackend>> {
  const module = (await import(spec.module)) as { openConformanceStore?: OpenConformanceStore };
  if (typeof module.openConformanceStore !== 'function') {
    throw new Error(`${spec.module} does not export openConformanceStore(options, config)`);
  }
  return module.openConformanceStore(spec.options, config);
}
