import { lstat, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { hmacSigner, newSessionId } from '../../test/journal/journal-test-kit.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { JournalDirectory, listJournalSessionIds } from './journal-directory.js';
import { quarantineReasonFor } from './journal-quarantine.js';

const testCase = PersistenceTestCase.use();
let journalDir: string;
const now = new Date('2026-03-04T05:06:07.890Z');

beforeEach(() => {
  journalDir = join(testCase.home, 'journal');
});

function journals() {
  return new JournalDirectory({ fs: nodeFileSystem, dir: journalDir, signer: hmacSigner(), now: () => now });
}

async function writeJournal(sessionId: string): Promise<Buffer> {
  const opened = await journals().open(sessionId);
  if (!opened.ok) throw opened.error;
  for (const text of ['one', 'two']) {
    const appended = await opened.value.append('message', text);
    if (!appended.ok) throw appended.error;
  }
  await opened.value.close();
  return readFile(join(journalDir, `${sessionId}.jsonl`));
}

describe('journal quarantine', () => {
  it('moves a journal aside byte for byte into a 0700 folder, named by session, time and reason', async () => {
    const sessionId = newSessionId();
    const bytes = await writeJournal(sessionId);
    const moved = await journals().quarantine(sessionId, 'bad-signature');
    if (!moved.ok) throw moved.error;
    const fileName = `${sessionId}.20260304T050607Z.bad-signature.jsonl`;
    expect(moved.value).toEqual({
      sessionId,
      reason: 'bad-signature',
      quarantinedAt: '2026-03-04T05:06:07Z',
      fileName,
      path: join(journalDir, 'quarantine', fileName),
      homeRelativePath: `journal/quarantine/${fileName}`,
    });
    expect(await readFile(moved.value.path)).toEqual(bytes);
    expect((await lstat(join(journalDir, 'quarantine'))).mode & 0o777).toBe(0o700);
    // No longer pending: listing the journal folder (one readdir) does not see it.
    expect(await listJournalSessionIds(nodeFileSystem, journalDir)).toEqual({ ok: true, value: [] });
    const listed = await journals().listQuarantined();
    expect(listed.ok && listed.value).toEqual([moved.value]);
  });

  it('never overwrites an earlier quarantined journal of the same session', async () => {
    const sessionId = newSessionId();
    const first = await writeJournal(sessionId);
    const one = await journals().quarantine(sessionId, 'broken-chain');
    const second = await writeJournal(sessionId);
    const two = await journals().quarantine(sessionId, 'broken-chain');
    if (!one.ok || !two.ok) throw new Error('quarantine failed');
    expect(two.value.fileName).not.toBe(one.value.fileName);
    expect(await readFile(one.value.path)).toEqual(first);
    expect(await readFile(two.value.path)).toEqual(second);
    expect(await readdir(join(journalDir, 'quarantine'))).toHaveLength(2);
  });

  it('refuses a symlink planted as the quarantine folder, and ignores foreign names there', async () => {
    const sessionId = newSessionId();
    await writeJournal(sessionId);
    await mkdir(join(testCase.home, 'elsewhere'));
    await symlink(join(testCase.home, 'elsewhere'), join(journalDir, 'quarantine'));
    const moved = await journals().quarantine(sessionId, 'damaged-line');
    expect(moved.ok).toBe(false);
    expect(await readdir(join(testCase.home, 'elsewhere'))).toEqual([]);
    expect(await listJournalSessionIds(nodeFileSystem, journalDir)).toEqual({ ok: true, value: [sessionId] });
  });

  it('lists nothing when the folder is missing, and invalid ids are refused before any file call', async () => {
    expect(await journals().listQuarantined()).toEqual({ ok: true, value: [] });
    const refused = await journals().quarantine('../../etc/passwd', 'damaged-line');
    expect(!refused.ok && refused.error.code).toBe('invalid_id');
  });

  it('maps verify failures to reasons', () => {
    expect(quarantineReasonFor('signature invalid')).toBe('bad-signature');
    expect(quarantineReasonFor('chain broken')).toBe('broken-chain');
    expect(quarantineReasonFor('out of sequence')).toBe('broken-chain');
    expect(quarantineReasonFor('unparseable')).toBe('damaged-line');
  });
});
