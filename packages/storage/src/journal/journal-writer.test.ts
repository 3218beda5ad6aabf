import { lstat, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue } from '@jido-code/core-schema';
import { type FaultCode, type FaultRule, injectFaults } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { newSessionId } from '../../test/journal/journal-test-kit.js';
import { useJournalDir } from '../../test/journal/use-journal-dir.js';
import { type FileSystem, nodeFileSystem } from '../fs/file-system.js';
import { journalDataEnd } from './journal-decode.js';
import { JournalDirectory } from './journal-directory.js';
import type { JournalSyncMode } from './journal-file-io.js';
import { JournalWriter } from './journal-writer.js';

const journal = useJournalDir();
const { signer } = journal;

/** The real file system behind a fault-injecting proxy whose plan tests extend as they go. */
function faultyFileSystem() {
  const plan: FaultRule[] = [];
  const fs = injectFaults(nodeFileSystem, plan, { async: true });
  return {
    fs,
    plan,
    count: (method: keyof FileSystem) => fs.faults.callCount(method),
    /** Fails the next call of `method`; a write may first go through as a short write. */
    failNext(method: keyof FileSystem, code: FaultCode, afterShortWrite = false) {
      const nth = fs.faults.callCount(method) + 1;
      if (afterShortWrite) plan.push({ method, code, nth, shortWrite: true });
      plan.push({ method, code, nth: afterShortWrite ? nth + 1 : nth });
    },
  };
}

async function openWriter(
  sessionId: string,
  fs: FileSystem = nodeFileSystem,
  extra: { maxBytes?: number; now?: () => Date; syncMode?: JournalSyncMode } = {},
) {
  return journal.openWriter({ fs, sessionId, ...extra });
}

async function readBack(sessionId: string) {
  const read = await new JournalDirectory({ fs: nodeFileSystem, dir: journal.dir, signer }).read(sessionId);
  if (!read.ok) throw read.error;
  return read.value;
}

async function appendOk(writer: JournalWriter, type: string, data: JsonValue): Promise<number> {
  const appended = await writer.append(type, data);
  if (!appended.ok) throw appended.error;
  return appended.value.seq;
}

