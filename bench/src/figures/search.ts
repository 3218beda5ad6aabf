import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import type BetterSqlite3 from 'better-sqlite3';
import { compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { addSessions, type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { runNode } from '../harness/process.js';
import { type FigureRow, type SlopeRow, slopeRow, statusAtMost } from '../harness/results.js';
import { conversationOf, TextSource } from '../harness/text-source.js';
import { timeMs } from '../harness/timer.js';

const messagesPerSession = 100;
const warmPlan: SamplingPlan = { warmup: 10, minSamples: 100, maxSamples: 400, budgetMs: 6000 };
const processPlan: SamplingPlan = { warmup: 2, minSamples: 11, maxSamples: 31, budgetMs: 8000 };

type Database = BetterSqlite3.Database;

/** The floor of a search: the FTS5 query alone, on the same index, through the same driver. */
function ftsFloor(db: Database, query: string): number {
  const expression = query
    .split(' ')
    .map((word) => `"${word}"*`)
    .join(' AND ');
  return db.prepare('SELECT rowid FROM messages WHERE messages MATCH ? LIMIT 60').all(expression).length;
}

async function indexBytes(home: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    total += await stat(join(home, 'index', `search.db${suffix}`)).then(
      (stats) => stats.size,
      () => 0,
    );
  }
  return total;
}

/**
 * Full-text search: a home grown to 100, 1,000 and 10,000 sessions of 100 messages (1,000,000 at
 * the end, 20 to 2,000 characters each); at each size a full rebuild, then warm in-process searches
 * of one to three words against the FTS5 query alone. At the largest size also the whole
 * `jido sessions search` process against `node -e 0`, and a save of a 10,000-message session with
 * the index kept current against the same save in a home without one.
 */
export async function searchFigures(
  context: BenchContext,
): Promise<{ rows: FigureRow[]; slopes: SlopeRow[] }> {
  const counts = context.quick ? [100, 1000] : [100, 1000, 10_000];
  const factory = new SessionFactory({ seed: 71 });
  const text = new TextSource(72);
  const home = join(context.root, 'search');
  const store = await openStore(home);
  const rows: FigureRow[] = [];
  const bySize: { count: number; subjectMs: number; floorMs: number }[] = [];
  let present = 0;
  let textBytes = 0;
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  for (const count of counts) {
    context.log(`search: creating ${count - present} sessions (total ${count})`);
    await addSessions(context, store, factory, count - present, () => {
      const conversation = conversationOf(factory, text, messagesPerSession);
      for (const message of conversation) textBytes += Buffer.byteLength(message.content);
      return { conversation, todoCount: 0, project_path: context.projectDir };
    });
    present = count;
    context.log(`search: rebuilding the index over ${count * messagesPerSession} messages`);
    let rebuilt = 0;
    const rebuildMs = await timeMs(async () => {
      rebuilt = unwrap(await store.reindex(), 'reindex').indexed;
    });
    if (rebuilt !== count) throw new Error(`search bench: indexed ${rebuilt} of ${count} sessions`);
    const db = new Database(join(home, 'index', 'search.db'), { readonly: true });
    try {
      const queries = Array.from({ length: 64 }, () => text.query());
      let next = 0;
      const comparison = await compareInterleaved(
        async () => ftsFloor(db, queries[next % queries.length] ?? 'x'),
        async () => {
          const query = queries[next++ % queries.length] ?? 'x';
          unwrap(await store.search(query, { limit: 10 }), 'search');
        },
        planFor(context, warmPlan),
      );
      const size = await indexBytes(home);
      const messages = count * messagesPerSession;
      const p50 = comparison.subject.medianMs;
      const p99 = comparison.subject.p99Ms;
      rows.push({
        operation: 'search (warm, in-process, 1–3 words, top 10)',
        size: `${count.toLocaleString('en-US')} sessions × ${messagesPerSession} msgs`,
        floorName: 'the FTS5 MATCH query alone',
        ...comparison,
        target: 'p50 ≤ 30 ms, p99 ≤ 100 ms',
        status: p50 <= 30 && p99 <= 100 ? 'ok' : 'over target',
        facts: {
          messages,
          rebuildMs: Math.round(rebuildMs),
          rebuildMessagesPerSecond: Math.round(messages / (rebuildMs / 1000)),
          indexBytes: size,
          textBytes,
          indexToText: Math.round((size / textBytes) * 100) / 100,
        },
      });
      bySize.push({ count, subjectMs: p50, floorMs: comparison.floor.medianMs });
    } finally {
      db.close();
    }
  }
  rows.push(await processRow(context, home, text));
  rows.push(await saveWithIndexRow(context, factory, text));
  return { rows, slopes: searchSlopes(bySize) };
}

async function processRow(context: BenchContext, home: string, text: TextSource): Promise<FigureRow> {
  const bin = join(context.repoRoot, 'apps', 'cli', 'bin', 'jido.js');
  const query = text.query();
  context.log('search: whole `jido sessions search` process');
  const comparison = await compareInterleaved(
    () => runNode(['-e', '0'], { cwd: context.repoRoot }),
    () => runNode([bin, '--home', home, 'sessions', 'search', query], { cwd: context.repoRoot }),
    planFor(context, processPlan),
  );
  return {
    operation: 'jido sessions search, whole process',
    size: 'the largest home above',
    floorName: 'node -e 0',
    ...comparison,
    target: '≤ 3×',
    status: statusAtMost(comparison.ratio, 3),
    facts: { launcher: 'apps/cli/bin/jido.js' },
  };
}

async function saveWithIndexRow(
  context: BenchContext,
  factory: SessionFactory,
  text: TextSource,
): Promise<FigureRow> {
  const size = context.quick ? 2000 : 10_000;
  context.log(`search: saves of a ${size}-message session with and without the index`);
  const conversation = Array.from({ length: size }, () => factory.message({ content: text.message() }));
  const session = factory.session({ conversation, todoCount: 0, project_path: context.projectDir });
  const indexed = await openStore(join(context.root, 'save-indexed'));
  const plain = await openStore(join(context.root, 'save-plain'));
  unwrap(await indexed.save(session), 'save');
  unwrap(await plain.save(session), 'save');
  unwrap(await indexed.reindex(), 'reindex');
  let current = session;
  const grow = async (store: SessionStore) => {
    current = {
      ...current,
      conversation: [...current.conversation, factory.message({ content: text.message() })],
    };
    unwrap(await store.save(current), 'save');
  };
  const comparison = await compareInterleaved(
    () => grow(plain),
    () => grow(indexed),
    planFor(context, {
      warmup: 3,
      minSamples: 21,
      maxSamples: 101,
      budgetMs: 8000,
    }),
  );
  return {
    operation: 'save with the search index kept current',
    size: `${size.toLocaleString('en-US')} messages, one new`,
    floorName: 'the same save in a home without a search index',
    ...comparison,
    target: '≤ 1.2×',
    status: statusAtMost(comparison.ratio, 1.2),
  };
}

/** How a warm search grows with the number of sessions. */
function searchSlopes(bySize: readonly { count: number; subjectMs: number; floorMs: number }[]): SlopeRow[] {
  const first = bySize[0];
  const last = bySize.at(-1);
  const slopes: SlopeRow[] = [];
  if (first !== undefined && last !== undefined && first !== last) {
    slopes.push(
      slopeRow({
        operation: 'search (warm, top 10)',
        variable: 'sessions',
        unit: 'session',
        from: first.count,
        to: last.count,
        subjectFromMs: first.subjectMs,
        subjectToMs: last.subjectMs,
        floorFromMs: first.floorMs,
        floorToMs: last.floorMs,
        expected: 'linear',
      }),
    );
  }
  return slopes;
}
