export { addUsage } from './add-usage.js';
export {
  type AppConfig,
  type AppConfigInput,
  allowlistRegex,
  appConfigEnv,
  appConfigSchema,
  defaultAppConfig,
  type RedactionMode,
  redactionModeSchema,
  resolveAppConfig,
  type UnsignedPolicy,
  unsignedPolicySchema,
} from './app-config.js';
export {
  type CanonicalMembers,
  canonicalJson,
  canonicalMembers,
  joinCanonicalMembers,
} from './canonical-json.js';
export {
  type ErrorCode,
  errorCodes,
  isJidoError,
  JidoError,
  type JidoErrorOptions,
  toJidoError,
} from './errors.js';
export { type ImportedFrom, importedFromSchema } from './imported-from.js';
export { checkJsonDepth } from './json-depth.js';
export { checkJsonValue, type JsonValue } from './json-value.js';
export { limits } from './limits.js';
export { type LlmConfig, llmConfigSchema } from './llm-config.js';
export { type Logger, silentLogger } from './logger.js';
export {
  type Message,
  type MessageRole,
  messageRoleSchema,
  messageSchema,
  type Usage,
  usageSchema,
} from './message.js';
export { detectVersion, type Migration, migrate, sessionMigrations } from './migrations.js';
export { type ParseJsonOptions, parseJson } from './parse-json.js';
export {
  type ParsedSession,
  parseSession,
  parseSessionDocument,
  parseSessionJson,
  schemaError,
  unwrap,
} from './parse-session.js';
export {
  safeKeySchema,
  sessionIdSchema,
  shortStringSchema,
  timestampSchema,
  uuidV4Pattern,
} from './primitives.js';
export { err, ok, type Result } from './result.js';
export {
  type CumulativeUsage,
  cumulativeUsageSchema,
  currentSessionVersion,
  type MovedFrom,
  movedFromSchema,
  type Session,
  sessionSchema,
  type UnsignedSession,
  unsignedSessionSchema,
} from './session.js';
export { signingPayload, withoutSignature } from './signing-payload.js';
export { type Todo, type TodoStatus, todoSchema, todoStatusSchema } from './todo.js';
