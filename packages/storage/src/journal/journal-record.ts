import type { JidoError, JsonValue } from '@jido-code/core-schema';

/** One change recorded in a session journal. The session runtime gives `type` and `data` meaning. */
export interface JournalRecord {
  /** Position in the journal: 1 for the first record, then 2, 3, … without gaps. */
  readonly seq: number;
  /** When the record was appended, ISO 8601 UTC with milliseconds. */
  readonly at: string;
  /** What kind of change this is, e.g. 'open', 'message', 'todos', 'rename'. */
  readonly type: string;
  /** The change itself. */
  readonly data: JsonValue;
}

/** What reading a journal found: the verified records and what, if anything, followed them. */
export interface JournalContents {
  /** The session the journal belongs to (every line's signature covers it). */
  readonly sessionId: string;
  /** Every verified record up to the end of the file or the first bad line, in order. */
  readonly records: JournalRecord[];
  /**
   * True when the file ended in an incomplete line (no trailing newline), which was ignored: the
   * trace of a crash in the middle of an append that was never acknowledged.
   */
  readonly tornTail: boolean;
  /**
   * Set (code `journal_corrupt`) when a complete line failed to parse or verify. Records after the
   * bad line are not returned; the ones before it are, so the caller may still recover them.
   */
  readonly corruption?: JidoError;
  /** Size of the file as read, in bytes, preallocated zeros at its end included. */
  readonly sizeBytes: number;
}
