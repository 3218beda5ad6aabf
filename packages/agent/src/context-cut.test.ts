import type { Message, Todo } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { cutContext, estimateTokens, systemWithTodos } from './context-cut.js';

function conversation(count: number, length = 90): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `message ${index} `.padEnd(length, 'x'),
    timestamp: '2026-11-30T00:00:00.000Z',
  }));
}

const todos: Todo[] = [
  { content: 'fix the parser', status: 'in_progress', active_form: 'Fixing the parser' },
  { content: 'write the docs', status: 'pending', active_form: 'Writing the docs' },
];

describe('cutContext: most recent first, always the system prompt and the todos', () => {
  it('keeps the newest unbroken run of a 10,000-message session that fits, plus system and todos', () => {
    const messages = conversation(10_001); // ends with a user message
    const result = cutContext({
      systemPrompt: 'You are jido.',
      todos,
      messages,
      contextWindow: 8_192,
      replyTokens: 1_024,
      modelId: 'local-model',
    });
    if (!result.ok) throw result.error;
    const { turns, system, omitted, estimatedTokens } = result.value;
    expect(system).toContain('You are jido.');
    expect(system).toContain('1. [~] fix the parser');
    expect(system).toContain('2. [ ] write the docs');
    // The last message sent is the user's newest one, and the run is contiguous.
    expect(turns.at(-1)?.content).toBe(messages.at(-1)?.content);
    const firstKept = messages.length - turns.length;
    expect(turns.map((turn) => turn.content)).toEqual(messages.slice(firstKept).map((m) => m.content));
    expect(turns[0]?.role).toBe('user');
    expect(omitted).toBe(firstKept);
    expect(estimatedTokens).toBeLessThanOrEqual(8_192 - 1_024);
    // One more message would not have fit.
    const oneMore = estimateTokens((messages[firstKept - 1] as Message).content) + 4;
    expect(estimatedTokens + oneMore).toBeGreaterThan(8_192 - 1_024 - 8);
    expect(turns.length).toBeGreaterThan(100);
    expect(turns.length).toBeLessThan(10_000);
  });

  it('sends the whole conversation when it fits', () => {
    const messages = conversation(11, 20);
    const result = cutContext({
      systemPrompt: 's',
      todos: [],
      messages,
      contextWindow: 200_000,
      replyTokens: 4_096,
      modelId: 'm',
    });
    if (!result.ok) throw result.error;
    expect(result.value.turns).toHaveLength(11);
    expect(result.value.omitted).toBe(0);
    expect(result.value.system).toBe('s');
  });

  it('skips empty, system and tool messages, and never starts with a reply', () => {
    const messages: Message[] = [
      { id: 'a', role: 'user', content: 'old question '.repeat(200), timestamp: '2026-11-30T00:00:00.000Z' },
      { id: 'b', role: 'assistant', content: 'answer', timestamp: '2026-11-30T00:00:00.000Z' },
      { id: 'c', role: 'tool', content: 'tool output', timestamp: '2026-11-30T00:00:00.000Z' },
      { id: 'd', role: 'assistant', content: '', timestamp: '2026-11-30T00:00:00.000Z' },
      { id: 'e', role: 'user', content: 'new question', timestamp: '2026-11-30T00:00:00.000Z' },
    ];
    const result = cutContext({
      systemPrompt: 's',
      todos: [],
      messages,
      contextWindow: 400,
      replyTokens: 100,
      modelId: 'm',
    });
    if (!result.ok) throw result.error;
    expect(result.value.turns).toEqual([{ role: 'user', content: 'new question' }]);
  });

  it('fails as context_too_long, naming the model, when the newest message alone does not fit', () => {
    const messages = conversation(3, 10_000);
    const result = cutContext({
      systemPrompt: 's',
      todos,
      messages,
      contextWindow: 2_000,
      replyTokens: 500,
      modelId: 'tiny',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('context_too_long');
    expect(result.error.details.model).toBe('tiny');
  });

  it('keeps the todos even when they leave room for only the newest message', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({
      content: `todo ${index}`,
      status: 'pending' as const,
      active_form: `todo ${index}`,
    }));
    const system = systemWithTodos('s', many);
    const messages = conversation(51, 200);
    const window =
      estimateTokens(system) + 4 + 100 + estimateTokens((messages.at(-1) as Message).content) + 4 + 10;
    const result = cutContext({
      systemPrompt: 's',
      todos: many,
      messages,
      contextWindow: window,
      replyTokens: 100,
      modelId: 'm',
    });
    if (!result.ok) throw result.error;
    expect(result.value.system).toContain('30. [ ] todo 29');
    expect(result.value.turns).toHaveLength(1);
  });
});
