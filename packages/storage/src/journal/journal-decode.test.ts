import type { JsonValue } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import { decodeJournal } from './journal-decode.js';
import { encodeJournalLine, prepareJournalLine, sealJournalLine } from './journal-line.js';
import type { JournalRecord } from './journal-record.js';

const signer = hmacSigner();

/** The lines of a valid journal holding `data`, one record each, as separate buffers. */
function journalLines(sessionId: string, data: JsonValue[]): { lines: Buffer[]; records: JournalRecord[] } {
  const lines: Buffer[] = [];
  const records: JournalRecord[] = [];
  let prev = '';
  data.forEach((item, index) => {
    const at = new Date(Date.UTC(2024, 0, 1, 0, 0, index)).toISOString();
    const encoded = encodeJournalLine(
      { seq: index + 1, at, type: 'message', data: item },
      { sessionId, prev },
      signer,
    );
    if (!encoded.ok) throw encoded.error;
    lines.push(encoded.value.bytes);
    records.push(encoded.value.record);
    prev = encoded.value.mac;
  });
  return { lines, records };
}

function decode(bytes: Uint8Array, sessionId: string) {
  const decoded = decodeJournal(bytes, sessionId, signer);
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

const sessionId = newSessionId();
const sample: JsonValue[] = [
  { role: 'user', content: 'first' },
  { role: 'assistant', content: 'second, with ünïcödé and "quotes"\nand a newline' },
  ['todos', { content: 'x', status: 'pending' }],
  42,
  'fifth',
];
const { lines, records } = journalLines(sessionId, sample);
const complete = Buffer.concat(lines);
/** Byte offset where each line ends (after its newline). */
const lineEnds = lines.map((_, index) => Buffer.concat(lines.slice(0, index + 1)).length);

/** The lines of `lines` at the given indexes, joined: a journal with lines removed or moved. */
function reassemble(...indexes: number[]): Buffer {
  return Buffer.concat(indexes.map((index) => lines.at(index) ?? Buffer.alloc(0)));
}

/** The byte at `position` of `bytes` (0 past the end). */
function byteAt(bytes: Uint8Array, position: number): number {
  return bytes.at(position) ?? 0;
}

describe('decodeJournal', () => {
  it('reads an empty journal as no records', () => {
    const decoded = decode(new Uint8Array(0), sessionId);
    expect(decoded.contents).toEqual({ sessionId, records: [], tornTail: false, sizeBytes: 0 });
    expect(decoded.validBytes).toBe(0);
    expect(decoded.lastMac).toBe('');
  });

  it('returns every record of a complete journal, in order', () => {
    const decoded = decode(complete, sessionId);
    expect(decoded.contents.records).toEqual(records);
    expect(decoded.contents.tornTail).toBe(false);
    expect(decoded.contents.corruption).toBeUndefined();
    expect(decoded.validBytes).toBe(complete.length);
  });

  it('ignores a torn last line and reports it', () => {
    const torn = Buffer.concat([complete, Buffer.from('{"at":"2024-01-01T00:0')]);
    const decoded = decode(torn, sessionId);
    expect(decoded.contents.records).toEqual(records);
    expect(decoded.contents.tornTail).toBe(true);
    expect(decoded.contents.corruption).toBeUndefined();
    expect(decoded.contents.sizeBytes).toBe(torn.length);
    expect(decoded.validBytes).toBe(complete.length);
  });

  it('treats a whole, validly signed last line without its newline as torn: it was never acknowledged', () => {
    const unterminated = complete.subarray(0, complete.length - 1);
    const decoded = decode(unterminated, sessionId);
    expect(decoded.contents.records).toEqual(records.slice(0, -1));
    expect(decoded.contents.tornTail).toBe(true);
  });

  it('reports a bad complete last line as corruption, not as a torn tail', () => {
    const bad = Buffer.concat([complete, Buffer.from('garbage\n')]);
    const decoded = decode(bad, sessionId);
    expect(decoded.contents.records).toEqual(records);
    expect(decoded.contents.corruption?.code).toBe('journal_corrupt');
    expect(decoded.contents.tornTail).toBe(false);
  });

  it('detects a deleted middle line and returns the records before it', () => {
    const withoutThird = reassemble(0, 1, 3, 4);
    const decoded = decode(withoutThird, sessionId);
    expect(decoded.contents.corruption?.code).toBe('journal_corrupt');
    expect(decoded.contents.corruption?.details).toMatchObject({ reason: 'out of sequence', seq: 3 });
    expect(decoded.contents.records).toEqual(records.slice(0, 2));
    expect(decoded.validBytes).toBe(lineEnds[1]);
  });

  it('detects swapped lines', () => {
    const swapped = reassemble(0, 2, 1, 3, 4);
    const decoded = decode(swapped, sessionId);
    expect(decoded.contents.corruption?.code).toBe('journal_corrupt');
    expect(decoded.contents.records).toEqual(records.slice(0, 1));
  });

  it('detects a duplicated line', () => {
    const duplicated = reassemble(0, 1, 1);
    expect(decode(duplicated, sessionId).contents.corruption?.code).toBe('journal_corrupt');
  });

  it('detects a blank line', () => {
    const blank = Buffer.concat([reassemble(0), Buffer.from('\n'), reassemble(1)]);
    const decoded = decode(blank, sessionId);
    expect(decoded.contents.corruption?.code).toBe('journal_corrupt');
    expect(decoded.contents.records).toEqual(records.slice(0, 1));
  });

  it("detects another session's journal copied under this session's name", () => {
    expect(decode(complete, newSessionId()).contents.corruption?.code).toBe('journal_corrupt');
  });

  it('detects a line spliced in from another journal at the same position', () => {
    const other = journalLines(newSessionId(), sample);
    const foreign = other.lines.at(1) ?? Buffer.alloc(0);
    const spliced = Buffer.concat([reassemble(0), foreign, reassemble(2, 3, 4)]);
    expect(decode(spliced, sessionId).contents.records).toEqual(records.slice(0, 1));
  });

  it('reads back any JSON data exactly as written (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 6 }), { minLength: 1, maxLength: 8 }), (values) => {
        const written = journalLines(sessionId, values as JsonValue[]);
        const decoded = decode(Buffer.concat(written.lines), sessionId);
        expect(decoded.contents.corruption).toBeUndefined();
        expect(decoded.contents.records.map((record) => record.data)).toEqual(
          JSON.parse(JSON.stringify(values)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('reads every prefix of a journal (a crash at any byte) without corruption, as a prefix of its records', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: complete.length }), (cut) => {
        const decoded = decode(complete.subarray(0, cut), sessionId);
        expect(decoded.contents.corruption).toBeUndefined();
        const whole = lineEnds.filter((end) => end <= cut).length;
        expect(decoded.contents.records).toEqual(records.slice(0, whole));
        expect(decoded.contents.tornTail).toBe(decoded.validBytes < cut);
      }),
      { numRuns: 300 },
    );
  });

  describe('a single-byte change', () => {
    const tornTail = Buffer.from('{"at":"2024-01-01T00:00:05.000Z","data":"sixth","ma');
    const file = Buffer.concat([complete, tornTail]);
    const lastLineStart = lineEnds.at(-2) ?? 0;

    /** Detected, or ignored only inside the torn last line: never accepted as different data. */
    function checkChange(position: number, value: number): void {
      const changed = Buffer.from(file);
      changed[position] = value;
      const { contents } = decode(changed, sessionId);
      if (contents.corruption !== undefined) {
        expect(contents.corruption.code).toBe('journal_corrupt');
        // Whatever is returned is an untouched prefix that stops before the changed byte.
        expect(records.slice(0, contents.records.length)).toEqual(contents.records);
        expect(lineEnds[contents.records.length - 1] ?? 0).toBeLessThanOrEqual(position);
        return;
      }
      expect(contents.tornTail).toBe(true);
      if (position >= complete.length) {
        // Inside the torn tail, which is never read.
        expect(contents.records).toEqual(records);
      } else {
        // Only the newline ending the last complete line can change undetected: that line then
        // joins the torn tail and is ignored (a truncation, never an edit).
        expect(position).toBe(complete.length - 1);
        expect(position).toBeGreaterThan(lastLineStart);
        expect(contents.records).toEqual(records.slice(0, -1));
      }
    }

    it('is never accepted as different data (fast-check over positions and values)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: file.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (position, delta) => checkChange(position, (byteAt(file, position) + delta) & 0xff),
        ),
        { numRuns: 400 },
      );
    });

    it('is never accepted as different data (every position, a flipped low bit and a flipped high bit)', () => {
      for (let position = 0; position < file.length; position++) {
        checkChange(position, byteAt(file, position) ^ 0x01);
        checkChange(position, byteAt(file, position) ^ 0x80);
      }
    });
  });

  it('fails with a typed error, not a throw, when the signer throws', () => {
    const broken = {
      sign: () => '',
      verify: () => {
        throw new Error('keyring gone');
      },
    };
    const decoded = decodeJournal(complete, sessionId, broken);
    expect(decoded.ok).toBe(false);
  });
});

