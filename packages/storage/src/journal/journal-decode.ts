import { err, type JidoError, ok, type Result, toJidoError } from '@jido-code/core-schema';
import { journalCorrupt } from './journal-errors.js';
import { verifyJournalLine } from './journal-line.js';
import type { JournalContents, JournalRecord } from './journal-record.js';
import type { JournalSigner } from './journal-signer.js';

/** What {@link decodeJournal} found, plus what a writer needs to continue the journal. */
export interface DecodedJournal {
  /** The public view of the journal. */
  readonly contents: JournalContents;
  /** Length of the verified prefix: bytes up to and including the last sealed line's '\n'. */
  readonly validBytes: number;
  /** The MAC of the last sealed line ('' when there is none), which the next line chains to. */
  readonly lastMac: string;
}

const newline = 0x0a;

/** A block of zeros, the unit in which trailing zeros are skipped. */
const zeroBlock = new Uint8Array(4096);

/**
 * Where a journal's data ends: after its last non-zero byte. A writer fills the space ahead of its
 * lines with zeros (see `journal-preallocation.ts`), and no line holds a zero byte (JSON escapes
 * U+0000), so trailing zeros are never data.
 */
export function journalDataEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  // Up to 64 KiB of zeros follow a live journal's data: skip them a block at a time (one native
  // comparison each), then byte by byte within the last block that holds data.
  while (
    end >= zeroBlock.length &&
    Buffer.compare(bytes.subarray(end - zeroBlock.length, end), zeroBlock) === 0
  ) {
    end -= zeroBlock.length;
  }
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

/**
 * Splits a journal's bytes into lines and verifies them in order, a batch at a time: a batch is
 * the unsealed lines (`mac` '') a writer wrote together, then the line whose MAC seals them all.
 * A line is complete only with its '\n' (a line and its '\n' are always written by the same
 * write, so a crash mid-append leaves a prefix without one). What follows the last sealed line, a
 * final segment with no '\n' or complete lines no seal has covered yet, is a torn tail: a batch
 * whose write never returned, ignored whatever it holds. Trailing zero bytes are preallocated
 * space, not a tail. The first complete line that is not valid UTF-8, not a canonical well-formed
 * line, out of sequence, off the chain or badly signed stops the decoding with `corruption` set;
 * the records of the batches sealed before it are returned. Fails only if the signer throws.
 */
export function decodeJournal(
  bytes: Uint8Array,
  sessionId: string,
  signer: JournalSigner,
): Result<DecodedJournal> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const records: JournalRecord[] = [];
  /** The batch read so far: its unsealed lines' records and text. */
  let unsealed: JournalRecord[] = [];
  let unsealedText = '';
  let start = 0;
  /** Where the last sealed line ends. */
  let validBytes = 0;
  let lastMac = '';
  let tornTail = false;
  let corruption: JidoError | undefined;
  const dataEnd = journalDataEnd(bytes);
  try {
    while (start < dataEnd) {
      const end = bytes.indexOf(newline, start);
      if (end === -1) {
        tornTail = true;
        break;
      }
      const seq = records.length + unsealed.length + 1;
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(start, end));
      } catch {
        corruption = journalCorrupt('not UTF-8', { sessionId, seq, offset: start });
        break;
      }
      const position = { sessionId, prev: lastMac };
      const verified = verifyJournalLine(text, seq, position, signer, unsealedText);
      if (!verified.ok) {
        corruption = journalCorrupt(verified.error, { sessionId, seq, offset: start });
        break;
      }
      start = end + 1;
      if (verified.value.mac === '') {
        unsealed.push(verified.value.record);
        unsealedText += `${text}\n`;
        continue;
      }
      for (const record of unsealed) records.push(record);
      records.push(verified.value.record);
      unsealed = [];
      unsealedText = '';
      lastMac = verified.value.mac;
      validBytes = start;
    }
  } catch (cause) {
    return err(toJidoError(cause, 'internal', 'The session journal could not be verified.'));
  }
  if (corruption === undefined && unsealed.length > 0) tornTail = true;
  const contents: JournalContents = {
    sessionId,
    records,
    tornTail,
    sizeBytes: bytes.length,
    ...(corruption === undefined ? {} : { corruption }),
  };
  return ok({ contents, validBytes, lastMac });
}
