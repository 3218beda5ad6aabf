import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitForFile}. */
export interface WaitForFileOptions {
  /** Give up after this many milliseconds. Default 5000. */
  readonly timeoutMs?: number | undefined;
  /** First pause between checks, in milliseconds; it doubles after each miss. Default 10. */
  readonly intervalMs?: number | undefined;
  /** Longest pause between checks, in milliseconds. Default 200. */
  readonly maxIntervalMs?: number | undefined;
  /**
   * Extra condition on the file, given its contents and stat; the wait goes on until it returns
   * true. A predicate that throws (say, JSON.parse of a half-written file) counts as "not yet".
   */
  readonly predicate?: ((contents: Buffer, stat: Stats) => boolean | Promise<boolean>) | undefined;
  /** How to pause between checks; tests of the backoff itself inject one that records the delays. */
  readonly sleep?: ((milliseconds: number) => Promise<unknown>) | undefined;
}

function checkDuration(name: string, value: number, allowZero: boolean): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `waitForFile: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Polls until `path` exists (following symlinks) and, when given, `predicate` passes, then
 * resolves with the file's stat. Pauses grow from `intervalMs` to `maxIntervalMs`. On timeout it
 * rejects with an Error naming the path, the timeout and the last reason the check failed.
 * Uses real time: do not call it under fake timers.
 */
export async function waitForFile(path: string, options: WaitForFileOptions = {}): Promise<Stats> {
  const { timeoutMs = 5000, intervalMs = 10, maxIntervalMs = 200, predicate, sleep: pause = sleep } = options;
  checkDuration('timeoutMs', timeoutMs, true);
  checkDuration('intervalMs', intervalMs, false);
  checkDuration('maxIntervalMs', maxIntervalMs, false);
  const deadline = performance.now() + timeoutMs;
  let delay = Math.min(intervalMs, maxIntervalMs);
  let reason = 'it does not exist';
  let cause: unknown;
  for (;;) {
    try {
      const info = await stat(path);
      if (!predicate) return info;
      const contents = await readFile(path);
      if (await predicate(contents, info)) return info;
      reason = 'the predicate did not pass';
      cause = undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      reason =
        code === 'ENOENT'
          ? 'it does not exist'
          : code
            ? `it cannot be read (${code})`
            : `the predicate threw: ${describe(error)}`;
      cause = error;
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    await pause(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxIntervalMs);
  }
  const message = `waitForFile: timed out after ${timeoutMs} ms waiting for ${path} (${reason})`;
  throw cause === undefined ? new Error(message) : new Error(message, { cause });
}
