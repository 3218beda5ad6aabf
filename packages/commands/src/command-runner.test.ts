import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { errorCodeOf, expectOutcome, makeProject, openRunner, openStore } from '../test/helpers.js';
import { sanitizeError } from './sanitize-error.js';

const testCase = PersistenceTestCase.use();

async function load(home: string, id: string) {
  const store = await openStore(home);
  const loaded = await store.load(id);
  if (!loaded.ok) throw loaded.error;
  return loaded.value.session;
}

describe('/session new', () => {
  it('opens an absolute path, makes it active and saves it at once', async () => {
    const { runner } = await openRunner(testCase.home);
    const project = await makeProject('api');
    const opened = await expectOutcome(runner, `/session new ${project}`, 'session.opened');
    expect(opened.resumed).toBe(false);
    expect(opened.session).toMatchObject({
      name: 'api',
      project_path: project,
      active: true,
      message_count: 0,
    });
    expect(runner.active?.id).toBe(opened.session.id);
    expect((await load(testCase.home, opened.session.id)).closed_at).toBeNull();
  });

  it('resolves a relative path against cwd, and no path to cwd itself', async () => {
    const cwd = await makeProject('work');
    await mkdir(join(cwd, 'sub'));
    const { runner } = await openRunner(testCase.home, { cwd });
    const relative = await expectOutcome(runner, '/session new sub', 'session.opened');
    expect(relative.session.project_path).toBe(join(cwd, 'sub'));
    const here = await expectOutcome(runner, '/session new', 'session.opened');
    expect(here.session.project_path).toBe(cwd);
  });

  it('expands ~ with the runner userHome and takes a quoted --name', async () => {
    const project = await makeProject('x');
    const { runner } = await openRunner(testCase.home, { userHome: dirname(project) });
    const opened = await expectOutcome(runner, '/session new ~/x --name="two words"', 'session.opened');
    expect(opened.session).toMatchObject({ project_path: project, name: 'two words' });
  });

  it.each([
    ['/etc', '/etc'],
    ['/proc', '/proc'],
    ['a system subfolder', '/etc/ssl'],
  ])('refuses %s', async (_label, path) => {
    const { runner } = await openRunner(testCase.home);
    expect(await errorCodeOf(runner, `/session new ${path}`)).toBe('invalid_project_path');
    expect(runner.active).toBeUndefined();
  });

  it('refuses a file and a missing folder', async () => {
    const project = await makeProject();
    const file = join(project, 'file.txt');
    await writeFile(file, 'x');
    const { runner } = await openRunner(testCase.home);
    expect(await errorCodeOf(runner, `/session new ${file}`)).toBe('invalid_project_path');
    expect(await errorCodeOf(runner, `/session new ${join(project, 'missing')}`)).toBe(
      'invalid_project_path',
    );
    expect(runner.manager.list()).toHaveLength(0);
  });

  it('refuses a second session on a project already open', async () => {
    const { runner } = await openRunner(testCase.home);
    const project = await makeProject();
    await expectOutcome(runner, `/session new ${project}`, 'session.opened');
    expect(await errorCodeOf(runner, `/session new ${project}`)).toBe('project_already_open');
  });
});

