import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileSystem } from '@jido-code/storage';
import { injectFaults } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { makeProject, must, openManager, openStore } from '../test/helpers.js';
import { inspectOpenElsewhere } from './open-elsewhere.js';
import { recoverInterruptedSessions } from './recover-interrupted.js';

const testCase = PersistenceTestCase.use();

/** A session left behind as by kill -9: its journal holds `texts`, its lease is gone. */
async function crashedSession(texts: readonly string[], name = 'crashed') {
  const manager = await openManager(testCase.home);
  const session = must(await manager.create({ projectPath: await makeProject(), name }));
  for (const text of texts) must(await session.addMessage('user', text));
  await session.lease.release();
  return session;
}

const journalDir = () => join(testCase.home, 'journal');
const quarantineDir = () => join(testCase.home, 'journal', 'quarantine');

describe('recoverInterruptedSessions', () => {
  it('does one readdir and nothing else when no journal is pending', async () => {
    const fs = injectFaults(nodeFileSystem, []);
    const store = await openStore(testCase.home, { fs });
    const before = fs.faults.calls.length;
    const report = await recoverInterruptedSessions(store);
    expect(report).toEqual({ recovered: [], sessions: [], skipped: [], quarantined: [], failed: [] });
    expect(fs.faults.calls.slice(before).map((call) => call.method)).toEqual(['readdir']);
  });

  it('recovers every acknowledged message, counts them and retires the journal', async () => {
    const session = await crashedSession(['one', 'two', 'three']);
    const store = await openStore(testCase.home);
    const report = await recoverInterruptedSessions(store);
    expect(report.recovered).toEqual([session.id]);
    expect(report.sessions).toEqual([
      { id: session.id, name: 'crashed', messages: 3, records: 4, lastAt: expect.any(String) },
    ]);
    const loaded = must(await store.load(session.id));
    expect(loaded.session.conversation.map((message) => message.content)).toEqual(['one', 'two', 'three']);
    expect(loaded.session.recovered_at).toEqual(expect.any(String));
    expect(loaded.session.closed_at).toEqual(expect.any(String));
    expect(await readdir(journalDir())).toEqual([]);
  });

  it('leaves a session a live holder has open untouched, and can still count what waits', async () => {
    const manager = await openManager(testCase.home);
    const live = must(await manager.create({ projectPath: await makeProject(), name: 'live' }));
    for (const text of ['a', 'b']) must(await live.addMessage('user', text));
    const journal = join(journalDir(), `${live.id}.jsonl`);
    const bytes = await readFile(journal);
    const other = await openStore(testCase.home);
    const report = await recoverInterruptedSessions(other);
    expect(report.skipped).toEqual([live.id]);
    expect(report.recovered).toEqual([]);
    expect(await readFile(journal)).toEqual(bytes);
    const seen = must(await inspectOpenElsewhere(other, live.id));
    expect(seen).toMatchObject({ id: live.id, pid: process.pid, pendingMessages: 2 });
    expect(await readFile(journal)).toEqual(bytes);
    expect(must(await other.load(live.id)).session.conversation).toEqual([]);
    must(await manager.close(live.id));
    expect(must(await inspectOpenElsewhere(other, live.id))).toBeUndefined();
  });

  it('recovers what precedes a damaged line, then quarantines the journal instead of deleting it', async () => {
    const session = await crashedSession(['kept 1', 'kept 2', 'after the damage']);
    const path = join(journalDir(), `${session.id}.jsonl`);
    const lines = (await readFile(path, 'utf8')).split('\n');
    // Line 4 is the third message: change one character of its text, so its MAC no longer verifies.
    lines[3] = (lines[3] ?? '').replace('after the damage', 'after the dAmage');
    const damaged = lines.join('\n');
    await writeFile(path, damaged);
    const store = await openStore(testCase.home);
    const report = await recoverInterruptedSessions(store);
    expect(report.recovered).toEqual([session.id]);
    expect(report.sessions[0]?.messages).toBe(2);
    expect(report.quarantined).toHaveLength(1);
    const notice = report.quarantined[0];
    expect(notice?.reason).toBe('bad-signature');
    expect(notice?.file).toMatch(
      new RegExp(`^journal/quarantine/${session.id}\\.[0-9T]+Z\\.bad-signature\\.jsonl$`),
    );
    expect(notice?.error.code).toBe('journal_corrupt');
    expect(notice?.error.message).toContain(notice?.file);
    expect(await readdir(journalDir())).toEqual(['quarantine']);
    expect(await readFile(join(testCase.home, notice?.file ?? ''), 'utf8')).toBe(damaged);
    const loaded = must(await store.load(session.id));
    expect(loaded.session.conversation.map((message) => message.content)).toEqual(['kept 1', 'kept 2']);
    const listed = must(await must(await store.journals()).listQuarantined());
    expect(listed.map((entry) => entry.sessionId)).toEqual([session.id]);
    // Nothing is pending any more: the next pass does nothing and deletes nothing.
    expect((await recoverInterruptedSessions(store)).quarantined).toEqual([]);
    expect(await readdir(quarantineDir())).toHaveLength(1);
  });

  it('quarantines a journal signed with a key this home does not have, saving nothing', async () => {
    const store = await openStore(testCase.home);
    must(await store.journals());
    const elsewhere = await PersistenceTestCase.create();
    try {
      const manager = await openManager(elsewhere.home);
      const foreign = must(await manager.create({ projectPath: await makeProject('foreign') }));
      must(await foreign.addMessage('user', 'from another machine'));
      await copyFile(
        join(elsewhere.home, 'journal', `${foreign.id}.jsonl`),
        join(journalDir(), `${foreign.id}.jsonl`),
      );
      await foreign.lease.release();
    } finally {
      await elsewhere.cleanup();
    }
    const report = await recoverInterruptedSessions(store);
    expect(report.recovered).toEqual([]);
    expect(report.quarantined.map((notice) => notice.reason)).toEqual(['bad-signature']);
    expect(await readdir(quarantineDir())).toHaveLength(1);
    expect(must(await store.listPersisted()).sessions).toEqual([]);
  });
});
