import type { JsonValue } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import { decodeJournal } from './journal-decode.js';
import { encodeJournalLine } from './journal-line.js';
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
