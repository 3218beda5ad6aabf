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
