export {
  JournalDirectory,
  listJournalSessionIds,
} from './journal-directory.js';
export {
  listQuarantinedJournals,
  type QuarantinedJournal,
  type QuarantineReason,
} from './journal-quarantine.js';
export type { JournalContents, JournalRecord } from './journal-record.js';
export type { JournalSigner } from './journal-signer.js';
export type { JournalStore, JournalWriterStats, SessionJournal } from './journal-store.js';
export { defaultJournalMaxBytes, JournalWriter } from './journal-writer.js';
