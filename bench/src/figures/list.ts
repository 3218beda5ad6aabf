import { join } from 'node:path';
import type { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { type Comparison, compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { addSessions, type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { listFloor } from '../harness/floors.js';
import { type FigureRow, type SlopeRow, slopeRow, statusAtMost } from '../harness/results.js';
import { timeMs } from '../harness/timer.js';

const listTarget = 3;
/** "The same cost for 20 and 5,000 messages": within this factor (noise allowance). */
const sameCostTarget = 1.25;
const smallMessages = 20;

function planForCount(count: number): SamplingPlan {
  if (count <= 10) return { warmup: 5, minSamples: 30, maxSamples: 500, budgetMs: 1000 };
  if (count <= 100) return { warmup: 5, minSamples: 30, maxSamples: 300, budgetMs: 1500 };
  if (count <= 1000) return { warmup: 2, minSamples: 11, maxSamples: 100, budgetMs: 2000 };
  // The cold listing just before warmed the page cache and wrote the index: no warm-up round.
  return { warmup: 0, minSamples: 5, maxSamples: 30, budgetMs: 4000 };
}

/** A warm listing: every entry must come from the index (0 parsed), or the figure is not the warm one. */
async function warmList(store: SessionStore, expected: number): Promise<void> {
  const listing = unwrap(await store.listPersisted(), 'listPersisted');
  const { parsed, reused } = listing.stats;
  if (parsed !== 0 || reused !== expected || listing.sessions.length !== expected) {
    throw new Error(
      `list bench: expected a warm index of ${expected}, got parsed ${parsed}, reused ${reused}`,
    );
  }
}

/** Lists once with a cold index; checks that every fixture file parsed and verified. */
async function coldList(
  store: SessionStore,
  expectedNew: number,
): Promise<{ coldMs: number; parsed: number }> {
  let parsed = 0;
  const coldMs = await timeMs(async () => {
    const listing = unwrap(await store.listPersisted(), 'listPersisted');
    if (listing.problems.length > 0) {
      throw new Error(
        `list bench: ${listing.problems.length} fixture files were refused (first: ${listing.problems[0]?.error.code})`,
      );
    }
    parsed = listing.stats.parsed;
  });
  if (parsed !== expectedNew)
    throw new Error(`list bench: the cold listing parsed ${parsed}, expected ${expectedNew}`);
  return { coldMs, parsed };
}

function listRow(
  count: number,
  messages: number,
  comparison: Comparison,
  cold: { coldMs: number; parsed: number },
): FigureRow {
  return {
    operation: 'list (warm index)',
    size: `${count.toLocaleString('en-US')} sessions × ${messages.toLocaleString('en-US')} msgs`,
    floorName: 'readdir + stat of every entry',
    ...comparison,
    target: `≤ ${listTarget}×`,
    status: statusAtMost(comparison.ratio, listTarget),
    facts: {
      sessions: count,
      messagesPerSession: messages,
      parsedWhenWarm: 0,
      reusedWhenWarm: count,
      coldListMs: Math.round(cold.coldMs * 10) / 10,
      parsedWhenCold: cold.parsed,
    },
  };
}

/**
 * Listing with a warm index at 10, 100, 1,000 and 10,000 sessions of 20 messages (one home, grown
 * between sizes), and 100 sessions of 20 against 100 sessions of 5,000 messages, each against
 * `readdir` + `stat` of the same folder. Every timed listing is checked to have parsed nothing.
 */
export async function listFigures(context: BenchContext): Promise<{ rows: FigureRow[]; slopes: SlopeRow[] }> {
  const counts = context.quick ? [10, 100, 1000] : [10, 100, 1000, 10000];
  const largeMessages = context.quick ? 1000 : 5000;
  const factory = new SessionFactory({ seed: 41 });
  const overrides = { messageCount: smallMessages, todoCount: 2, project_path: context.projectDir };
  const rows: FigureRow[] = [];
  const byCount: { count: number; comparison: Comparison }[] = [];

  const growing = await openStore(join(context.root, 'list-growing'));
  let present = 0;
  for (const count of counts) {
    context.log(`list: creating ${count - present} sessions (total ${count})`);
    await addSessions(context, growing, factory, count - present, overrides);
    const cold = await coldList(growing, count - present);
    present = count;
    context.log(`list ${count} sessions`);
    const comparison = await compareInterleaved(
      () => listFloor(growing.backend.sessionsDir),
      () => warmList(growing, count),
      planFor(context, planForCount(count)),
    );
    byCount.push({ count, comparison });
    rows.push(listRow(count, smallMessages, comparison, cold));
  }

  const homes: { messages: number; store: SessionStore; cold: { coldMs: number; parsed: number } }[] = [];
  for (const messages of [smallMessages, largeMessages]) {
    context.log(`list: creating 100 sessions of ${messages} messages`);
    const store = await openStore(join(context.root, `list-100x${messages}`));
    await addSessions(context, store, factory, 100, { ...overrides, messageCount: messages });
    homes.push({ messages, store, cold: await coldList(store, 100) });
  }
  const [small, large] = homes;
  if (small === undefined || large === undefined) throw new Error('list bench: homes missing');
  const plan = planFor(context, planForCount(100));
  const bySize: Comparison[] = [];
  for (const home of homes) {
    context.log(`list 100 sessions of ${home.messages} messages`);
    const comparison = await compareInterleaved(
      () => listFloor(home.store.backend.sessionsDir),
      () => warmList(home.store, 100),
      plan,
    );
    bySize.push(comparison);
    rows.push(listRow(100, home.messages, comparison, home.cold));
  }
  context.log(`list 100 × ${largeMessages} against 100 × ${smallMessages} messages`);
  const sameCost = await compareInterleaved(
    () => warmList(small.store, 100),
    () => warmList(large.store, 100),
    plan,
  );
  rows.push({
    operation: 'list (warm index), size independence',
    size: `100 × ${largeMessages.toLocaleString('en-US')} vs 100 × ${smallMessages} msgs`,
    floorName: `list of 100 sessions × ${smallMessages} messages`,
    ...sameCost,
    target: `same cost (≤ ${sameCostTarget}×)`,
    status: statusAtMost(sameCost.ratio, sameCostTarget),
  });

  return { rows, slopes: listSlopes(byCount, bySize, sameCost, largeMessages) };
}

/** How listing grows with the number of sessions (linear) and with their size (flat). */
function listSlopes(
  byCount: readonly { count: number; comparison: Comparison }[],
  bySize: readonly Comparison[],
  sameCost: Comparison,
  largeMessages: number,
): SlopeRow[] {
  const slopes: SlopeRow[] = [];
  const first = byCount[0];
  const last = byCount[byCount.length - 1];
  if (first !== undefined && last !== undefined && first !== last) {
    slopes.push(
      slopeRow({
        operation: 'list (warm index)',
        variable: 'sessions',
        unit: 'session',
        from: first.count,
        to: last.count,
        subjectFromMs: first.comparison.subject.medianMs,
        subjectToMs: last.comparison.subject.medianMs,
        floorFromMs: first.comparison.floor.medianMs,
        floorToMs: last.comparison.floor.medianMs,
        expected: 'linear',
      }),
    );
  }
  const [smallComparison, largeComparison] = bySize;
  if (smallComparison !== undefined && largeComparison !== undefined) {
    slopes.push(
      slopeRow({
        operation: 'list (warm index), 100 sessions',
        variable: 'messages per session',
        unit: 'message',
        from: smallMessages,
        to: largeMessages,
        subjectFromMs: sameCost.floor.medianMs,
        subjectToMs: sameCost.subject.medianMs,
        floorFromMs: smallComparison.floor.medianMs,
        floorToMs: largeComparison.floor.medianMs,
        expected: 'flat',
      }),
    );
  }
  return slopes;
}
