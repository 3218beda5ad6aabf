import { z } from 'zod';
import { limits } from './limits.js';
import { shortStringSchema, timestampSchema } from './primitives.js';

/**
 * Where an imported session came from: another assistant's session file. Kept through save,
 * export and import so that re-importing the same source is recognised and skipped.
 */
export const importedFromSchema = z.object({
  /** The assistant that wrote the source, in lower-case kebab form (`claude-code`, `codex`, `gemini`). */
  tool: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lower-case tool name'),
  /** That assistant's own session id. */
  source_id: shortStringSchema,
  /** Absolute path of the source file when it was imported. */
  path: z
    .string()
    .min(1)
    .max(limits.maxPathLength)
    .refine((path) => path.startsWith('/') && !path.includes('\0'), 'must be an absolute path'),
  /** When the import (or the latest `--update`) ran. */
  imported_at: timestampSchema,
});
/** See {@link importedFromSchema}. */
export type ImportedFrom = z.infer<typeof importedFromSchema>;