describe('/session list, switch, rename, save, close', () => {
  it('lists open sessions with the active one marked and switches by index, prefix and name', async () => {
    const { runner } = await openRunner(testCase.home);
    const first = await expectOutcome(runner, `/session new ${await makeProject('one')}`, 'session.opened');
    const second = await expectOutcome(runner, `/session new ${await makeProject('two')}`, 'session.opened');
    const list = await expectOutcome(runner, '/session list', 'session.list');
    expect(list.sessions.map((session) => [session.name, session.active])).toEqual([
      ['one', false],
      ['two', true],
    ]);
    expect((await expectOutcome(runner, '/session switch 1', 'session.switched')).session.id).toBe(
      first.session.id,
    );
    expect(runner.active?.id).toBe(first.session.id);
    const prefix = second.session.id.slice(0, 8);
    expect(
      (await expectOutcome(runner, `/session switch ${prefix}`, 'session.switched')).session.active,
    ).toBe(true);
    expect(runner.active?.id).toBe(second.session.id);
    await expectOutcome(runner, '/session switch one', 'session.switched');
    expect(runner.active?.id).toBe(first.session.id);
    expect(await errorCodeOf(runner, '/session switch 3')).toBe('target_out_of_range');
    expect(await errorCodeOf(runner, '/session switch nope')).toBe('not_found');
  });

  it('renames the active session; the new name is saved', async () => {
    const { runner } = await openRunner(testCase.home);
    expect(await errorCodeOf(runner, '/session rename x')).toBe('no_active_session');
    const opened = await expectOutcome(runner, `/session new ${await makeProject()}`, 'session.opened');
    const renamed = await expectOutcome(runner, '/session rename "new name"', 'session.renamed');
    expect(renamed.session.name).toBe('new name');
    await expectOutcome(runner, '/session save', 'session.saved');
    expect((await load(testCase.home, opened.session.id)).name).toBe('new name');
  });

  it('pins and unpins the active session at once in its signed file; later saves keep the pin', async () => {
    const { runner } = await openRunner(testCase.home);
    expect(await errorCodeOf(runner, '/session pin')).toBe('no_active_session');
    const opened = await expectOutcome(runner, `/session new ${await makeProject()}`, 'session.opened');
    const pinned = await expectOutcome(runner, '/session pin', 'session.pinned');
    expect(pinned.pinned).toBe(true);
    expect((await load(testCase.home, opened.session.id)).pinned).toBe(true);
    await expectOutcome(runner, 'a message after the pin', 'message.added');
    await expectOutcome(runner, '/session save', 'session.saved');
    expect((await load(testCase.home, opened.session.id)).pinned).toBe(true);
    expect((await openStore(testCase.home).then((store) => store.clear())).ok).toBe(true);
    expect((await load(testCase.home, opened.session.id)).conversation).toHaveLength(1);
    const unpinned = await expectOutcome(runner, '/session unpin', 'session.pinned');
    expect(unpinned.pinned).toBe(false);
    expect((await load(testCase.home, opened.session.id)).pinned).toBe(false);
    expect(await errorCodeOf(runner, '/session pin extra')).toBe('usage');
  });

  it('saves: the file on disk has the messages, the session stays open', async () => {
    const { runner } = await openRunner(testCase.home);
    const opened = await expectOutcome(
      runner,
      `/session new ${await makeProject('saved')}`,
      'session.opened',
    );
    await expectOutcome(runner, 'hello there', 'message.added');
    await expectOutcome(runner, 'second line', 'message.added');
    const saved = await expectOutcome(runner, '/session save saved', 'session.saved');
    expect(saved.bytes).toBeGreaterThan(0);
    expect(saved.session.message_count).toBe(2);
    const onDisk = await load(testCase.home, opened.session.id);
    expect(onDisk.conversation.map((message) => [message.role, message.content])).toEqual([
      ['user', 'hello there'],
      ['user', 'second line'],
    ]);
    expect(onDisk.closed_at).toBeNull();
    expect(runner.manager.list()).toHaveLength(1);
  });

  it('closes the active session, saving it, and makes the last open one active', async () => {
    const { runner } = await openRunner(testCase.home);
    const first = await expectOutcome(runner, `/session new ${await makeProject('one')}`, 'session.opened');
    const second = await expectOutcome(runner, `/session new ${await makeProject('two')}`, 'session.opened');
    await expectOutcome(runner, 'remember me', 'message.added');
    const closed = await expectOutcome(runner, '/session close', 'session.closed');
    expect(closed.report).toMatchObject({ id: second.session.id, saved: true });
    expect(closed.active?.id).toBe(first.session.id);
    expect(runner.active?.id).toBe(first.session.id);
    const onDisk = await load(testCase.home, second.session.id);
    expect(onDisk.closed_at).toEqual(expect.any(String));
    expect(onDisk.conversation).toHaveLength(1);
    const resumable = await expectOutcome(runner, '/resume', 'resume.list');
    expect(resumable.sessions.map((session) => session.id)).toEqual([second.session.id]);
  });

  it('closes another session by target and keeps the active one', async () => {
    const { runner } = await openRunner(testCase.home);
    const first = await expectOutcome(runner, `/session new ${await makeProject('one')}`, 'session.opened');
    const second = await expectOutcome(runner, `/session new ${await makeProject('two')}`, 'session.opened');
    const closed = await expectOutcome(runner, '/session close one', 'session.closed');
    expect(closed.report.id).toBe(first.session.id);
    expect(runner.active?.id).toBe(second.session.id);
    await expectOutcome(runner, '/session close', 'session.closed');
    expect(runner.active).toBeUndefined();
    expect(await errorCodeOf(runner, '/session close')).toBe('no_active_session');
  });
});

