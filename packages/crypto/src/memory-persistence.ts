import type { KeyringPersistence } from './persistence.js';

/** An in-memory {@link KeyringPersistence} with counters, for tests and for callers with no disk. */
export interface MemoryKeyringPersistence extends KeyringPersistence {
  /** How many times `load` has been called. */
  loads: number;
  /** How many times `save` has been called. */
  saves: number;
  /** A copy of the bytes saved last (or the initial bytes), `undefined` when nothing is stored. */
  bytes(): Uint8Array | undefined;
}

/** Lets other pending work run, so in-process races interleave as they would across processes. */
function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Creates an in-memory keyring persistence. `withLock` is a real promise-chain mutex: callers run
 * one after another in call order, and a failing `fn` releases the lock. `load` and `save` yield to
 * the event loop and copy bytes, so callers can neither race through nor alias the stored value.
 */
export function memoryKeyringPersistence(initial?: Uint8Array): MemoryKeyringPersistence {
  let stored = initial === undefined ? undefined : Uint8Array.from(initial);
  let tail: Promise<unknown> = Promise.resolve();
  const persistence: MemoryKeyringPersistence = {
    loads: 0,
    saves: 0,
    bytes() {
      return stored === undefined ? undefined : Uint8Array.from(stored);
    },
    async load() {
      persistence.loads += 1;
      const snapshot = stored === undefined ? undefined : Uint8Array.from(stored);
      await yieldTurn();
      return snapshot;
    },
    async save(bytes) {
      persistence.saves += 1;
      const copy = Uint8Array.from(bytes);
      await yieldTurn();
      stored = copy;
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(() => fn());
      tail = result.catch(() => undefined);
      return result;
    },
  };
  return persistence;
}
