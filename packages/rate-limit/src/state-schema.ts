import { z } from 'zod';
import { maxRuleLimit, operationNamePattern } from './rules.js';
import { maxRateLimitKeyLength, rateLimitStateVersion } from './state.js';

// The persisted state as a zod schema, for callers that validate it themselves. The limiter
// decodes it without zod (`decodeRateLimitState`); a property test holds the two to the same answers.

const hitsSchema = z.array(z.number()).max(maxRuleLimit);

/** Schema of the persisted document, version 1. Decoding also sorts hits and keys. */
export const rateLimitStateSchema = z.object({
  /** Document format version. */
  version: z.literal(rateLimitStateVersion),
  /** Operation name → recorded attempts. */
  operations: z.record(
    z.string().regex(operationNamePattern),
    z.object({
      /** Timestamps across all keys. */
      global: hitsSchema,
      /** Per-key logs; a key appears once. */
      keys: z
        .array(z.object({ key: z.string().min(1).max(maxRateLimitKeyLength), hits: hitsSchema }))
        .refine((keys) => new Set(keys.map((entry) => entry.key)).size === keys.length, {
          message: 'duplicate key',
        }),
    }),
  ),
});
