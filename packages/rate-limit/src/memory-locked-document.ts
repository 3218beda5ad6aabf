import type { LockedDocument, LockedDocumentChange } from './locked-document.js';

/** An in-memory {@link LockedDocument}, plus unlocked access to its bytes for tests. */
export interface MemoryLockedDocument extends LockedDocument {
  /** A copy of the current bytes (undefined when none), read without the lock. */
  read(): Uint8Array | undefined;
  /** Replaces the bytes without the lock, e.g. to plant a corrupt document in a test. */
  write(bytes: Uint8Array | undefined): void;
}

const copyOf = (bytes: Uint8Array | undefined): Uint8Array | undefined =>
  bytes === undefined ? undefined : bytes.slice();

/**
 * An in-memory {@link LockedDocument} whose lock is a real promise-chain mutex: each `update` runs
 * after the previous one settles, even when its callback awaits, so read-modify-write never
 * interleaves. For tests and single-process users; bytes are copied in and out.
 */
export function memoryLockedDocument(initial?: Uint8Array): MemoryLockedDocument {
  let bytes = copyOf(initial);
  let tail: Promise<unknown> = Promise.resolve();
  return {
    update<T>(
      fn: (current: Uint8Array | undefined) => Promise<LockedDocumentChange<T>> | LockedDocumentChange<T>,
    ): Promise<T> {
      const run = tail.then(async () => {
        const change = await fn(copyOf(bytes));
        if (change.next !== undefined) bytes = copyOf(change.next);
        return change.result;
      });
      tail = run.catch(() => undefined);
      return run;
    },
    read: () => copyOf(bytes),
    write(next) {
      bytes = copyOf(next);
    },
  };
}
