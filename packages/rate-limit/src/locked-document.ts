/** What a {@link LockedDocument.update} callback returns: bytes to write (if any) and a result. */
export interface LockedDocumentChange<T> {
  /** The new content; omit to leave the document as it is. */
  readonly next?: Uint8Array;
  /** Returned by `update` once the lock is released. */
  readonly result: T;
}

/** A byte document read and rewritten under an exclusive lock; storage implements it over a file. */
export interface LockedDocument {
  /**
   * Takes the lock, reads current bytes (undefined when none), calls fn, writes `next` if fn
   * returned one, releases the lock, returns `result`. When fn throws, nothing is written and the
   * error propagates after the lock is released.
   */
  update<T>(
    fn: (current: Uint8Array | undefined) => Promise<LockedDocumentChange<T>> | LockedDocumentChange<T>,
  ): Promise<T>;
}
