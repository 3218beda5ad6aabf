export { JournalDirectory, type JournalDirectoryOptions } from './journal-directory.js';
export type { JournalContents, JournalRecord } from './journal-record.js';
export type { JournalSigner } from './journal-signer.js';
export {
  defaultJournalMaxBytes,
  JournalWriter,
  type JournalWriterOptions,
  type JournalWriterStats,
} from './journal-writer.js';
