import { type Logger, silentLogger } from '@jido-code/core-schema';
import type { LockedDocument } from './locked-document.js';
import {
  decodeRateLimitState,
  emptyRateLimitState,
  encodeRateLimitState,
  type RateLimitState,
} from './state.js';
import type { RateLimitStore } from './store.js';

/** Options of {@link documentRateLimitStore}. */
export interface DocumentRateLimitStoreOptions {
  /** Told when the document is missing (debug) or corrupt (warn); defaults to {@link silentLogger}. */
  readonly logger?: Logger | undefined;
}

interface Loaded {
  readonly state: RateLimitState;
  /** True when the document was corrupt and must be rewritten even if nothing changes. */
  readonly repair: boolean;
}

function load(current: Uint8Array | undefined, logger: Logger): Loaded {
  if (current === undefined || current.length === 0) {
    logger.debug('No rate-limit state yet; starting fresh.');
    return { state: emptyRateLimitState(), repair: false };
  }
  const decoded = decodeRateLimitState(current);
  if (decoded.ok) return { state: decoded.value, repair: false };
  logger.warn('The rate-limit state was unreadable and has been reset.', {
    code: decoded.error.code,
    ...decoded.error.details,
  });
  return { state: emptyRateLimitState(), repair: true };
}

/**
 * A {@link RateLimitStore} over a {@link LockedDocument} (storage backs it with a small file under
 * the home), so one-shot CLI processes share limits. Each transaction reads, decides and writes the
 * whole (small) versioned JSON document under the document's lock; nothing is written when the
 * state did not change. A missing, empty or corrupt document starts fresh and says so through the
 * logger; it never throws for bad content (lock and I/O errors from the document do propagate).
 */
export function documentRateLimitStore(
  document: LockedDocument,
  options: DocumentRateLimitStoreOptions = {},
): RateLimitStore {
  const logger = options.logger ?? silentLogger;
  return {
    transact(fn) {
      return document.update((current) => {
        const loaded = load(current, logger);
        const { next, result } = fn(loaded.state);
        if (next === loaded.state && !loaded.repair) return { result };
        return { next: encodeRateLimitState(next), result };
      });
    },
  };
}
