import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { documentRateLimitStore, RateLimiter } from '@jido-code/rate-limit';
import { compareInterleaved } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { durableWriteFloor } from '../harness/floors.js';
import type { FigureRow } from '../harness/results.js';

const operation = 'bench';
const key = 'bench-key';

/** Appends a hit to the first key log of the document, whatever else it holds. */
function withHit(document: unknown, now: number): unknown {
  const operations = (document as { operations?: Record<string, { keys?: { hits?: number[] }[] }> })
    .operations;
  operations?.[operation]?.keys?.[0]?.hits?.push(now);
  return document;
}

/**
 * `RateLimiter.consume` over the file-backed locked document (lock, read, decide, durable write),
 * against a plain read + `JSON.parse` + one more hit + `JSON.stringify` + durable replace of the
 * same document.
 */
export async function rateLimitFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const store = await openStore(join(context.root, 'rate-limit'));
  const limiter = new RateLimiter({
    store: documentRateLimitStore(unwrap(store.rateLimitDocument(operation), 'the rate-limit document')),
    // High enough that no consume in the run is refused (a refusal writes nothing).
    rules: { [operation]: { perKey: { limit: 100_000, windowMs: 10 * 60_000 } } },
  });
  let consumes = 0;
  const consume = async () => {
    consumes += 1;
    const decision = await limiter.consume(operation, key);
    if (!decision.allowed) throw new Error('rate-limit bench: a consume was refused');
  };
  await consume();
  const statePath = store.backend.layout.stateFile(operation);
  const floorPath = join(context.floorDir, 'rate-limit.json');
  await copyFile(statePath, floorPath);
  context.log('rate-limit consume (file store)');
  const comparison = await compareInterleaved(
    async () => {
      const document = JSON.parse(await readFile(floorPath, 'utf8'));
      await durableWriteFloor(floorPath, JSON.stringify(withHit(document, Date.now())));
    },
    consume,
    planFor(context, { warmup: 5, minSamples: 40, maxSamples: 400, budgetMs: 2000 }),
  );
  return {
    rows: [
      {
        operation: 'rate-limit consume (file store)',
        size: `1 key, up to ${consumes} hits in the window`,
        floorName: 'read + JSON.parse + add hit + JSON.stringify + durable replace',
        ...comparison,
        target: 'report ops/s',
        status: 'reported',
        facts: {
          consumesPerSecond: Math.round(1000 / comparison.subject.medianMs),
          floorOpsPerSecond: Math.round(1000 / comparison.floor.medianMs),
          stateBytes: (await readFile(statePath)).length,
        },
      },
    ],
  };
}
