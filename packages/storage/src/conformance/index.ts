/**
 * The conformance suite every session backend must pass: `describeBackendConformance(name,
 * harness)` inside a vitest file. Needs vitest (an optional peer dependency of this package).
 */
import { describe } from 'vitest';
import type { BackendHarness } from './backend-spec.js';
import { concurrencyCases } from './cases/concurrency.js';
import { documentCases } from './cases/documents.js';
import { journalCases } from './cases/journal.js';
import { retentionCases } from './cases/retention.js';
import { roundTripCases } from './cases/round-trip.js';
import { trashCases } from './cases/trash.js';
import { suiteContext } from './suite-context.js';

export {
  type BackendHarness,
  type BackendSpec,
  type OpenConformanceStore,
  openFromSpec,
} from './backend-spec.js';
export { fileBackendHarness } from './file-harness.js';

/** Registers the whole conformance suite for one backend. */
export function describeBackendConformance(name: string, harness: BackendHarness): void {
  describe(`session backend conformance: ${name}`, () => {
    const context = suiteContext(harness);
    roundTripCases(context);
    concurrencyCases(context);
    retentionCases(context);
    documentCases(context);
    trashCases(context);
    journalCases(context);
  });
}
