import { appendFile, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import { useJournalDir } from '../../test/journal/use-journal-dir.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { journalDataEnd } from './journal-decode.js';
import { JournalDirectory } from './journal-directory.js';
import { prepareJournalLine } from './journal-line.js';
import type { JournalSigner } from './journal-signer.js';
import type { JournalWriter } from './journal-writer.js';

/** A signer that can be made to fail, or to sign under a key id of another length. */
const control = { failing: false, keyId: 'k1' };
const base = hmacSigner();
const signer: JournalSigner = {
  sign: (payload) => {
    if (control.failing) throw new Error('keyring gone');
    return `${control.keyId}:${base.sign(payload)}`;
  },
  verify: (payload, signature) => {
    const colon = signature.indexOf(':');
    return colon > 0 && base.verify(payload, signature.slice(colon + 1));
  },
};
const journal = useJournalDir(signer);
const at = new Date('2024-05-01T12:00:00.000Z');

async function readBack(sessionId: string) {
  const read = await new JournalDirectory({ fs: nodeFileSystem, dir: journal.dir, signer }).read(sessionId);
  if (!read.ok) throw read.error;
  return read.value;
}

async function appendOk(writer: JournalWriter, data: string): Promise<number> {
  const appended = await writer.append('message', data);
  if (!appended.ok) throw appended.error;
  return appended.value.seq;
}

/** The MAC field of each line of the journal's data. */
async function macsOf(path: string): Promise<string[]> {
  const bytes = await readFile(path);
  const lines = bytes.subarray(0, journalDataEnd(bytes)).toString('utf8').split('\n').slice(0, -1);
  return lines.map((line) => JSON.parse(line).mac);
}

describe('JournalWriter seals each batch with one MAC', () => {
  it('writes 16 concurrent appends as 15 unsealed lines and the line that seals them, in one durable write', async () => {
    const writer = await journal.openWriter();
    const appended = await Promise.all(
      Array.from({ length: 16 }, (_, index) => writer.append('message', `line ${index}`)),
    );
    expect(appended.map((result) => result.ok && result.value.seq)).toEqual(
      Array.from({ length: 16 }, (_, index) => index + 1),
    );
    expect(writer.stats).toEqual({ syncs: 1, records: 16 });
    await writer.close();
    const macs = await macsOf(writer.path);
    expect(macs.slice(0, 15)).toEqual(Array(15).fill(''));
    expect(macs[15]).toMatch(/^k1:/);
    const contents = await readBack(writer.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(
      Array.from({ length: 16 }, (_, index) => `line ${index}`),
    );
    expect(contents.tornTail).toBe(false);
  });

  it('fails a batch it cannot seal, writing nothing and poisoning nothing; the chain goes on', async () => {
    const writer = await journal.openWriter();
    expect(await appendOk(writer, 'first')).toBe(1);
    const before = await readFile(writer.path);
    control.failing = true;
    try {
      const failed = await Promise.all(['a', 'b', 'c'].map((data) => writer.append('message', data)));
      expect(failed.map((result) => result.ok || result.error.code)).toEqual([
        'internal',
        'internal',
        'internal',
      ]);
    } finally {
      control.failing = false;
    }
    expect(writer.failed).toBe(false);
    expect((await readFile(writer.path)).equals(before)).toBe(true);
    expect(await appendOk(writer, 'after')).toBe(2);
    await writer.close();
    const contents = await readBack(writer.sessionId);
    expect(contents.records.map((record) => [record.seq, record.data])).toEqual([
      [1, 'first'],
      [2, 'after'],
    ]);
  });

  it('refuses a batch whose seal outgrows the space left, without poisoning', async () => {
    const maxBytes = 3000;
    const writer = await journal.openWriter({ maxBytes, now: () => at, preallocateBytes: 0 });
    expect(await appendOk(writer, 'first')).toBe(1);
    const [firstMac = ''] = await macsOf(writer.path);
    const used = journalDataEnd(await readFile(writer.path));
    const unsealed = prepareJournalLine(
      { seq: 2, at: at.toISOString(), type: 'message', data: '' },
      JSON.stringify(firstMac),
    );
    if (!unsealed.ok) throw unsealed.error;
    // A line that fills the journal to its limit exactly when sealed under the first key id.
    const fill = 'x'.repeat(maxBytes - used - Buffer.byteLength(unsealed.value.unsealed) - firstMac.length);
    control.keyId = `k1${'0'.repeat(100)}`;
    try {
      const refused = await writer.append('message', fill);
      expect(refused.ok || refused.error.code).toBe('too_large');
    } finally {
      control.keyId = 'k1';
    }
    expect(writer.failed).toBe(false);
    expect(await appendOk(writer, fill)).toBe(2);
    await writer.close();
    expect(journalDataEnd(await readFile(writer.path))).toBe(maxBytes);
    expect((await readBack(writer.sessionId)).records.map((record) => record.data)).toEqual(['first', fill]);
  });

  it('continues a journal that ends in lines no seal covers, after truncating them', async () => {
    const sessionId = newSessionId();
    const first = await journal.openWriter({ sessionId, preallocateBytes: 0 });
    expect(await appendOk(first, 'kept')).toBe(1);
    await first.close();
    const [mac = ''] = await macsOf(first.path);
    const orphan = prepareJournalLine(
      { seq: 2, at: at.toISOString(), type: 'message', data: 'never sealed' },
      JSON.stringify(mac),
    );
    if (!orphan.ok) throw orphan.error;
    const sealedBytes = (await readFile(first.path)).length;
    await appendFile(first.path, orphan.value.unsealed);
    expect((await readBack(sessionId)).tornTail).toBe(true);

    const second = await journal.openWriter({ sessionId });
    expect((await readFile(first.path)).length).toBe(sealedBytes);
    expect(await appendOk(second, 'after')).toBe(2);
    await second.close();
    const contents = await readBack(sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['kept', 'after']);
    expect(contents.tornTail).toBe(false);
  });
});
