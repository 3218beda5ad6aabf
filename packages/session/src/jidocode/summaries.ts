import type { RedactionSummary } from '../redaction/redactor.js';
import type { SecretKind } from '../redaction/secret-kinds.js';

/** Two summaries added, kind by kind. */
export function addSummaries(left: RedactionSummary, right: RedactionSummary): RedactionSummary {
  const kinds: Partial<Record<SecretKind, number>> = { ...left.kinds };
  for (const [kind, count] of Object.entries(right.kinds) as [SecretKind, number][]) {
    kinds[kind] = (kinds[kind] ?? 0) + count;
  }
  return { count: left.count + right.count, kinds };
}
