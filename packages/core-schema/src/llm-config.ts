import { z } from 'zod';
import { limits } from './limits.js';
import { safeKeySchema, shortStringSchema } from './primitives.js';

const extraValueSchema = z.union([
  z.string().max(limits.maxShortStringLength * 16),
  z.number(),
  z.boolean(),
  z.null(),
]);

/** The LLM settings a session runs with. Provider-specific extras go in `extra`. */
export const llmConfigSchema = z.object({
  /** Provider name, e.g. "anthropic". */
  provider: shortStringSchema,
  /** Model name, e.g. "claude-sonnet-4". */
  model: shortStringSchema,
  /** Sampling temperature. */
  temperature: z.number().min(0).max(2).optional(),
  /** Reply length cap, in tokens. */
  max_tokens: z.number().int().positive().max(10_000_000).optional(),
  /** Other scalar settings (base URL, top_p, …). */
  extra: z
    .record(safeKeySchema, extraValueSchema)
    .refine((map) => Object.keys(map).length <= limits.maxMapEntries, 'has too many entries')
    .optional(),
});
/** See {@link llmConfigSchema}. */
export type LlmConfig = z.infer<typeof llmConfigSchema>;
