export { FileBackend, type FileBackendOptions } from './backend/file/file-backend.js';
export type {
  BackendListing,
  DescribeSession,
  ListingProblem,
  SessionBackend,
  SessionCensus,
  SessionSlot,
  StoredSession,
  TrashedSession,
} from './backend/session-backend.js';
export { type DoctorOptions, type DoctorReport, diagnoseHome } from './doctor/home-doctor.js';
export { type FileStats, type FileSystem, nodeFileSystem } from './fs/file-system.js';
export {
  type HomeLayout,
  homeEnvironmentVariable,
  resolveHome,
  validateSessionId,
} from './home/paths.js';
export { jidoCodeBackupDir } from './jidocode/jidocode-backup.js';
export {
  type JidoCodeFileRedaction,
  listJidoCodeBackups,
  readJidoCodeBackup,
  redactJidoCodeFile,
  replaceJidoCodeBackup,
} from './jidocode/jidocode-backup-files.js';
export {
  jidoCodeMigrationIds,
  type MigrationEntry,
  type MigrationOptions,
  migrateJidoCodeFile,
} from './jidocode/migrate-jidocode.js';
export type {
  JournalContents,
  JournalDirectory,
  JournalRecord,
  JournalSigner,
  JournalStore,
  JournalWriter,
  JournalWriterStats,
  QuarantinedJournal,
  QuarantineReason,
  SessionJournal,
} from './journal/index.js';
export { type DecodedJournal, decodeJournal } from './journal/journal-decode.js';
export { type ChainPosition, type EncodedJournalLine, encodeJournalLine } from './journal/journal-line.js';
export { checkJournalSessionId } from './journal/journal-path.js';
export { quarantineReasonFor } from './journal/journal-quarantine.js';
export { defaultJournalMaxBytes } from './journal/journal-writer.js';
export type { FileLockOptions } from './locking/file-lock.js';
export type { Lease, LeaseInfo } from './locking/lease.js';
export type { SearchFilters } from './search/search-index.js';
export type { Snippet } from './search/search-snippet.js';
export type { RefreshReport, SearchMatch, SearchResult } from './search/session-search.js';
export type { SearchOptions, SearchOutcome, SessionSearchProvider } from './search/store-search.js';
export { type LoadedSession, SessionStore } from './session-store.js';
export { type ForkOptions, forkName } from './sessions/fork-of.js';
export type { RemovalNotice } from './sessions/removal-notices.js';
export type { SessionMetadata } from './sessions/session-metadata.js';
export type { TrashEntry, TrashListing, TrashReason } from './sessions/trash-runner.js';
export type {
  ActiveSessions,
  CleanupOptions,
  CleanupReport,
  SaveReport,
  SessionListing,
  StorageOptions,
  StoreOptions,
  VerifyOptions,
  VerifyReport,
} from './store-types.js';
