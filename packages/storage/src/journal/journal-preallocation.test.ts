import { readFile, stat, writeFile } from 'node:fs/promises';
import { injectFaults } from '@jido-code/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useJournalDir } from '../../test/journal/use-journal-dir.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { journalDataEnd } from './journal-decode.js';
import { JournalDirectory } from './journal-directory.js';
import {
  defaultJournalPreallocationBytes,
  maxJournalPreallocationBytes,
  preallocationPadding,
} from './journal-preallocation.js';
import type { JournalWriter } from './journal-writer.js';

const journal = useJournalDir();

async function readBack(sessionId: string) {
  const read = await new JournalDirectory({
    fs: nodeFileSystem,
    dir: journal.dir,
    signer: journal.signer,
  }).read(sessionId);
  if (!read.ok) throw read.error;
  return read.value;
}

async function appendAll(writer: JournalWriter, values: readonly string[]): Promise<void> {
  for (const value of values) {
    const appended = await writer.append('message', value);
    if (!appended.ok) throw appended.error;
  }
}

const words = (count: number, prefix = 'm') =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('journal preallocation', () => {
  it('writes zeros ahead of the data, so appends inside them leave the file size alone', async () => {
    const writer = await journal.openWriter();
    await appendAll(writer, ['first']);
    const grown = (await stat(writer.path)).size;
    const first = await readFile(writer.path);
    expect(grown).toBe(journalDataEnd(first) + defaultJournalPreallocationBytes);
    expect(first.subarray(journalDataEnd(first)).every((byte) => byte === 0)).toBe(true);

    await appendAll(writer, words(20));
    expect((await stat(writer.path)).size).toBe(grown);
    await writer.close();
    const contents = await readBack(writer.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['first', ...words(20)]);
    expect(contents.tornTail).toBe(false);
    expect(contents.corruption).toBeUndefined();
  });

  it('grows only when a batch would run past the zeros, by as much as the data then holds', async () => {
    const writer = await journal.openWriter({ preallocateBytes: 1024 });
    const big = 'x'.repeat(1000);
    await appendAll(writer, [big]);
    const once = (await stat(writer.path)).size;
    const firstEnd = journalDataEnd(await readFile(writer.path));
    expect(once - firstEnd).toBe(Math.max(1024, firstEnd));
    await appendAll(writer, ['small']);
    expect((await stat(writer.path)).size).toBe(once);
    await appendAll(writer, [big]);
    const thrice = (await stat(writer.path)).size;
    expect(thrice).toBeGreaterThan(once);
    const dataEnd = journalDataEnd(await readFile(writer.path));
    expect(thrice - dataEnd).toBe(dataEnd);
    await writer.close();
    expect((await readBack(writer.sessionId)).records.map((record) => record.data)).toEqual([
      big,
      'small',
      big,
    ]);
  });

  it('never takes the file past the size limit, and writes no zeros when turned off', async () => {
    const capped = await journal.openWriter({ maxBytes: 2048 });
    await appendAll(capped, ['one']);
    expect((await stat(capped.path)).size).toBe(2048);
    const refused = await capped.append('message', 'y'.repeat(2048));
    expect(refused.ok ? undefined : refused.error.code).toBe('too_large');
    await capped.close();

    const plain = await journal.openWriter({ preallocateBytes: 0 });
    await appendAll(plain, ['one', 'two']);
    const bytes = await readFile(plain.path);
    expect(bytes.length).toBe(journalDataEnd(bytes));
    expect(bytes.at(-1)).toBe(0x0a);
    await plain.close();
  });

  it('continues a padded journal over its zeros, without truncating or syncing anything', async () => {
    const first = await journal.openWriter();
    await appendAll(first, ['a', 'b']);
    await first.close();
    const size = (await stat(first.path)).size;

    const fs = injectFaults(nodeFileSystem, [], { async: true });
    const second = await journal.openWriter({ fs, sessionId: first.sessionId });
    expect(fs.faults.callCount('ftruncate')).toBe(0);
    expect(fs.faults.callCount('fsync')).toBe(0);
    await appendAll(second, ['c']);
    await second.close();
    expect((await stat(first.path)).size).toBe(size);
    const contents = await readBack(first.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['a', 'b', 'c']);
    expect(contents.records.map((record) => record.seq)).toEqual([1, 2, 3]);
  });

  it('reads a line cut short inside the zeros as a torn tail, and truncates it on reopen', async () => {
    const first = await journal.openWriter();
    await appendAll(first, ['kept', 'cut']);
    await first.close();
    const bytes = await readFile(first.path);
    const end = journalDataEnd(bytes);
    const lastLine = bytes.lastIndexOf(0x0a, end - 2) + 1;
    // A crash mid-write: the last line's first half reached the disk, zeros still follow it.
    const torn = Buffer.from(bytes);
    torn.fill(0, lastLine + Math.floor((end - lastLine) / 2));
    await writeFile(first.path, torn);

    const contents = await readBack(first.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['kept']);
    expect(contents.tornTail).toBe(true);
    expect(contents.corruption).toBeUndefined();

    const second = await journal.openWriter({ sessionId: first.sessionId });
    expect((await readFile(first.path)).equals(bytes.subarray(0, lastLine))).toBe(true);
    await appendAll(second, ['after']);
    await second.close();
    expect((await readBack(first.sessionId)).records.map((record) => record.data)).toEqual(['kept', 'after']);
  });

  it('writes the lines alone when the zeros do not fit, and preallocates no more', async () => {
    // The first write is the new journal's first batch, with its zeros: the disk refuses it.
    const fs = injectFaults(nodeFileSystem, [{ method: 'write', code: 'ENOSPC', nth: 1 }], { async: true });
    const writer = await journal.openWriter({ fs });
    await appendAll(writer, ['one', 'two']);
    expect(writer.failed).toBe(false);
    const bytes = await readFile(writer.path);
    expect(bytes.length).toBe(journalDataEnd(bytes));
    await writer.close();
    expect((await readBack(writer.sessionId)).records.map((record) => record.data)).toEqual(['one', 'two']);
  });

  it('still fails and poisons the writer when the lines alone do not fit', async () => {
    const fs = injectFaults(
      nodeFileSystem,
      [
        { method: 'write', code: 'ENOSPC', nth: 1 },
        { method: 'write', code: 'ENOSPC', nth: 2 },
      ],
      { async: true },
    );
    const writer = await journal.openWriter({ fs });
    const appended = await writer.append('message', 'one');
    expect(appended.ok ? undefined : appended.error.code).toBe('io_error');
    expect(writer.failed).toBe(true);
    await writer.close();
  });

  it('reads zeros before a newline as damage, returning the lines before them', async () => {
    const writer = await journal.openWriter();
    await appendAll(writer, ['one', 'two', 'three']);
    await writer.close();
    const bytes = await readFile(writer.path);
    const secondLine = bytes.indexOf(0x0a) + 1;
    // What a power loss can leave when blocks reach the disk out of order: a hole, then a later line.
    bytes.fill(0, secondLine, secondLine + 10);
    await writeFile(writer.path, bytes);
    const contents = await readBack(writer.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['one']);
    expect(contents.corruption?.code).toBe('journal_corrupt');
  });
});

