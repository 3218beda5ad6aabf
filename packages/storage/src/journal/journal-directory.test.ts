import { lstat, mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { injectFaults } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import { type FileSystem, nodeFileSystem } from '../fs/file-system.js';
import { journalDataEnd } from './journal-decode.js';
import { JournalDirectory } from './journal-directory.js';

const signer = hmacSigner();
const testCase = PersistenceTestCase.use();
let home: string;
let journalDir: string;

beforeEach(() => {
  home = testCase.home;
  journalDir = join(home, 'journal');
});

/** The real file system, with every call logged (an injection that plans no fault). */
function countingFileSystem() {
  return injectFaults(nodeFileSystem, []);
}

function journals(options: { maxBytes?: number; fs?: FileSystem } = {}) {
  return new JournalDirectory({
    fs: options.fs ?? nodeFileSystem,
    dir: journalDir,
    signer,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
}

async function writeJournal(directory: JournalDirectory, sessionId: string, items: string[]) {
  const opened = await directory.open(sessionId);
  if (!opened.ok) throw opened.error;
  for (const item of items) {
    const appended = await opened.value.append('message', item);
    if (!appended.ok) throw appended.error;
  }
  await opened.value.close();
  return opened.value.path;
}

describe('JournalDirectory', () => {
  it('ensureDir creates a 0700 directory even under a umask that strips owner bits', async () => {
    const previous = process.umask(0o277);
    try {
      await journals().ensureDir();
    } finally {
      process.umask(previous);
    }
    const stats = await lstat(journalDir);
    expect(stats.isDirectory()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o700);
    await journals().ensureDir();
  });

  it('ensureDir refuses a symlink in place of the directory', async () => {
    await mkdir(join(home, 'elsewhere'));
    await symlink(join(home, 'elsewhere'), journalDir);
    await expect(journals().ensureDir()).rejects.toMatchObject({ code: 'permission_denied' });
    const opened = await journals().open(newSessionId());
    expect(opened.ok || opened.error.code).toBe('permission_denied');
  });

  it('open creates the directory and the journal; read returns what was appended', async () => {
    const sessionId = newSessionId();
    const directory = journals();
    await writeJournal(directory, sessionId, ['one', 'two']);
    const read = await directory.read(sessionId);
    expect(read.ok && read.value.records.map((record) => record.data)).toEqual(['one', 'two']);
    expect(read.ok && read.value.sessionId).toBe(sessionId);
  });

  it('read reports not_found when the session has no journal', async () => {
    const read = await journals().read(newSessionId());
    expect(read.ok || read.error.code).toBe('not_found');
  });

  it('read refuses a journal over maxBytes before reading it', async () => {
    const sessionId = newSessionId();
    await writeJournal(journals(), sessionId, ['x'.repeat(300)]);
    const faulty = countingFileSystem();
    const read = await journals({ maxBytes: 100, fs: faulty }).read(sessionId);
    expect(read.ok || read.error.code).toBe('too_large');
    expect(faulty.faults.callCount('read')).toBe(0);
  });

  it('read refuses a symlink planted under a journal name', async () => {
    const sessionId = newSessionId();
    const path = await writeJournal(journals(), sessionId, ['one']);
    const other = newSessionId();
    await symlink(path, join(journalDir, `${other}.jsonl`));
    const read = await journals().read(other);
    expect(read.ok || read.error.code).toBe('permission_denied');
  });

  it('read reports corruption and the records before it, and leaves the file alone', async () => {
    const sessionId = newSessionId();
    const path = await writeJournal(journals(), sessionId, ['one', 'two', 'three']);
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, [lines[0], lines[2], ''].join('\n'));
    const read = await journals().read(sessionId);
    if (!read.ok) throw read.error;
    expect(read.value.records.map((record) => record.data)).toEqual(['one']);
    expect(read.value.corruption?.code).toBe('journal_corrupt');
  });

  it('read reports a torn tail without truncating it', async () => {
    const sessionId = newSessionId();
    const path = await writeJournal(journals(), sessionId, ['one', 'two']);
    const size = journalDataEnd(await readFile(path));
    await truncate(path, size - 5);
    const read = await journals().read(sessionId);
    if (!read.ok) throw read.error;
    expect(read.value.records.map((record) => record.data)).toEqual(['one']);
    expect(read.value.tornTail).toBe(true);
    expect((await lstat(path)).size).toBe(size - 5);
  });

  it('retire removes the journal, syncs the directory, and is idempotent', async () => {
    const sessionId = newSessionId();
    await writeJournal(journals(), sessionId, ['one']);
    const faulty = countingFileSystem();
    const directory = journals({ fs: faulty });
    expect(await directory.retire(sessionId)).toEqual({ ok: true, value: undefined });
    expect(faulty.faults.callCount('fsync')).toBe(1);
    expect(await directory.retire(sessionId)).toEqual({ ok: true, value: undefined });
    const read = await directory.read(sessionId);
    expect(read.ok || read.error.code).toBe('not_found');
  });

  it('list returns the sessions having a journal and ignores foreign files', async () => {
    expect(await journals().list()).toEqual({ ok: true, value: [] });
    const ids = [newSessionId(), newSessionId()].sort();
    for (const id of ids) await writeJournal(journals(), id, ['x']);
    await writeFile(join(journalDir, 'notes.txt'), '');
    await writeFile(join(journalDir, `${newSessionId()}.jsonl.tmp`), '');
    await writeFile(join(journalDir, `${newSessionId().toUpperCase()}.jsonl`), '');
    await writeFile(join(journalDir, '.jsonl'), '');
    expect(await journals().list()).toEqual({ ok: true, value: ids });
  });

  it('refuses invalid session ids with invalid_id before any file-system call', async () => {
    const faulty = countingFileSystem();
    const directory = journals({ fs: faulty });
    for (const sessionId of ['../../etc/passwd', 'abc', `${newSessionId()}/x`]) {
      for (const result of [
        await directory.open(sessionId),
        await directory.read(sessionId),
        await directory.retire(sessionId),
      ]) {
        expect(result.ok || result.error.code).toBe('invalid_id');
      }
    }
    expect(faulty.faults.calls.length).toBe(0);
  });
});