describe('/resume', () => {
  it('lists saved sessions except those open here and leased elsewhere; one on a project open here is marked and refused', async () => {
    const { runner, manager } = await openRunner(testCase.home);
    const sharedProject = await makeProject('shared');
    const saved = await expectOutcome(runner, `/session new ${await makeProject('saved')}`, 'session.opened');
    const onShared = await expectOutcome(runner, `/session new ${sharedProject}`, 'session.opened');
    const leased = await expectOutcome(
      runner,
      `/session new ${await makeProject('leased')}`,
      'session.opened',
    );
    await expectOutcome(runner, '/session new', 'session.opened'); // open here: on cwd
    for (const id of [saved.session.id, onShared.session.id, leased.session.id]) {
      expect((await manager.close(id)).ok).toBe(true);
    }
    // The shared project is open again, in a new session.
    await expectOutcome(runner, `/session new ${sharedProject}`, 'session.opened');
    // Another process (a second store on the same home) holds the lease of one saved session.
    const other = await openStore(testCase.home);
    const lease = await other.acquireLease(leased.session.id);
    expect(lease.ok).toBe(true);
    try {
      const list = await expectOutcome(runner, '/resume', 'resume.list');
      expect(list.sessions.map((session) => session.id).sort()).toEqual(
        [saved.session.id, onShared.session.id].sort(),
      );
      expect(list.projectOpenHere).toEqual([onShared.session.id]);
      expect(await errorCodeOf(runner, `/resume ${onShared.session.id}`)).toBe('project_already_open');
      // Not listed; named by id, prefix or name it is refused as open elsewhere, not "no match".
      expect(await errorCodeOf(runner, `/resume ${leased.session.id}`)).toBe('already_open_elsewhere');
      expect(await errorCodeOf(runner, `/resume ${leased.session.id.slice(0, 8)}`)).toBe(
        'already_open_elsewhere',
      );
    } finally {
      if (lease.ok) await lease.value.release();
    }
  });

  it('resumes by index, prefix and name with messages and todos restored', async () => {
    const home = testCase.home;
    const { runner } = await openRunner(home);
    const ids: string[] = [];
    for (const name of ['alpha', 'beta', 'gamma']) {
      const opened = await expectOutcome(runner, `/session new ${await makeProject(name)}`, 'session.opened');
      ids.push(opened.session.id);
      await expectOutcome(runner, `hello ${name}`, 'message.added');
      await expectOutcome(runner, `/todo add do ${name}`, 'todo.changed');
      await expectOutcome(runner, '/todo add then more', 'todo.changed');
      await expectOutcome(runner, '/todo start 1', 'todo.changed');
      await expectOutcome(runner, '/todo done 2', 'todo.changed');
    }
    await expectOutcome(runner, '/quit', 'quit');

    const again = (await openRunner(home)).runner;
    const byName = await expectOutcome(again, '/resume beta', 'session.opened');
    expect(byName.resumed).toBe(true);
    expect(byName.session).toMatchObject({
      id: ids[1],
      name: 'beta',
      message_count: 1,
      todo_count: 2,
      active: true,
    });
    const active = again.active;
    expect(active?.getMessages().messages.map((message) => message.content)).toEqual(['hello beta']);
    expect(active?.todos.map((todo) => [todo.content, todo.status])).toEqual([
      ['do beta', 'in_progress'],
      ['then more', 'completed'],
    ]);
    const prefix = (ids[2] ?? '').slice(0, 8);
    expect((await expectOutcome(again, `/resume ${prefix}`, 'session.opened')).session.id).toBe(ids[2]);
    const list = await expectOutcome(again, '/resume', 'resume.list');
    expect(list.sessions.map((session) => session.id)).toEqual([ids[0]]);
    expect((await expectOutcome(again, '/resume 1', 'session.opened')).session.id).toBe(ids[0]);
    expect(await errorCodeOf(again, '/resume 1')).toBe('target_out_of_range');
    expect(await errorCodeOf(again, '/resume nothing')).toBe('not_found');
  });

  it('deletes one saved session from disk; an open or leased one is not a target', async () => {
    const { runner, manager, store } = await openRunner(testCase.home);
    const gone = await expectOutcome(runner, `/session new ${await makeProject('gone')}`, 'session.opened');
    const leased = await expectOutcome(
      runner,
      `/session new ${await makeProject('leased')}`,
      'session.opened',
    );
    const open = await expectOutcome(runner, `/session new ${await makeProject('open')}`, 'session.opened');
    expect((await manager.close(gone.session.id)).ok).toBe(true);
    expect((await manager.close(leased.session.id)).ok).toBe(true);
    const other = await openStore(testCase.home);
    const lease = await other.acquireLease(leased.session.id);
    try {
      expect(await errorCodeOf(runner, '/resume delete open')).toBe('not_found');
      expect(await errorCodeOf(runner, '/resume delete leased')).toBe('already_open_elsewhere');
      // Storage itself refuses too, whatever the listing says.
      const direct = await store.delete(leased.session.id);
      expect(!direct.ok && direct.error.code).toBe('session_active');
      const deleted = await expectOutcome(runner, '/resume delete gone', 'resume.deleted');
      expect(deleted).toMatchObject({ id: gone.session.id, name: 'gone' });
      const loaded = await store.load(gone.session.id);
      expect(!loaded.ok && loaded.error.code).toBe('not_found');
      expect((await store.load(leased.session.id)).ok).toBe(true);
      expect((await store.load(open.session.id)).ok).toBe(true);
    } finally {
      if (lease.ok) await lease.value.release();
    }
  });

  it('clears every saved session but the open and the leased ones, and reports counts', async () => {
    const { runner, manager, store } = await openRunner(testCase.home);
    const closedIds: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const opened = await expectOutcome(runner, `/session new ${await makeProject(name)}`, 'session.opened');
      closedIds.push(opened.session.id);
    }
    const open = await expectOutcome(runner, `/session new ${await makeProject('open')}`, 'session.opened');
    for (const id of closedIds) expect((await manager.close(id)).ok).toBe(true);
    const leasedId = closedIds[2] ?? '';
    const lease = await (await openStore(testCase.home)).acquireLease(leasedId);
    expect(lease.ok).toBe(true);
    try {
      const unconfirmed = await runner.run('/resume clear');
      expect(unconfirmed.ok ? undefined : sanitizeError(unconfirmed.error).message).toBe(
        "Refusing to move every saved session to the trash without confirmation. Run '/resume clear --yes'.",
      );
      expect((await expectOutcome(runner, '/resume', 'resume.list')).sessions).toHaveLength(2);
      const cleared = await expectOutcome(runner, '/resume clear --yes', 'resume.cleared');
      expect([...cleared.report.deleted].sort()).toEqual(closedIds.slice(0, 2).sort());
      expect(cleared.report.failed).toEqual([]);
      expect(cleared.report.skipped).toEqual(expect.arrayContaining([open.session.id, leasedId]));
      expect((await store.load(open.session.id)).ok).toBe(true);
      expect((await store.load(leasedId)).ok).toBe(true);
      expect(runner.active?.id).toBe(open.session.id);
      expect((await expectOutcome(runner, '/resume', 'resume.list')).sessions).toEqual([]);
    } finally {
      if (lease.ok) await lease.value.release();
    }
  });
});

