// The zod schemas of every persisted shape, and the validators that use them directly. Importing
// this entry point loads zod; `@jido-code/core-schema` itself checks the same shapes without it.
export {
  appConfigSchema,
  redactionModeSchema,
  resolveAppConfig,
  unsignedPolicySchema,
} from './app-config-schema.js';
export { importedFromSchema } from './imported-from.js';
export { llmConfigSchema } from './llm-config.js';
export { messageRoleSchema, messageSchema, usageSchema } from './message.js';
export { parseSession, parseSessionDocument, parseSessionJson, validateSession } from './parse-session.js';
export { safeKeySchema, sessionIdSchema, shortStringSchema, timestampSchema } from './primitives.js';
export {
  cumulativeUsageSchema,
  movedFromSchema,
  sessionSchema,
  unsignedSessionSchema,
} from './session.js';
export { todoSchema, todoStatusSchema } from './todo.js';
