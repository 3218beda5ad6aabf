/** Caches the promise `open()` returns; a rejected one is dropped, so that the next call tries again. */
export function cachedUntilFailure<T>(open: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (cached === undefined) {
      const opening = open();
      cached = opening;
      opening.catch(() => {
        if (cached === opening) cached = undefined;
      });
    }
    return cached;
  };
}