/** A journal written in batches of `sizes` lines: each batch's lines unsealed but its last. */
function batchedJournal(sessionId: string, sizes: readonly number[]) {
  const records: JournalRecord[] = [];
  const parts: string[] = [];
  /** Byte offset after each batch, and the records up to it. */
  const batches: { end: number; records: number }[] = [];
  let prevJson = '""';
  let lastMac = '';
  let end = 0;
  for (const size of sizes) {
    const lines = Array.from({ length: size }, (_, index) => {
      const seq = records.length + index + 1;
      const record = {
        seq,
        at: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(),
        type: 'message',
        data: { seq, text: `line ${seq} ☕` },
      };
      const prepared = prepareJournalLine(record, prevJson);
      if (!prepared.ok) throw prepared.error;
      return { record, prepared: prepared.value };
    });
    const before = lines
      .slice(0, -1)
      .map((line) => line.prepared.unsealed)
      .join('');
    const last = lines.at(-1);
    if (last === undefined) throw new Error('a batch has at least one line');
    const sealed = sealJournalLine(last.prepared, JSON.stringify(sessionId), before, signer);
    if (!sealed.ok) throw sealed.error;
    const text = before + sealed.value.text;
    parts.push(text);
    records.push(...lines.map((line) => line.record));
    end += Buffer.byteLength(text);
    batches.push({ end, records: records.length });
    prevJson = sealed.value.macJson;
    lastMac = sealed.value.mac;
  }
  const bytes = Buffer.from(parts.join(''));
  /** Where each line ends (after its newline). */
  const lineEnds = [...bytes.entries()].filter(([, byte]) => byte === 0x0a).map(([index]) => index + 1);
  return { bytes, records, batches, lineEnds, lastMac };
}