describe('/todo and messages', () => {
  it('needs an active session', async () => {
    const { runner } = await openRunner(testCase.home);
    for (const line of ['/todo list', '/todo add x', '/todo start 1', '/todo done 1', 'a message']) {
      expect(await errorCodeOf(runner, line), line).toBe('no_active_session');
    }
  });

  it('adds, starts, completes and lists todos; an index out of range is refused', async () => {
    const { runner } = await openRunner(testCase.home);
    await expectOutcome(runner, `/session new ${await makeProject()}`, 'session.opened');
    expect((await expectOutcome(runner, '/todo list', 'todo.list')).todos).toEqual([]);
    await expectOutcome(runner, '/todo add write the tests', 'todo.changed');
    const added = await expectOutcome(runner, '/todo add ship it', 'todo.changed');
    expect(added.session.todo_count).toBe(2);
    await expectOutcome(runner, '/todo start 1', 'todo.changed');
    await expectOutcome(runner, '/todo done 2', 'todo.changed');
    const list = await expectOutcome(runner, '/todo list', 'todo.list');
    expect(list.todos.map((todo) => [todo.content, todo.status])).toEqual([
      ['write the tests', 'in_progress'],
      ['ship it', 'completed'],
    ]);
    expect(await errorCodeOf(runner, '/todo start 3')).toBe('target_out_of_range');
    expect(await errorCodeOf(runner, '/todo done 9')).toBe('target_out_of_range');
    expect(await errorCodeOf(runner, '/todo start x')).toBe('usage');
  });

  it('adds a plain line as a user message to the active session', async () => {
    const { runner } = await openRunner(testCase.home);
    await expectOutcome(runner, `/session new ${await makeProject()}`, 'session.opened');
    const added = await expectOutcome(runner, '  keep the spaces ', 'message.added');
    expect(added.message).toMatchObject({ role: 'user', content: '  keep the spaces ' });
    expect((await expectOutcome(runner, '//slash', 'message.added')).message.content).toBe('/slash');
  });
});

