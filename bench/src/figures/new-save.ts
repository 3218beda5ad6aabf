import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { addSessions, type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';

const target = 1.2;

/**
 * The save of a new session (it counts against the session limit) into a home of 10,000 saved
 * sessions, against the same save into a home of 10: the count must not cost a folder listing.
 */
export async function newSaveFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const large = context.quick ? 1000 : 10_000;
  const overrides = { messageCount: 20, todoCount: 2, project_path: context.projectDir };
  const factory = new SessionFactory({ seed: 83 });
  const homes: Record<'small' | 'large', Awaited<ReturnType<typeof openStore>>> = {
    small: await openStore(join(context.root, 'new-save-10')),
    large: await openStore(join(context.root, `new-save-${large}`)),
  };
  await addSessions(context, homes.small, factory, 10, overrides);
  await addSessions(context, homes.large, factory, large, overrides);
  // The first listing of a home builds its index, as a long-lived home has.
  for (const store of Object.values(homes)) unwrap(await store.listPersisted(), 'list');
  const saveNew = (store: (typeof homes)['small']) => async () =>
    unwrap(await store.save(factory.session(overrides)), 'save');
  context.log(`new-session save at 10 vs ${large} sessions`);
  const comparison = await compareInterleaved(
    saveNew(homes.small),
    saveNew(homes.large),
    planFor(context, { warmup: 3, minSamples: 20, maxSamples: 200, budgetMs: 4000 }),
  );
  return {
    rows: [
      {
        operation: 'save of a new session (counted against the limit)',
        size: `${large.toLocaleString('en-US')} vs 10 sessions`,
        floorName: 'the same save into a home of 10 sessions',
        ...comparison,
        target: `≤ ${target}× at 10`,
        status: statusAtMost(comparison.ratio, target),
      },
    ],
  };
}
