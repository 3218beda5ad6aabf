import { randomUUID } from 'node:crypto';
import type { UnsignedSession } from '@jido-code/core-schema';

const day = 24 * 60 * 60 * 1000;

/** A valid unsigned session, closed `ageDays` ago, with `messages` messages. */
export function conformanceSession(
  options: { readonly ageDays?: number; readonly messages?: number; readonly name?: string } = {},
): UnsignedSession {
  const at = new Date(Date.now() - (options.ageDays ?? 0) * day).toISOString();
  return {
    version: 1,
    id: randomUUID(),
    name: options.name ?? 'conformance',
    project_path: `/tmp/conformance-${randomUUID().slice(0, 8)}`,
    config: { provider: 'anthropic', model: 'claude' },
    created_at: at,
    updated_at: at,
    closed_at: at,
    conversation: Array.from({ length: options.messages ?? 1 }, (_, index) => ({
      id: `m${index}`,
      role: 'user' as const,
      content: `message ${index}`,
      timestamp: at,
    })),
    todos: [],
    cumulative_usage: { counter: 0 },
  };
}
