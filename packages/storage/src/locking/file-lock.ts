import { JidoError, type Logger, silentLogger } from '@jido-code/core-schema';
import { reachCrashPoint } from '../crash-points.js';
import type { FileSystem } from '../fs/file-system.js';
import { KeyedQueue } from './keyed-queue.js';
import { LockQueue } from './lock-queue.js';
import {
  holderIsLive,
  inspectOwner,
  markReleased,
  newOwnerRecord,
  type OwnerRecord,
  takeOverStale,
  tryCreateExclusive,
} from './owner-record.js';

/** Options for {@link FileLock.acquire}. */
export interface FileLockOptions {
  /** A lock whose holder cannot be checked (other host, unreadable record) is stale past this age. */
  readonly staleMs: number;
  /** How long to wait for a live holder before failing with `lock_timeout`. */
  readonly timeoutMs: number;
  /** Clock for the record's creation time and age checks. */
  readonly now?: (() => Date) | undefined;
  /** Receives takeovers and contention at debug level. */
  readonly logger?: Logger | undefined;
}

const firstDelayMs = 2;
const maxDelayMs = 50;

/** The outcome of one try: the lock, or the live holder that has it. */
type Attempt = { readonly lock: FileLock } | { readonly holder: OwnerRecord | null };

/**
 * A cross-process exclusive lock: a file created with `O_CREAT|O_EXCL|O_NOFOLLOW` holding
 * `{pid, host, nonce, created_at}`. A lock whose holder died (same host, pid gone) is taken over at
 * once; one whose holder cannot be checked is taken over once older than `staleMs`. Takeover renames
 * the stale file to a unique name first, so only one process can win it. Waiters are served in the
 * order they came (a {@link LockQueue} of tickets), so none waits while others go round again.
 * Local file systems only.
 */
export class FileLock {
  /** The lock file. */
  readonly path: string;
  /** What this holder wrote into it. */
  readonly record: OwnerRecord;
  readonly #fs: FileSystem;
  readonly #logger: Logger;
  #released = false;

  private constructor(fs: FileSystem, path: string, record: OwnerRecord, logger: Logger) {
    this.#fs = fs;
    this.path = path;
    this.record = record;
    this.#logger = logger;
  }

  /**
   * Takes the lock at once when nobody is waiting for it; otherwise takes a ticket and waits its
   * turn (woken by changes in the lock's folder, polling with backoff), then waits for the holder.
   * Throws `JidoError('lock_timeout')` after `timeoutMs`. The lock's directory must exist.
   */
  static async acquire(fs: FileSystem, path: string, options: FileLockOptions): Promise<FileLock> {
    const now = options.now ?? (() => new Date());
    const logger = options.logger ?? silentLogger;
    const started = Date.now();
    const queue = new LockQueue(fs, path, { staleMs: options.staleMs, now }, logger);
    if ((await queue.first()) === undefined) {
      const attempt = await FileLock.#attempt(fs, path, options, now, logger);
      if ('lock' in attempt) return attempt.lock;
    }
    const ticket = await queue.take(now());
    const changes = queue.watch();
    try {
      let delay = firstDelayMs;
      for (;;) {
        let holder: OwnerRecord | null = null;
        if ((await queue.first())?.name === ticket.name) {
          const attempt = await FileLock.#attempt(fs, path, options, now, logger);
          if ('lock' in attempt) return attempt.lock;
          holder = attempt.holder;
        }
        const elapsed = Date.now() - started;
        if (elapsed >= options.timeoutMs) {
          throw new JidoError(
            'lock_timeout',
            'Another jido process is busy with this data; try again shortly.',
            {
              details: { path, waitedMs: elapsed, holder },
            },
          );
        }
        const wait = Math.min(delay, options.timeoutMs - elapsed) * (0.5 + Math.random() / 2);
        await changes.wait(Math.max(1, wait));
        delay = Math.min(delay * 2, maxDelayMs);
      }
    } finally {
      changes.close();
      await queue.leave(ticket);
    }
  }

  /** Tries to create the lock, taking over a stale one; reports the live holder otherwise. */
  static async #attempt(
    fs: FileSystem,
    path: string,
    options: FileLockOptions,
    now: () => Date,
    logger: Logger,
  ): Promise<Attempt> {
    for (;;) {
      const record = newOwnerRecord(now());
      if (await tryCreateExclusive(fs, path, record)) {
        reachCrashPoint('holding-lock');
        return { lock: new FileLock(fs, path, record, logger) };
      }
      const owner = await inspectOwner(fs, path);
      if (owner === undefined) continue;
      if (!holderIsLive(owner, { staleMs: options.staleMs, now })) {
        if (await takeOverStale(fs, path, owner, logger)) continue;
      }
      return { holder: owner.record ?? null };
    }
  }

  /**
   * Removes the lock file if it still holds this holder's nonce (if it was taken over, the new
   * holder's file is left alone). Idempotent; never throws.
   */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    markReleased(this.record.nonce);
    try {
      const owner = await inspectOwner(this.#fs, this.path);
      if (owner?.record?.nonce === this.record.nonce) await this.#fs.unlink(this.path);
      else this.#logger.debug('A lock was no longer ours at release.', { path: this.path });
    } catch (error) {
      this.#logger.warn('Could not release a lock.', { path: this.path, error: String(error) });
    }
  }
}

const processQueue = new KeyedQueue();

/**
 * Runs `fn` while holding the lock at `lockPath`: first in a per-path in-process FIFO queue (so the
 * process never contends with itself), then with the {@link FileLock}. The lock is released however
 * `fn` ends.
 */
export function withFileLock<T>(
  fs: FileSystem,
  lockPath: string,
  options: FileLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  return processQueue.run(lockPath, async () => {
    const lock = await FileLock.acquire(fs, lockPath, options);
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  });
}
