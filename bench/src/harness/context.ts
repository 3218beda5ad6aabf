import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfigInput, Result } from '@jido-code/core-schema';
import { nodeFileSystem, SessionStore, type StorageOptions } from '@jido-code/storage';
import type { SessionFactory, SessionOverrides } from '@jido-code/test-support';
import { type SamplingPlan, scaledPlan } from './compare.js';
import { unsyncedFileSystem } from './counting-file-system.js';

/** What every figure gets: where to write, how much time to spend, where to log progress. */
export interface BenchContext {
  /** A fresh directory under the OS temp dir; removed at the end. */
  readonly root: string;
  /** Where the plain-Node floors write their files (same file system as the homes). */
  readonly floorDir: string;
  /** An existing folder used as every session's project path (resume validates it). */
  readonly projectDir: string;
  /** The repository root (for the CLI). */
  readonly repoRoot: string;
  /** `--quick`: smaller sizes and budgets, for a smoke run. */
  readonly quick: boolean;
  /** Explanations that go into the JSON (and are printed). */
  readonly notes: string[];
  /** Progress line on stderr. */
  readonly log: (line: string) => void;
}

/** Limits raised so that fixtures and repeated resumes are not refused by the defaults. */
export const benchConfig: Partial<AppConfigInput> = {
  max_sessions: 1_000_000,
  resume_limit_per_session: 10_000,
  resume_limit_global: 100_000,
};

/** The plan, shrunk in a quick run. */
export function planFor(context: BenchContext, plan: SamplingPlan): SamplingPlan {
  return context.quick ? scaledPlan(plan, 0.25) : plan;
}

/** The value of an ok result; throws the error of a failed one (the bench stops on any failure). */
export function unwrap<T>(result: Result<T>, what: string): T {
  if (!result.ok) {
    throw new Error(`${what} failed: ${result.error.code}: ${result.error.message}`, { cause: result.error });
  }
  return result.value;
}

/** Opens a store on `home` with the bench's raised limits. */
export async function openStore(home: string, options: StorageOptions = {}): Promise<SessionStore> {
  return unwrap(await SessionStore.open({ home, config: benchConfig, ...options }), 'SessionStore.open');
}

/**
 * Adds `count` sessions to `target` through its own save path, faster than saving into a folder
 * that already holds thousands of files (each new session makes the store count the folder). The
 * sessions are saved by a staging store that shares the target's keyring, with fsync skipped, in
 * batches into an almost empty folder, then renamed into the target's sessions folder. Every byte
 * is what `store.save` wrote; the target's first listing parses and verifies each file.
 */
export async function addSessions(
  context: BenchContext,
  target: SessionStore,
  factory: SessionFactory,
  count: number,
  overrides: SessionOverrides | (() => SessionOverrides),
): Promise<void> {
  const overridesOf = typeof overrides === 'function' ? overrides : () => overrides;
  unwrap(await target.keyring(), 'the keyring');
  const stagingHome = join(context.root, `staging-${process.hrtime.bigint()}`);
  await mkdir(join(stagingHome, 'keys'), { recursive: true, mode: 0o700 });
  await copyFile(target.backend.layout.keyringFile, join(stagingHome, 'keys', 'keyring.json'));
  const staging = await openStore(stagingHome, { fs: unsyncedFileSystem(nodeFileSystem) });
  // About 50,000 messages in memory at a time, at most 250 sessions per batch.
  const perSession = typeof overrides === 'function' ? 100 : (overrides.messageCount ?? 2);
  const batchSize = Math.max(1, Math.min(250, Math.floor(50_000 / Math.max(1, perSession))));
  const concurrency = 8;
  for (let done = 0; done < count; done += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - done) }, () =>
      factory.session(overridesOf()),
    );
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < batch.length; index = next++) {
        const session = batch[index];
        if (session !== undefined) unwrap(await staging.save(session), 'fixture save');
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    for (const session of batch) {
      await rename(
        staging.backend.layout.sessionFile(session.id),
        target.backend.layout.sessionFile(session.id),
      );
    }
  }
}
