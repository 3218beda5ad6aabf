import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { shellParts } from '../../test/shell-parts.js';

const testCase = PersistenceTestCase.use();

describe('Performer', () => {
  it('prints each outcome with the one renderer and answers a message through the agent', async () => {
    const { performer, output, runner, manager } = await shellParts(testCase.home);
    expect(await performer.perform({ kind: 'session.new', name: 'api' })).toBe('done');
    expect(output.printed.at(-1)).toMatch(/^Opened session "api" \([0-9a-f]{8}\) on \//);
    expect(await performer.perform({ kind: 'message', text: 'fix the tests' })).toBe('done');
    expect(output.printed.at(-1)).toBe('Noted: "fix the tests". No todos yet.');
    const active = runner.active;
    expect(active?.getMessages({}).messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'fix the tests'],
      ['assistant', 'Noted: "fix the tests". No todos yet.'],
    ]);
    expect(await performer.perform({ kind: 'quit' })).toBe('quit');
    expect(output.printed.at(-1)).toBe('Saved and closed "api".');
    expect(manager.list()).toEqual([]);
  });

  it('reports a failed command and a failing agent as failed, printing one error each', async () => {
    const broken = { reply: async () => Promise.reject(new Error('model down')) };
    const { performer, output } = await shellParts(testCase.home, { agent: broken });
    expect(await performer.perform({ kind: 'message', text: 'hello' })).toBe('failed');
    expect(await performer.perform({ kind: 'session.new', name: 'api' })).toBe('done');
    expect(await performer.perform({ kind: 'message', text: 'hello' })).toBe('failed');
    expect(output.notes).toEqual([
      'jido: No active session. Start one with /session new, or /resume one.',
      'jido: An unexpected error occurred.',
    ]);
    await performer.perform({ kind: 'quit' });
  });

  it('on a terminal, /resume asks the picker and resumes what was chosen, or nothing when cancelled', async () => {
    const first = await shellParts(testCase.home);
    await first.performer.perform({ kind: 'session.new', name: 'api' });
    await first.performer.perform({ kind: 'quit' });

    const choices: string[][] = [];
    let answer: 'first' | 'cancel' = 'cancel';
    const { performer, output, runner } = await shellParts(testCase.home, {
      choose: async (sessions) => {
        choices.push(sessions.map((session) => session.name));
        return answer === 'first' ? sessions[0]?.id : undefined;
      },
    });
    expect(await performer.perform({ kind: 'resume.list' })).toBe('done');
    expect(output.printed.at(-1)).toBe('No session resumed.');
    answer = 'first';
    expect(await performer.perform({ kind: 'resume.list' })).toBe('done');
    expect(output.printed.at(-1)).toMatch(/^Resumed session "api" \([0-9a-f]{8}\): 0 messages, 0 todos\.$/);
    expect(runner.active?.name).toBe('api');
    expect(choices).toEqual([['api'], ['api']]);
    await performer.perform({ kind: 'quit' });
  });
});
