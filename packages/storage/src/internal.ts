/**
 * The project's own test, reliability and benchmark hooks. NOT covered by semver: anything here
 * may change or go away in any release. Downstream code uses the package's main entry.
 */
export { openFileHome } from './backend/file/open-file-home.js';
export { type CrashPoint, reachCrashPoint } from './crash-points.js';
export { codeForErrno, fileSystemError } from './errors.js';
export { errnoCode } from './fs/file-system.js';
export { loadAppConfig } from './home/config.js';
export { fileKeyringPersistence, fileLockedDocument } from './home/home-documents.js';
export { documentNamePattern, homeLayout, sessionIdFromFileName } from './home/paths.js';
export { checkDirectoryStats, ensureSecureDirectory } from './home/secure-directory.js';
export { sweepStaleFiles } from './home/sweep.js';
export { fsyncDirectory, tempFilePattern, writeFileDurably } from './io/durable-write.js';
export { readFileBounded, readFileIfExists } from './io/read-file.js';
export { defaultJournalMaxBytes, JournalDirectory, JournalWriter } from './journal/index.js';
export { FileLock, withFileLock } from './locking/file-lock.js';
export { isProcessAlive } from './locking/owner-record.js';
export { lastActivity, oldestInactive, planCleanup } from './sessions/retention.js';