describe('preallocationPadding', () => {
  const state = { written: 100, allocated: 100, maxBytes: 10_000, chunkBytes: 1000 };

  it('adds space past a batch that runs past the space, as much as the data holds, capped', () => {
    expect(preallocationPadding(state, 50)).toBe(1000);
    expect(preallocationPadding({ ...state, written: 3000, allocated: 3000 }, 50)).toBe(3050);
    const large = { ...state, written: 5 << 20, allocated: 5 << 20, maxBytes: 64 << 20 };
    expect(preallocationPadding(large, 50)).toBe(maxJournalPreallocationBytes);
    expect(preallocationPadding({ ...large, chunkBytes: 2 << 20 }, 50)).toBe(2 << 20);
    expect(preallocationPadding({ ...large, maxBytes: (5 << 20) + 100 }, 50)).toBe(50);
    expect(preallocationPadding({ ...state, allocated: 1100 }, 50)).toBe(0);
    expect(preallocationPadding({ ...state, allocated: 1100 }, 1001)).toBe(1101);
    expect(preallocationPadding({ ...state, maxBytes: 600 }, 50)).toBe(450);
    expect(preallocationPadding({ ...state, maxBytes: 150 }, 50)).toBe(0);
    expect(preallocationPadding({ ...state, chunkBytes: 0 }, 50)).toBe(0);
  });
});

describe('journalDataEnd', () => {
  const naive = (bytes: Uint8Array) => {
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return end;
  };

  it('finds the last non-zero byte wherever it falls against the 4 KiB blocks it skips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(fc.integer({ min: 0, max: 30_000 }), { maxLength: 4 }),
        (data, zeros, marks) => {
          const bytes = new Uint8Array(data + zeros);
          bytes.fill(0x61, 0, data);
          for (const mark of marks) if (mark < bytes.length) bytes[mark] = 0x7b;
          expect(journalDataEnd(bytes)).toBe(naive(bytes));
        },
      ),
      { numRuns: 500 },
    );
    for (const size of [0, 1, 4095, 4096, 4097, 8192, 65_536]) {
      expect(journalDataEnd(new Uint8Array(size))).toBe(0);
      const last = new Uint8Array(size + 1);
      last[size] = 1;
      expect(journalDataEnd(last)).toBe(size + 1);
    }
  });
});
