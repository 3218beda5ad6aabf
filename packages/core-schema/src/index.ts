// The zod-free entry point: importing it does not load zod. The zod schemas, and the validators
// that use them directly, are in `@jido-code/core-schema/schemas`.
export { addUsage } from './add-usage.js';
export {
  type AppConfig,
  type AppConfigInput,
  acceptAppConfig,
  allowlistRegex,
  appConfigEnv,
  checkAppConfig,
  defaultAppConfig,
} from './app-config.js';
export type { RedactionMode, UnsignedPolicy } from './app-config-schema.js';
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
export type { ImportedFrom } from './imported-from.js';
export { checkJsonDepth } from './json-depth.js';
export { checkJsonValue, type JsonValue } from './json-value.js';
export { limits } from './limits.js';
export type { LlmConfig } from './llm-config.js';
export { type Logger, silentLogger } from './logger.js';
export type { Message, MessageRole, Usage } from './message.js';
export { detectVersion, type Migration, migrate, sessionMigrations } from './migrations.js';
export { type ParseJsonOptions, parseJson } from './parse-json.js';
export { isPlainRecord } from './plain-record.js';
export { err, ok, type Result, unwrap } from './result.js';
export { schemaError } from './schema-error.js';
export type { CumulativeUsage, MovedFrom, Session, UnsignedSession } from './session.js';
export { checkSession, checkSessionDocument, type ParsedSession } from './session-document.js';
export { acceptMessage, acceptSession, acceptSessionField } from './session-fast-path.js';
export { currentSessionVersion } from './session-version.js';
export { signingPayload, withoutSignature } from './signing-payload.js';
export { type LimitedField, textTooLong } from './text-limits.js';
export type { Todo, TodoStatus } from './todo.js';
export { isUtcTimestamp } from './utc-timestamp.js';
export { uuidV4Pattern } from './uuid-pattern.js';
