import type { FileSystem } from '@jido-code/storage';

/** A FileSystem that counts `open` calls per path before delegating. */
export interface CountingFileSystem {
  readonly fs: FileSystem;
  /** How many times each path was opened. */
  readonly opens: Map<string, number>;
}

/** Wraps `inner` so every `open` is counted by path (to prove what a save does not read). */
export function countingFileSystem(inner: FileSystem): CountingFileSystem {
  const opens = new Map<string, number>();
  return {
    opens,
    fs: {
      ...inner,
      open: (path, flags, mode) => {
        opens.set(path, (opens.get(path) ?? 0) + 1);
        return inner.open(path, flags, mode);
      },
    },
  };
}

/**
 * A FileSystem whose `fsync` and `fdatasync` do nothing. Used only to generate listing fixtures
 * faster: the bytes are the store's own, only their durability is skipped. Never used by a timed
 * subject.
 */
export function unsyncedFileSystem(inner: FileSystem): FileSystem {
  return { ...inner, fsync: async () => undefined, fdatasync: async () => undefined };
}

/** A FileSystem that counts calls of every method, by method name (to prove what an operation does). */
export interface CallCountingFileSystem {
  readonly fs: FileSystem;
  /** Calls per method since the last {@link reset}. */
  readonly calls: Map<string, number>;
  reset(): void;
}

/** Wraps `inner` so that every call of every method is counted by its name before delegating. */
export function callCountingFileSystem(inner: FileSystem): CallCountingFileSystem {
  const calls = new Map<string, number>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(inner)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return (member as (...values: unknown[]) => unknown).apply(inner, args);
          }
        : member;
  }
  return { fs: wrapped as unknown as FileSystem, calls, reset: () => calls.clear() };
}
