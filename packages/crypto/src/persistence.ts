/**
 * Persistence the keyring is loaded and saved through; storage implements it over a file (durable
 * writes, mode 0600, a cross-process lock), tests use {@link memoryKeyringPersistence}. This
 * package itself never touches the file system.
 */
export interface KeyringPersistence {
  /** The saved document bytes, or `undefined` when no keyring exists yet. */
  load(): Promise<Uint8Array | undefined>;
  /** Replaces the saved document atomically: a concurrent `load` sees the old bytes or the new, never a mix. */
  save(bytes: Uint8Array): Promise<void>;
  /**
   * Runs fn while holding an exclusive lock (cross-process in storage's implementation). The
   * keyring never nests calls, so the lock need not be re-entrant.
   */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}
