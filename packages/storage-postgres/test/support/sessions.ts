import { randomUUID } from 'node:crypto';
import type { UnsignedSession } from '@jido-code/core-schema';

/** A valid unsigned session with `messages` messages. */
export function testSession(overrides: Partial<UnsignedSession> = {}, messages = 1): UnsignedSession {
  const at = new Date().toISOString();
  return {
    version: 1,
    id: randomUUID(),
    name: 'postgres test',
    project_path: '/tmp/postgres-test',
    config: { provider: 'anthropic', model: 'claude' },
    created_at: at,
    updated_at: at,
    closed_at: at,
    conversation: Array.from({ length: messages }, (_, index) => ({
      id: `m${index}`,
      role: 'user' as const,
      content: `message ${index}`,
      timestamp: at,
    })),
    todos: [],
    cumulative_usage: { counter: 0 },
    ...overrides,
  };
}
