import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfigInput } from '@jido-code/core-schema';
import { SessionStore } from '../session-store.js';
import type { BackendHarness } from './backend-spec.js';

/**
 * The file backend's `openConformanceStore`: a store over the home in `options.home`. The suite and
 * its workers import it by module URL (`BackendSpec.module`), which knip cannot follow.
 * @public
 */
export async function openConformanceStore(
  options: unknown,
  config: Partial<AppConfigInput>,
): Promise<SessionStore> {
  const { home } = options as { home: string };
  const opened = await SessionStore.open({ home, env: {}, config });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

/** A harness that gives every test a fresh file home in the OS temp folder. */
export function fileBackendHarness(): BackendHarness {
  return {
    async create() {
      const root = await mkdtemp(join(tmpdir(), 'jido-conformance-'));
      const home = join(root, 'home');
      return {
        spec: { module: import.meta.url, options: { home } },
        cleanup: () => rm(root, { recursive: true, force: true }),
      };
    },
  };
}
