import type { JsonValue } from '@jido-code/core-schema';
import { encodeChange } from '@jido-code/session';
import type { SessionJournal } from '@jido-code/storage';
import type { openPostgresStore } from '@jido-code/storage-postgres';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { type BenchContext, planFor, unwrap } from '../harness/context.js';
import type { FigureRow } from '../harness/results.js';
import { summarize } from '../harness/stats.js';
import { elapsedMs, timeMs } from '../harness/timer.js';

type PostgresStore = Extract<Awaited<ReturnType<typeof openPostgresStore>>, { ok: true }>['value'];

const appenders = 16;
const appendsPerAppenderPerRound = 4;

/**
 * Acknowledged journal appends on PostgreSQL (signed line, group commit into one fenced
 * multi-row INSERT committed with synchronous_commit = on) with 1 and 16 concurrent appenders,
 * against a floor of plain single-row INSERTs of a line of the same size through the same pool,
 * one commit each (16 at once for the concurrent figure). Reported, no target: the issue sets none.
 */
export async function postgresJournalRows(
  context: BenchContext,
  store: PostgresStore,
  facts: Readonly<Record<string, string | number>>,
): Promise<FigureRow[]> {
  const db = store.backend.db;
  const s = store.backend.schema;
  const setting = (await db.query<{ v: string }>("SELECT current_setting('synchronous_commit') AS v")).rows[0]
    ?.v;
  if (setting !== 'on') throw new Error(`the floor needs synchronous_commit = on, the server has ${setting}`);
  await db.query(
    `CREATE TABLE ${s}.journal_floor (session_id uuid NOT NULL, seq bigint NOT NULL, record bytea NOT NULL,
     written_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (session_id, seq))`,
  );
  const factory = new SessionFactory({ seed: 31 });
  const records = Array.from({ length: 64 }, () =>
    encodeChange({ type: 'message', message: factory.message() }),
  );
  const floorBytes = Buffer.from(`${JSON.stringify({ ...records[0], mac: 'x'.repeat(64), prev: '' })}\n`);
  let floorSeq = 0;
  const floorId = factory.uuid();
  const floorInsert = () =>
    db.query(`INSERT INTO ${s}.journal_floor (session_id, seq, record) VALUES ($1, $2, $3)`, [
      floorId,
      ++floorSeq,
      floorBytes,
    ]);
  const id = factory.uuid();
  const lease = unwrap(await store.acquireLease(id), 'lease');
  const journal = unwrap(await unwrap(await store.journals(), 'journals').open(id), 'journal open');
  let turn = 0;
  const append = async () => {
    const record = records[turn++ % records.length] ?? { type: 'message', data: null as JsonValue };
    unwrap(await journal.append(record.type, record.data), 'journal append');
  };
  const base = { ...facts, lineBytes: floorBytes.byteLength };
  try {
    context.log('postgres: journal append, 1 appender');
    const before = journal.stats;
    const one = await compareInterleaved(
      floorInsert,
      append,
      planFor(context, { warmup: 20, minSamples: 100, maxSamples: 600, budgetMs: 2000 }),
    );
    const after = journal.stats;
    const single: FigureRow = {
      operation: 'postgres journal append, acknowledged (row committed)',
      size: '1 appender',
      floorName: 'plain single-row INSERT, synchronous_commit = on',
      ...one,
      target: 'report',
      status: 'reported',
      facts: {
        ...base,
        appendsPerSecond: Math.round(1000 / one.subject.meanMs),
        floorInsertsPerSecond: Math.round(1000 / one.floor.meanMs),
        commitsPerAppend: ratio(after.syncs - before.syncs, after.records - before.records),
      },
    };
    context.log(`postgres: journal append, ${appenders} concurrent appenders`);
    const concurrent = await concurrentRow(context, journal, append, floorInsert, base);
    return [single, concurrent];
  } finally {
    await journal.close();
    await lease.release();
  }
}

function ratio(part: number, whole: number): number {
  return Math.round((part / Math.max(1, whole)) * 100) / 100;
}

/**
 * Rounds alternate between the floor (16 plain INSERTs at once, each timed) and the subject (16
 * appenders doing 4 acknowledged appends each in a row, all at once, each timed); throughput is
 * appends over each side's wall time.
 */
async function concurrentRow(
  context: BenchContext,
  journal: SessionJournal,
  append: () => Promise<void>,
  floorInsert: () => Promise<unknown>,
  base: Readonly<Record<string, string | number>>,
): Promise<FigureRow> {
  const plan = planFor(context, { warmup: 2, minSamples: 10, maxSamples: 200, budgetMs: 2000 });
  const floorSamples: number[] = [];
  const subjectSamples: number[] = [];
  const wall = { floor: 0, subject: 0 };
  const counts = { floor: 0, subject: 0 };
  const floorRound = async (timed: boolean) => {
    const start = process.hrtime.bigint();
    const took = await Promise.all(Array.from({ length: appenders }, () => timeMs(floorInsert)));
    if (!timed) return;
    floorSamples.push(...took);
    wall.floor += elapsedMs(start);
    counts.floor += appenders;
  };
  const subjectRound = async (timed: boolean) => {
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: appenders }, async () => {
        for (let count = 0; count < appendsPerAppenderPerRound; count++) {
          const took = await timeMs(append);
          if (timed) subjectSamples.push(took);
        }
      }),
    );
    if (!timed) return;
    wall.subject += elapsedMs(start);
    counts.subject += appenders * appendsPerAppenderPerRound;
  };
  for (let round = 0; round < plan.warmup; round++) {
    await floorRound(false);
    await subjectRound(false);
  }
  const before = journal.stats;
  const started = performance.now();
  for (let round = 0; round < plan.maxSamples; round++) {
    if (round >= plan.minSamples && performance.now() - started >= plan.budgetMs) break;
    const order = round % 2 === 0 ? [floorRound, subjectRound] : [subjectRound, floorRound];
    for (const run of order) await run(true);
  }
  const after = journal.stats;
  const floor = summarize(floorSamples);
  const subject = summarize(subjectSamples);
  return {
    operation: 'postgres journal append, acknowledged (row committed)',
    size: `${appenders} concurrent appenders`,
    floorName: `${appenders} concurrent plain single-row INSERTs`,
    floor,
    subject,
    ratio: subject.medianMs / floor.medianMs,
    target: 'report',
    status: 'reported',
    facts: {
      ...base,
      appendsPerSecond: Math.round((counts.subject / wall.subject) * 1000),
      floorInsertsPerSecond: Math.round((counts.floor / wall.floor) * 1000),
      commitsPerAppend: ratio(after.syncs - before.syncs, after.records - before.records),
    },
  };
}
