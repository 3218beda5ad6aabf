export {
  JournalDirectory,
  type JournalDirectoryOptions,
  listJournalSessionIds,
} from './journal-directory.js';
export {
  listQuarantinedJournals,
  type QuarantinedJournal,
  type QuarantineReason,
  quarantineFolderName,
  quarantineReasonFor,
} from './journal-quarantine.js';
export type { JournalContents, JournalRecord } from './journal-record.js';
export type { JournalSigner } from './journal-signer.js';
export {
  defaultJournalMaxBytes,
  JournalWriter,
  type JournalWriterOptions,
  type JournalWriterStats,
} from './journal-writer.js';
