import type { Usage } from './message.js';

/**
 * `total` plus `added`, field by field: the session's `cumulative_usage` after one more reply.
 * Costs (`total_cost`) are kept to a millionth of a dollar so that sums of float prices stay stable.
 * One definition for the agent (which counts a reply) and the session (which records it).
 */
export function addUsage(total: Usage | undefined, added: Usage): Usage {
  const sum: Record<string, number> = { ...(total ?? {}) };
  for (const [key, value] of Object.entries(added)) {
    const next = (sum[key] ?? 0) + value;
    sum[key] = key === 'total_cost' ? Math.round(next * 1_000_000) / 1_000_000 : next;
  }
  return sum;
}
