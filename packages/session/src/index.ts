export { type LimitedField, textTooLong } from '@jido-code/core-schema';
export type {
  CleanupReport,
  ListingProblem,
  SaveReport,
  SearchOptions,
  SearchOutcome,
  SearchResult,
  SessionListing,
  SessionMetadata,
} from '@jido-code/storage';
export { type ForkSessionOptions, forkSession } from './fork-session.js';
export {
  type BackupFinding,
  type BackupFix,
  fixJidoCodeBackups,
  scanJidoCodeBackups,
} from './jidocode/jidocode-backups.js';
export {
  type BackupForm,
  type JidoCodeMigrationEntry,
  type JidoCodeMigrationOptions,
  migrateJidoCodeHome,
  migrationSecrets,
} from './jidocode/migrate-jidocode-home.js';
export {
  decodeChange,
  encodeChange,
  type SessionChange,
  type SessionMetadataRecord,
} from './journal-records.js';
export { applyChange, LiveSession, type LiveSessionParts, type RedactionEvent } from './live-session.js';
export { inspectOpenElsewhere, type OpenElsewhere } from './open-elsewhere.js';
export {
  forbiddenProjectRoots,
  isForbiddenProjectPath,
  type ProjectFingerprint,
  revalidateProjectPath,
  validateProjectPath,
} from './project-path.js';
export {
  emptyRecoveryReport,
  type QuarantineNotice,
  type RecoveredSession,
  type RecoverOptions,
  type RecoveryReport,
  recoverInterruptedSessions,
  recoverSession,
  type SessionRecovery,
} from './recover-interrupted.js';
export { type Replay, replayJournal } from './recovery.js';
// The redaction entry's exports, so that the two entries cannot drift apart.
export * from './redaction.js';
export { type RegisteredSession, SessionRegistry } from './registry.js';
export { type ReplyEnd, ReplyRecorder, type ReplyRecorderParts } from './reply-recorder.js';
export {
  type CloseReport,
  type CreateSessionOptions,
  defaultLlmConfig,
  type ResumableListing,
  SessionManager,
  type SessionManagerOptions,
} from './session-manager.js';
export { type MessagePage, type MessagePageOptions, SessionState } from './session-state.js';
