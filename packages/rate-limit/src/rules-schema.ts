import { z } from 'zod';
import { maxRuleLimit, maxRuleWindowMs, operationNamePattern } from './rules.js';

// The rules as zod schemas, for callers that validate rules themselves. The limiter checks them
// without zod (`validateRateLimitRules`); a property test holds the two to the same answers.

/** One sliding window: at most `limit` attempts in any `windowMs` milliseconds. */
export const windowRuleSchema = z.object({
  limit: z.number().int().min(1).max(maxRuleLimit),
  windowMs: z.number().int().min(1).max(maxRuleWindowMs),
});

/** The rule of one operation: a window per key, and optionally one shared by all keys. */
export const operationRuleSchema = z.object({
  perKey: windowRuleSchema,
  global: windowRuleSchema.optional(),
});

/** Validates a rules table: operation names match {@link operationNamePattern}, every limit and window ≥ 1. */
export const rateLimitRulesSchema = z.record(z.string().regex(operationNamePattern), operationRuleSchema);