describe('JournalWriter', () => {
  it('round-trips records of every JSON shape, with seq and timestamps', async () => {
    const sessionId = newSessionId();
    let tick = Date.UTC(2024, 4, 1);
    const now = () => {
      tick += 1000;
      return new Date(tick);
    };
    const writer = await openWriter(sessionId, nodeFileSystem, { now });
    const data: JsonValue[] = [
      { name: 'demo', project_path: '/tmp/p', config: { provider: 'x', temperature: 0.5 } },
      'a string with\nnewlines and \u2028 separators and emoji 🎉',
      [1, 2.5, -3e-7, true, false, null],
      { nested: { deeper: { list: [{ a: 1 }] } } },
      null,
    ];
    const seqs: number[] = [];
    for (const item of data) seqs.push(await appendOk(writer, 'message', item));
    await writer.close();
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    const contents = await readBack(sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(data);
    expect(contents.records.map((record) => record.seq)).toEqual(seqs);
    expect(contents.records.map((record) => record.at)).toEqual(
      data.map((_, index) => new Date(Date.UTC(2024, 4, 1) + (index + 1) * 1000).toISOString()),
    );
    expect(contents.tornTail).toBe(false);
    expect(contents.corruption).toBeUndefined();
    expect(contents.sizeBytes).toBe((await readFile(writer.path)).length);
  });

  it('stamps each record with the clock reading of its own append, one clock read per append', async () => {
    const readings = [5, 5, 5, 6, 5].map((ms) => Date.UTC(2024, 4, 1, 0, 0, 0, ms));
    let reads = 0;
    const now = () => new Date(readings[reads++] ?? Number.NaN);
    const sessionId = newSessionId();
    const writer = await openWriter(sessionId, nodeFileSystem, { now });
    await Promise.all(readings.map((_, index) => appendOk(writer, 'message', index)));
    const invalid = await writer.append('message', 'no time');
    await writer.close();
    expect(invalid.ok || invalid.error.code).toBe('invalid_value');
    expect(reads).toBe(6);
    const records = (await readBack(sessionId)).records;
    expect(records.map((record) => record.at)).toEqual(readings.map((ms) => new Date(ms).toISOString()));
  });

  it('stamps records with the current time when no clock is given', async () => {
    const sessionId = newSessionId();
    const writer = await openWriter(sessionId, nodeFileSystem);
    const before = Date.now();
    await Promise.all([0, 1, 2].map((index) => appendOk(writer, 'message', index)));
    const after = Date.now();
    await writer.close();
    for (const record of (await readBack(sessionId)).records) {
      const at = Date.parse(record.at);
      expect(new Date(at).toISOString()).toBe(record.at);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
  });

  it('creates the journal as a 0600 file named <sessionId>.jsonl', async () => {
    const sessionId = newSessionId();
    const writer = await openWriter(sessionId);
    expect(writer.path).toBe(join(journal.dir, `${sessionId}.jsonl`));
    expect(writer.sessionId).toBe(sessionId);
    expect((await lstat(writer.path)).mode & 0o777).toBe(0o600);
    await writer.close();
  });

  it('syncs the directory after creating the journal, and not when continuing one', async () => {
    const sessionId = newSessionId();
    const faulty = faultyFileSystem();
    await (await openWriter(sessionId, faulty.fs)).close();
    expect(faulty.count('fsync')).toBe(1);
    await (await openWriter(sessionId, faulty.fs)).close();
    expect(faulty.count('fsync')).toBe(1);
  });

  it('group-commits: 16 concurrent appends share fewer fdatasyncs and resolve with increasing seq', async () => {
    const writer = await openWriter(newSessionId());
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, index) => writer.append('message', { index })),
    );
    const seqs = results.map((result) => (result.ok ? result.value.seq : -1));
    expect(seqs).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    expect(writer.stats.records).toBe(16);
    expect(writer.stats.syncs).toBeGreaterThanOrEqual(1);
    expect(writer.stats.syncs).toBeLessThan(16);
    await writer.close();
    const contents = await readBack(writer.sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(
      Array.from({ length: 16 }, (_, index) => ({ index })),
    );
  });

  it('batches appends that arrive while a flush is in progress into the next single fdatasync', async () => {
    const writer = await openWriter(newSessionId());
    const first = writer.append('message', 0);
    await Promise.resolve();
    await Promise.resolve();
    // The first batch is now being written; these wait for it and then share one sync.
    const rest = Array.from({ length: 10 }, (_, index) => writer.append('message', index + 1));
    await Promise.all([first, ...rest]);
    expect(writer.stats.syncs).toBe(2);
    await writer.close();
  });

  it('syncs once per append when appends come one at a time', async () => {
    const writer = await openWriter(newSessionId());
    for (let index = 0; index < 5; index++) await appendOk(writer, 'message', index);
    expect(writer.stats).toEqual({ syncs: 5, records: 5 });
    await writer.close();
  });

  it('continues seq and chain when an existing journal is reopened', async () => {
    const sessionId = newSessionId();
    const first = await openWriter(sessionId);
    await appendOk(first, 'open', { name: 'demo' });
    await appendOk(first, 'message', 'one');
    await first.close();
    const second = await openWriter(sessionId);
    expect(await appendOk(second, 'message', 'two')).toBe(3);
    await second.close();
    const contents = await readBack(sessionId);
    expect(contents.records.map((record) => [record.seq, record.type, record.data])).toEqual([
      [1, 'open', { name: 'demo' }],
      [2, 'message', 'one'],
      [3, 'message', 'two'],
    ]);
    expect(contents.corruption).toBeUndefined();
  });

  it('truncates a torn tail on reopen, so later appends read back fine', async () => {
    const sessionId = newSessionId();
    const first = await openWriter(sessionId);
    await appendOk(first, 'message', 'kept');
    await first.close();
    const written = await readFile(first.path);
    const intact = written.subarray(0, journalDataEnd(written));
    await writeFile(first.path, Buffer.concat([intact, Buffer.from('{"at":"2024-05-01T00:0')]));
    expect((await readBack(sessionId)).tornTail).toBe(true);

    const faulty = faultyFileSystem();
    const second = await openWriter(sessionId, faulty.fs);
    expect(faulty.count('ftruncate')).toBe(1);
    expect(faulty.count('fsync')).toBe(1);
    expect((await readFile(first.path)).equals(intact)).toBe(true);
    expect(await appendOk(second, 'message', 'after')).toBe(2);
    await second.close();
    const contents = await readBack(sessionId);
    expect(contents.records.map((record) => record.data)).toEqual(['kept', 'after']);
    expect(contents.tornTail).toBe(false);
    expect(contents.corruption).toBeUndefined();
  });

  it('refuses to continue a corrupt journal with journal_corrupt, leaving it untouched', async () => {
    const sessionId = newSessionId();
    const first = await openWriter(sessionId);
    await appendOk(first, 'message', 'one');
    await appendOk(first, 'message', 'two');
    await first.close();
    const original = await readFile(first.path, 'utf8');
    const tampered = original.replace('"one"', '"One"');
    await writeFile(first.path, tampered);
    const reopened = await JournalWriter.open({ fs: nodeFileSystem, dir: journal.dir, sessionId, signer });
    expect(reopened.ok || reopened.error.code).toBe('journal_corrupt');
    expect(await readFile(first.path, 'utf8')).toBe(tampered);
  });

  it('refuses a symlink planted under the journal name', async () => {
    const sessionId = newSessionId();
    await writeFile(join(journal.dir, 'target'), '');
    await symlink(join(journal.dir, 'target'), join(journal.dir, `${sessionId}.jsonl`));
    const opened = await JournalWriter.open({ fs: nodeFileSystem, dir: journal.dir, sessionId, signer });
    expect(opened.ok || opened.error.code).toBe('permission_denied');
  });

  it('refuses an invalid session id before any file-system call', async () => {
    const faulty = faultyFileSystem();
    for (const sessionId of ['../escape', 'not-a-uuid', `${newSessionId().toUpperCase()}`, '']) {
      const opened = await JournalWriter.open({ fs: faulty.fs, dir: journal.dir, sessionId, signer });
      expect(opened.ok || opened.error.code).toBe('invalid_id');
    }
    expect(faulty.fs.faults.calls.length).toBe(0);
  });

  it('loops on short writes', async () => {
    const faulty = faultyFileSystem();
    faulty.plan.push({ method: 'write', code: 'EIO', shortWrite: true, times: 'always' });
    const writer = await openWriter(newSessionId(), faulty.fs);
    const data = Array.from({ length: 6 }, (_, index) => ({ index, text: 'x'.repeat(index * 10) }));
    await Promise.all(data.map((item) => writer.append('message', item)));
    await writer.close();
    expect(faulty.fs.faults.injected.length).toBeGreaterThan(10);
    expect((await readBack(writer.sessionId)).records.map((record) => record.data)).toEqual(data);
  });

  it('refuses data JSON cannot represent without writing or poisoning', async () => {
    const writer = await openWriter(newSessionId());
    const refused = await writer.append('message', { value: Number.POSITIVE_INFINITY });
    expect(refused.ok).toBe(false);
    expect(await appendOk(writer, 'message', 'fine')).toBe(1);
    expect(writer.failed).toBe(false);
    await writer.close();
  });

  it('refuses an append that would grow the journal past maxBytes, without poisoning', async () => {
    const writer = await openWriter(newSessionId(), nodeFileSystem, { maxBytes: 600 });
    expect(await appendOk(writer, 'message', 'small')).toBe(1);
    const refused = await writer.append('message', 'x'.repeat(600));
    expect(refused.ok || refused.error.code).toBe('too_large');
    expect(await appendOk(writer, 'message', 'small again')).toBe(2);
    await writer.close();
    expect((await readBack(writer.sessionId)).records.map((record) => record.data)).toEqual([
      'small',
      'small again',
    ]);
  });

  it('close waits for in-flight appends; appends after close fail', async () => {
    const writer = await openWriter(newSessionId());
    const pending = Array.from({ length: 5 }, (_, index) => writer.append('message', index));
    await writer.close();
    for (const result of await Promise.all(pending)) expect(result.ok).toBe(true);
    const late = await writer.append('message', 'late');
    expect(late.ok).toBe(false);
    await writer.close();
    expect((await readBack(writer.sessionId)).records).toHaveLength(5);
  });
});