describe('/help, /quit, empty lines, usage errors', () => {
  it('returns help text, whole and per topic', async () => {
    const { runner } = await openRunner(testCase.home);
    expect((await expectOutcome(runner, '/help', 'help')).text).toContain('/session new');
    expect((await expectOutcome(runner, '/help todo', 'help')).text).toContain('/todo add');
    expect(await errorCodeOf(runner, '/sesion list')).toBe('usage');
    await expectOutcome(runner, '   ', 'empty');
  });

  it('quits by closing and saving every open session', async () => {
    const { runner, manager } = await openRunner(testCase.home);
    const ids: string[] = [];
    for (const name of ['one', 'two']) {
      ids.push(
        (await expectOutcome(runner, `/session new ${await makeProject(name)}`, 'session.opened')).session.id,
      );
      await expectOutcome(runner, `in ${name}`, 'message.added');
    }
    const quit = await expectOutcome(runner, '/quit', 'quit');
    expect(quit.reports.map((report) => [report.id, report.saved])).toEqual(ids.map((id) => [id, true]));
    expect(manager.list()).toEqual([]);
    expect(runner.active).toBeUndefined();
    for (const id of ids) {
      const onDisk = await load(testCase.home, id);
      expect(onDisk.closed_at).toEqual(expect.any(String));
      expect(onDisk.conversation).toHaveLength(1);
    }
  });
});

describe('activate', () => {
  it('makes an open session active, and refuses one that is not open', async () => {
    const { runner, manager } = await openRunner(testCase.home);
    const created = await manager.create({ projectPath: await makeProject() });
    if (!created.ok) throw created.error;
    expect(runner.active).toBeUndefined();
    expect(runner.activate(created.value.id).ok).toBe(true);
    expect(runner.active?.id).toBe(created.value.id);
    expect(basename(runner.active?.projectPath ?? '')).toBe('project');
    const missing = runner.activate('00000000-0000-4000-8000-000000000000');
    expect(!missing.ok && missing.error.code).toBe('not_found');
  });
});