describe('decodeJournal, a journal written in batches', () => {
  const batchedId = newSessionId();
  const journal = batchedJournal(batchedId, [1, 4, 2, 1, 3]);

  /** The records of the whole batches that end at or before `offset`. */
  const recordsBefore = (offset: number) =>
    journal.records.slice(0, journal.batches.filter((batch) => batch.end <= offset).at(-1)?.records ?? 0);

  it('returns every record of every batch, in order, chained to the last seal', () => {
    const decoded = decode(journal.bytes, batchedId);
    expect(decoded.contents.records).toEqual(journal.records);
    expect(decoded.contents.tornTail).toBe(false);
    expect(decoded.contents.corruption).toBeUndefined();
    expect(decoded.validBytes).toBe(journal.bytes.length);
    expect(decoded.lastMac).toBe(journal.lastMac);
  });

  it('reads every prefix (a crash at any byte) as the whole batches in it, never a batch in part', () => {
    for (let cut = 0; cut <= journal.bytes.length; cut++) {
      const decoded = decode(journal.bytes.subarray(0, cut), batchedId);
      expect(decoded.contents.corruption).toBeUndefined();
      expect(decoded.contents.records).toEqual(recordsBefore(cut));
      expect(decoded.validBytes).toBe(journal.batches.filter((batch) => batch.end <= cut).at(-1)?.end ?? 0);
      expect(decoded.contents.tornTail).toBe(decoded.validBytes < cut);
    }
  });

  it('treats complete lines that no seal covers yet as a torn tail', () => {
    const lastBatch = journal.batches.at(-2)?.end ?? 0;
    const unsealedTail = journal.bytes.subarray(0, journal.lineEnds.at(-2));
    const decoded = decode(unsealedTail, batchedId);
    expect(unsealedTail.length).toBeGreaterThan(lastBatch);
    expect(decoded.contents.tornTail).toBe(true);
    expect(decoded.contents.records).toEqual(recordsBefore(lastBatch));
    expect(decoded.validBytes).toBe(lastBatch);
  });

  it('detects a removed seal, a removed unsealed line and a line moved into another batch', () => {
    const lines = journal.lineEnds.map((end, index) =>
      journal.bytes.subarray(journal.lineEnds[index - 1] ?? 0, end),
    );
    const without = (...drop: number[]) => Buffer.concat(lines.filter((_, index) => !drop.includes(index)));
    // Lines 0 | 1 2 3 4 | 5 6 | 7 | 8 9 10: the seal of the second batch, an unsealed line of it.
    for (const changed of [
      without(4),
      without(2),
      Buffer.concat(
        [...lines.slice(0, 4), lines[5], lines[4], ...lines.slice(6)].filter((line) => line !== undefined),
      ),
    ]) {
      const decoded = decode(changed, batchedId);
      expect(decoded.contents.corruption?.code).toBe('journal_corrupt');
      expect(decoded.contents.records).toEqual(journal.records.slice(0, 1));
    }
  });

  /** Detected, or read as a truncation at the last '\n': never accepted as different data. */
  function checkChange(position: number, value: number): void {
    const changed = Buffer.from(journal.bytes);
    changed[position] = value;
    const { contents, validBytes } = decode(changed, batchedId);
    if (contents.corruption !== undefined) {
      expect(contents.records).toEqual(recordsBefore(validBytes));
      expect(validBytes).toBeLessThanOrEqual(position);
      return;
    }
    // Only the last line's newline can change undetected: its batch then reads as a torn tail.
    expect(position).toBe(journal.bytes.length - 1);
    expect(contents.tornTail).toBe(true);
    expect(contents.records).toEqual(recordsBefore(journal.batches.at(-2)?.end ?? 0));
  }

  it('never accepts a single-byte change as different data (every position, a low and a high bit)', () => {
    for (let position = 0; position < journal.bytes.length; position++) {
      checkChange(position, byteAt(journal.bytes, position) ^ 0x01);
      checkChange(position, byteAt(journal.bytes, position) ^ 0x80);
    }
  });

  it('never accepts a single-byte change as different data (fast-check over positions and values)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: journal.bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (position, delta) => checkChange(position, (byteAt(journal.bytes, position) + delta) & 0xff),
      ),
      { numRuns: 400 },
    );
  });
});