describe('JournalWriter under injected I/O faults', () => {
  it.each([
    ['fdatasync', 'EIO', false, 'fdatasync'],
    ['fdatasync', 'ENOSPC', false, 'fdatasync'],
    ['write', 'EIO', false, 'fdatasync'],
    ['write', 'ENOSPC', true, 'fdatasync'],
    ['write', 'EIO', false, 'dsync'],
    ['write', 'ENOSPC', false, 'dsync'],
    ['write', 'ENOSPC', true, 'dsync'],
  ] as const)(
    'a failing %s (%s, after a short write: %s; %s) rejects the batch, poisons the writer and is not retried',
    async (method, code, afterShortWrite, syncMode) => {
      const sessionId = newSessionId();
      const faulty = faultyFileSystem();
      const writer = await openWriter(sessionId, faulty.fs, { syncMode });
      const acknowledged: JsonValue[] = [];
      for (let index = 0; index < 3; index++) {
        await appendOk(writer, 'message', { index });
        acknowledged.push({ index });
      }
      const syncsBefore = faulty.count('fdatasync');
      faulty.failNext(method, code, afterShortWrite);
      const batch = await Promise.all(
        Array.from({ length: 4 }, (_, index) => writer.append('message', { failed: index })),
      );
      expect(faulty.fs.faults.injected.map((fault) => fault.method)).toContain(method);
      for (const result of batch) expect(result.ok || result.error.code).toBe('io_error');
      expect(writer.failed).toBe(true);

      const later = await writer.append('message', 'after the failure');
      expect(later.ok || later.error.code).toBe('io_error');
      await writer.close();
      const expectedSyncs = method === 'fdatasync' ? syncsBefore + 1 : syncsBefore;
      expect(faulty.count('fdatasync')).toBe(expectedSyncs);

      const reopened = await openWriter(sessionId);
      const next = await reopened.append('message', 'recovered');
      await reopened.close();
      const contents = await readBack(sessionId);
      expect(contents.corruption).toBeUndefined();
      const data = contents.records.map((record) => record.data);
      expect(data.slice(0, 3)).toEqual(acknowledged);
      // The failed batch was never acknowledged; it may or may not have reached the file.
      expect(data.at(-1)).toBe('recovered');
      expect(next.ok && next.value.seq).toBe(contents.records.length);
    },
  );

  it('reports a failing create as a typed error', async () => {
    const faulty = faultyFileSystem();
    faulty.failNext('open', 'EACCES');
    const opened = await JournalWriter.open({
      fs: faulty.fs,
      dir: journal.dir,
      sessionId: newSessionId(),
      signer,
    });
    expect(opened.ok || opened.error.code).toBe('permission_denied');
  });
});
