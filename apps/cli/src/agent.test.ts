import { SessionFactory } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { OfflineAgent } from './agent.js';

const factory = new SessionFactory({ seed: 3 });

function view(todos = factory.session({ todoCount: 0 }).todos) {
  return { id: factory.uuid(), name: 'api', projectPath: '/tmp/api', todos, messageCount: 0 };
}

describe('OfflineAgent', () => {
  const agent = new OfflineAgent();

  it('acknowledges the message and counts open and done todos, deterministically', async () => {
    const todos = [
      factory.todo(),
      factory.todo({ status: 'in_progress' }),
      factory.todo({ status: 'completed' }),
    ];
    const input = { session: view(todos), message: 'fix the tests' };
    expect(await agent.reply(input)).toBe('Noted: "fix the tests". 2 todos open, 1 done.');
    expect(await agent.reply(input)).toBe(await agent.reply(input));
    expect(await agent.reply({ session: view([]), message: 'hi' })).toBe('Noted: "hi". No todos yet.');
    expect(await agent.reply({ session: view([factory.todo()]), message: 'x' })).toBe(
      'Noted: "x". 1 todo open, 0 done.',
    );
  });

  it('quotes at most 60 characters on one line', async () => {
    const reply = await agent.reply({ session: view([]), message: `${'a'.repeat(100)}\nsecond line` });
    expect(reply).toBe(`Noted: "${'a'.repeat(59)}…". No todos yet.`);
  });
});
