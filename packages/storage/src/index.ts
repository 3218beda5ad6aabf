export { type CrashPoint, reachCrashPoint } from './crash-points.js';
export { type DoctorOptions, type DoctorReport, diagnoseHome } from './doctor/home-doctor.js';
export { codeForErrno, fileSystemError } from './errors.js';
export { errnoCode, type FileStats, type FileSystem, nodeFileSystem } from './fs/file-system.js';
export { loadAppConfig } from './home/config.js';
export { fileKeyringPersistence, fileLockedDocument } from './home/home-documents.js';
export {
  documentNamePattern,
  type HomeLayout,
  homeEnvironmentVariable,
  homeLayout,
  type ResolveHomeOptions,
  resolveHome,
  sessionIdFromFileName,
  validateSessionId,
} from './home/paths.js';
export {
  checkDirectoryStats,
  directoryMode,
  ensureSecureDirectory,
  fileMode,
} from './home/secure-directory.js';
export {
  type DurableWriteOptions,
  fsyncDirectory,
  tempFilePattern,
  tempPathFor,
  writeAll,
  writeFileDurably,
} from './io/durable-write.js';
export { type BoundedRead, readFileBounded, readFileIfExists } from './io/read-file.js';
export { jidoCodeBackupDir } from './jidocode/jidocode-backup.js';
export {
  type MigrationEntry,
  type MigrationOptions,
  migrateJidoCodeSessions,
} from './jidocode/migrate-jidocode.js';
export {
  defaultJournalMaxBytes,
  type JournalContents,
  JournalDirectory,
  type JournalDirectoryOptions,
  type JournalRecord,
  type JournalSigner,
  JournalWriter,
  type JournalWriterOptions,
  type JournalWriterStats,
} from './journal/index.js';
export { FileLock, type FileLockOptions, withFileLock } from './locking/file-lock.js';
export { KeyedQueue } from './locking/keyed-queue.js';
export type { Lease, LeaseInfo } from './locking/lease.js';
export { isProcessAlive, type OwnerRecord } from './locking/owner-record.js';
export {
  type ActiveSessions,
  type CleanupOptions,
  type CleanupReport,
  type ListingProblem,
  type LoadedSession,
  type SaveReport,
  type SessionListing,
  SessionStore,
  type StorageOptions,
  type VerifyOptions,
  type VerifyReport,
} from './session-store.js';
export {
  type CleanupPlan,
  type CleanupPolicy,
  lastActivity,
  oldestInactive,
  planCleanup,
} from './sessions/retention.js';
export { type SessionMetadata, sessionMetadataSchema } from './sessions/session-metadata.js';
