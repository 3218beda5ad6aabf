import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type FileSystem, nodeFileSystem } from '@jido-code/storage';
import { errnoError } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { makeProject, must, openManager, openStore } from '../test/helpers.js';

const testCase = PersistenceTestCase.use();

/** The real file system, with a switch that makes renames onto session files fail (a failed save). */
function failingSaves(): FileSystem & { failing: boolean } {
  const fs = {
    ...nodeFileSystem,
    failing: false,
    rename: async (from: string, to: string) => {
      if (fs.failing && /\/sessions\/[0-9a-f-]{36}\.json$/.test(to)) throw errnoError('EIO', 'rename', to);
      return nodeFileSystem.rename(from, to);
    },
  };
  return fs;
}

/** The real file system, with fsync held at a gate while `slow` is set (a save that takes its time). */
function slowSaves(): FileSystem & { hold(): () => void; started: Promise<void> } {
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  let markStarted: () => void = () => {};
  const fs = {
    ...nodeFileSystem,
    started: Promise.resolve(),
    hold() {
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      fs.started = new Promise<void>((resolve) => {
        markStarted = resolve;
      });
      return () => {
        gate = undefined;
        release?.();
      };
    },
    fsync: async (fd: number) => {
      if (gate) {
        markStarted();
        await gate;
      }
      return nodeFileSystem.fsync(fd);
    },
  };
  return fs;
}

describe('SessionManager under failures and races', () => {
  it('keeps a change made during a slow save for the next save', async () => {
    const fs = slowSaves();
    const manager = await openManager(testCase.home, { store: await openStore(testCase.home, { fs }) });
    const session = must(await manager.create({ projectPath: await makeProject() }));
    must(await session.addMessage('user', 'before the save'));

    const release = fs.hold();
    const saving = manager.save(session.id);
    await fs.started;
    const during = session.addMessage('user', 'during the save');
    release();
    must(await saving);
    must(await during);

    const first = must(await manager.store.load(session.id));
    expect(first.session.conversation.map((message) => message.content)).toEqual(['before the save']);
    must(await manager.save(session.id));
    const second = must(await manager.store.load(session.id));
    expect(second.session.conversation.map((message) => message.content)).toEqual([
      'before the save',
      'during the save',
    ]);
  });

  it('completes a close whose save fails, keeps the journal, and recovers everything later', async () => {
    const fs = failingSaves();
    const manager = await openManager(testCase.home, { store: await openStore(testCase.home, { fs }) });
    const session = must(await manager.create({ projectPath: await makeProject() }));
    for (const text of ['one', 'two', 'three']) must(await session.addMessage('user', text));
    const before = await readFile(join(testCase.sessionsDir, `${session.id}.json`));

    fs.failing = true;
    const report = must(await manager.close(session.id));
    expect(report.saved).toBe(false);
    expect(report.error?.code).toBe('io_error');
    expect(manager.list()).toHaveLength(0);
    expect(await readFile(join(testCase.sessionsDir, `${session.id}.json`))).toEqual(before);
    expect(await readdir(join(testCase.home, 'journal'))).toContain(`${session.id}.jsonl`);

    const later = await openManager(testCase.home);
    const recovery = await later.recover();
    expect(recovery.recovered).toEqual([session.id]);
    const loaded = must(await later.store.load(session.id));
    expect(loaded.session.conversation.map((message) => message.content)).toEqual(['one', 'two', 'three']);
    expect(loaded.session.recovered_at).toEqual(expect.any(String));
    expect(await readdir(join(testCase.home, 'journal'))).not.toContain(`${session.id}.jsonl`);
    const listed = must(await later.store.listPersisted());
    expect(listed.sessions.find((entry) => entry.id === session.id)?.recovered_at).toEqual(
      expect.any(String),
    );

    const resumed = must(await later.resume(session.id));
    must(await later.close(resumed.id));
    const cleanly = must(await later.store.load(session.id));
    expect(cleanly.session.recovered_at).toBeNull();
  });

  it('rebuilds a session from its journal alone when the snapshot is gone', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject(), name: 'journal only' }));
    must(await session.addMessage('user', 'kept in the journal'));
    must(await session.addTodo('Recover me'));
    await rm(join(testCase.sessionsDir, `${session.id}.json`));
    await session.lease.release();

    const later = await openManager(testCase.home);
    expect((await later.recover()).recovered).toEqual([session.id]);
    const loaded = must(await later.store.load(session.id));
    expect(loaded.session.name).toBe('journal only');
    expect(loaded.session.conversation.map((message) => message.content)).toEqual(['kept in the journal']);
    expect(loaded.session.todos.map((todo) => todo.content)).toEqual(['Recover me']);
  });

  it('undoes a resume when the project folder is replaced between the two checks', async () => {
    const project = await makeProject('swapped');
    const first = await openManager(testCase.home);
    const session = must(await first.create({ projectPath: project }));
    must(await session.addMessage('user', 'hello'));
    must(await first.close(session.id));
    const file = join(testCase.sessionsDir, `${session.id}.json`);
    const before = await readFile(file);

    const manager = await openManager(testCase.home, {
      afterStartHook: async () => {
        await rename(project, `${project}-old`);
        await mkdir(project);
      },
    });
    const resumed = await manager.resume(session.id);
    expect(!resumed.ok && resumed.error.code).toBe('project_changed');
    expect(manager.list()).toHaveLength(0);
    expect(await readFile(file)).toEqual(before);
    expect(must(await manager.store.leaseHolder(session.id))).toBeUndefined();
    expect(await readdir(join(testCase.home, 'journal'))).not.toContain(`${session.id}.jsonl`);

    const plain = await openManager(testCase.home);
    const again = must(await plain.resume(session.id));
    expect(again.messageCount).toBe(1);
  });

  it('refuses to resume a session whose project folder was deleted, leaving the file', async () => {
    const project = await makeProject('deleted');
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: project }));
    must(await manager.close(session.id));
    await rm(project, { recursive: true });
    const resumed = await manager.resume(session.id);
    expect(!resumed.ok && resumed.error.code).toBe('invalid_project_path');
    expect(must(await manager.store.load(session.id)).session.id).toBe(session.id);
    expect(must(await manager.store.leaseHolder(session.id))).toBeUndefined();
  });

  it('limits open sessions and allows one per project path', async () => {
    const manager = await openManager(testCase.home, { maxOpenSessions: 2 });
    const shared = await makeProject('shared');
    must(await manager.create({ projectPath: shared }));
    const duplicate = await manager.create({ projectPath: shared });
    expect(!duplicate.ok && duplicate.error.code).toBe('project_already_open');
    must(await manager.create({ projectPath: await makeProject('second') }));
    const third = await manager.create({ projectPath: await makeProject('third') });
    expect(!third.ok && third.error.code).toBe('session_limit_reached');
    expect(!third.ok && third.error.details).toMatchObject({ current: 2, max: 2 });
    expect((await manager.closeAll()).every((report) => report.saved)).toBe(true);
  });

  it('refuses changes once a close has begun and names a new session after its folder', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('my-app') }));
    expect(session.name).toBe('my-app');
    const closing = manager.close(session.id);
    const late = await session.addMessage('user', 'too late');
    expect(!late.ok && late.error.code).toBe('session_active');
    expect(must(await closing).saved).toBe(true);
  });
});
