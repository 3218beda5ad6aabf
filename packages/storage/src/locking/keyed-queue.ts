/**
 * Runs tasks one at a time per key, in the order they were queued (FIFO). Used in front of every
 * file lock so that one process never contends with itself, and so that the last save requested
 * for a session is the last one written.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Queues `task` behind every earlier task of `key`; settles with the task's own outcome. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Number of keys with queued or running work (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
