import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { makeProject, must, openManager } from '../test/helpers.js';

const testCase = PersistenceTestCase.use();

describe('SessionManager lifecycle', () => {
  it('round-trips a session with 1,000 messages and todos through close and resume', async () => {
    const manager = await openManager(testCase.home);
    const project = await makeProject('round-trip');
    const session = must(await manager.create({ projectPath: project, name: 'Round trip' }));
    const appends = [];
    for (let index = 0; index < 1000; index++) {
      appends.push(session.addMessage(index % 2 === 0 ? 'user' : 'assistant', `message ${index}`));
    }
    const results = await Promise.all(appends);
    expect(results.every((result) => result.ok)).toBe(true);
    must(await session.addTodo('Write tests', 'Writing tests'));
    must(await session.addTodo('Ship it'));
    must(await session.startTodo(1));
    must(await session.completeTodo(2));
    const before = session.snapshot();
    const closed = must(await manager.close(session.id));
    expect(closed.saved).toBe(true);
    expect(manager.list()).toHaveLength(0);

    const again = await openManager(testCase.home);
    const resumed = must(await again.resume(session.id));
    const after = resumed.snapshot();
    expect(after.conversation).toEqual(before.conversation);
    expect(after.todos).toEqual([
      { content: 'Write tests', status: 'in_progress', active_form: 'Writing tests' },
      { content: 'Ship it', status: 'completed', active_form: 'Ship it' },
    ]);
    expect(after.name).toBe('Round trip');
    expect(after.last_resumed_at).toEqual(expect.any(String));
    expect(resumed.getMessages({ offset: -2 }).messages.map((message) => message.content)).toEqual([
      'message 998',
      'message 999',
    ]);
    must(await again.close(resumed.id));
  });
});

describe('SessionManager saved-session operations', () => {
  it('lists, deletes and clears saved sessions, never touching one open here', async () => {
    const manager = await openManager(testCase.home);
    const [one, two, three] = await Promise.all([
      makeProject('one'),
      makeProject('two'),
      makeProject('three'),
    ]);
    const first = must(await manager.create({ projectPath: one, name: 'first' }));
    const second = must(await manager.create({ projectPath: two, name: 'second' }));
    const third = must(await manager.create({ projectPath: three, name: 'third' }));
    must(await manager.close(first.id));
    must(await manager.close(second.id));

    expect(
      must(await manager.listSaved())
        .sessions.map((session) => session.name)
        .sort(),
    ).toEqual(['first', 'second', 'third']);
    expect(
      must(await manager.listResumable())
        .sessions.map((session) => session.name)
        .sort(),
    ).toEqual(['first', 'second']);

    const waiting = must(await manager.create({ projectPath: one, name: 'on one' }));
    const listed = must(await manager.listResumable());
    expect(listed.sessions.map((session) => session.name).sort()).toEqual(['first', 'second']);
    expect(listed.projectOpenHere).toEqual([first.id]);
    must(await manager.close(waiting.id));
    must(await manager.delete(waiting.id));

    expect(must(await manager.delete(first.id))).toEqual({ deleted: true, purged: false });
    const refused = await manager.delete(third.id);
    expect(refused.ok ? undefined : refused.error.code).toBe('session_active');

    const cleared = must(await manager.clear());
    expect(cleared.deleted).toEqual([second.id]);
    expect(cleared.skipped).toEqual([third.id]);
    expect(must(await manager.listSaved()).sessions.map((session) => session.id)).toEqual([third.id]);
    must(await manager.close(third.id));
  });
});
