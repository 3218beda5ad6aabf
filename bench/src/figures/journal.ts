import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { JsonValue } from '@jido-code/core-schema';
import { encodeChange } from '@jido-code/session';
import type { SessionJournal } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { type Comparison, compareInterleaved } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { AppendFloor } from '../harness/floors.js';
import { type FigureRow, type SlopeRow, slopeRow, statusAtMost } from '../harness/results.js';
import { summarize } from '../harness/stats.js';
import { elapsedMs, timeMs } from '../harness/timer.js';

const appendTarget = 1.5;
const concurrentAppenders = 16;
const appendsPerAppenderPerRound = 4;
const prefilledRecords = 10_000;

/** Message records as the session runtime journals them, reused round-robin. */
function messageRecords(count: number): { type: string; data: JsonValue }[] {
  const factory = new SessionFactory({ seed: 23 });
  return Array.from({ length: count }, () => encodeChange({ type: 'message', message: factory.message() }));
}

/** A plain line of the journal's shape and size: seq, at, type, data, prev and mac. */
function floorLine(record: { type: string; data: JsonValue }, seq: number): string {
  const mac = () => `v1:${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64url')}`;
  return `${JSON.stringify({ at: new Date().toISOString(), data: record.data, mac: mac(), prev: mac(), seq, type: record.type })}\n`;
}

interface OneAppender {
  readonly comparison: Comparison;
  readonly meanRecords: number;
  readonly syncsPerAppend: number;
}

async function oneAppender(
  context: BenchContext,
  writer: SessionJournal,
  floor: AppendFloor,
  records: readonly { type: string; data: JsonValue }[],
): Promise<OneAppender> {
  let turn = 0;
  const next = () => records[turn++ % records.length] ?? { type: 'message', data: null };
  const line = floorLine(next(), 1);
  const before = writer.stats;
  const comparison = await compareInterleaved(
    () => floor.append(line),
    async () => {
      const record = next();
      unwrap(await writer.append(record.type, record.data), 'journal append');
    },
    planFor(context, { warmup: 20, minSamples: 150, maxSamples: 600, budgetMs: 2000 }),
  );
  const after = writer.stats;
  return {
    comparison,
    meanRecords: (before.records + after.records) / 2,
    syncsPerAppend: (after.syncs - before.syncs) / Math.max(1, after.records - before.records),
  };
}

/**
 * Acknowledged journal appends (signed line, group commit, fdatasync) with 1 and 16 concurrent
 * appenders, against one plain appended line + fdatasync; and the same single appender again once
 * the journal holds 10,000 records (append cost must not grow with the session).
 */
export async function journalFigures(
  context: BenchContext,
): Promise<{ rows: FigureRow[]; slopes: SlopeRow[] }> {
  const store = await openStore(join(context.root, 'journal'));
  const journals = unwrap(await store.journals(), 'the journals');
  const factory = new SessionFactory({ seed: 29 });
  const records = messageRecords(64);
  const floor = await AppendFloor.open(join(context.floorDir, 'journal-floor.jsonl'));
  const single = unwrap(await journals.open(factory.uuid()), 'journal open');
  const shared = unwrap(await journals.open(factory.uuid()), 'journal open');
  const rows: FigureRow[] = [];
  try {
    context.log('journal append, 1 appender');
    const fresh = await oneAppender(context, single, floor, records);
    rows.push(oneAppenderRow('1 appender', fresh));

    context.log(`journal append, ${concurrentAppenders} concurrent appenders`);
    const concurrent = await concurrentFigure(context, shared, floor, records);
    const gain = concurrent.appendsPerSecond / concurrent.oneAppenderAppendsPerSecond;
    rows.push({
      operation: 'journal append, acknowledged',
      size: `${concurrentAppenders} concurrent appenders`,
      floorName: 'one appended line + fdatasync',
      ...concurrent.comparison,
      target: `p50 ≤ ${appendTarget}×; throughput ≥ 10× 1 appender`,
      status: concurrent.comparison.ratio <= appendTarget && gain >= 10 ? 'ok' : 'over target',
      facts: {
        appendsPerSecond: Math.round(concurrent.appendsPerSecond),
        throughputGainOverOneAppender: round(gain),
        oneAppenderAppendsPerSecond: Math.round(concurrent.oneAppenderAppendsPerSecond),
        // The measure used until 2026-12-01: against the "1 appender" row (the mean of single
        // appends timed one by one between floor appends), which undercounts one appender.
        gainOverTheOneAppenderRow: round(
          concurrent.appendsPerSecond / (1000 / fresh.comparison.subject.meanMs),
        ),
        syncsPerAppend: round(concurrent.syncsPerAppend),
      },
    });

    context.log(`journal append, 1 appender after ${prefilledRecords.toLocaleString('en-US')} records`);
    await prefill(single, records, prefilledRecords - single.stats.records);
    const full = await oneAppender(context, single, floor, records);
    rows.push(oneAppenderRow(`1 appender, journal of ${Math.round(full.meanRecords / 1000)}k records`, full));
    const slopes = [
      slopeRow({
        operation: 'journal append (1 appender)',
        variable: 'records in the journal',
        unit: 'record',
        from: fresh.meanRecords,
        to: full.meanRecords,
        subjectFromMs: fresh.comparison.subject.medianMs,
        subjectToMs: full.comparison.subject.medianMs,
        floorFromMs: fresh.comparison.floor.medianMs,
        floorToMs: full.comparison.floor.medianMs,
        expected: 'flat',
      }),
    ];
    return { rows, slopes };
  } finally {
    await single.close();
    await shared.close();
    await floor.close();
  }
}

/** The row of a single appender's acknowledged appends. */
function oneAppenderRow(size: string, measured: Awaited<ReturnType<typeof oneAppender>>): FigureRow {
  return {
    operation: 'journal append, acknowledged',
    size,
    floorName: 'one appended line + fdatasync',
    ...measured.comparison,
    target: `p50 ≤ ${appendTarget}× one fdatasync`,
    status: statusAtMost(measured.comparison.ratio, appendTarget),
    facts: {
      appendsPerSecond: Math.round(1000 / measured.comparison.subject.meanMs),
      syncsPerAppend: round(measured.syncsPerAppend),
      meanRecordsInJournal: Math.round(measured.meanRecords),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Appends `count` records in large concurrent batches (a few fdatasyncs in all). */
async function prefill(
  writer: SessionJournal,
  records: readonly { type: string; data: JsonValue }[],
  count: number,
) {
  const batch = 500;
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const appended = await Promise.all(
      Array.from({ length: size }, (_, index) => {
        const record = records[(done + index) % records.length] ?? { type: 'message', data: null };
        return writer.append(record.type, record.data);
      }),
    );
    for (const result of appended) unwrap(result, 'journal prefill');
  }
}

/**
 * Rounds alternate the floor (16 single appends one after the other, each timed), the latency of
 * 16 appenders (each doing 4 acknowledged appends in a row, all at once; each append timed) and
 * the throughput of 16 appenders against one: the same 64 appends by 16 appenders at once, then by
 * one appender one after the other, on the same journal, neither timing its appends (only the
 * round's wall time), so that the two throughputs pay the same harness cost and see the same
 * machine state. The order of the parts turns around every round.
 */
async function concurrentFigure(
  context: BenchContext,
  writer: SessionJournal,
  floor: AppendFloor,
  records: readonly { type: string; data: JsonValue }[],
): Promise<{
  comparison: Comparison;
  appendsPerSecond: number;
  oneAppenderAppendsPerSecond: number;
  syncsPerAppend: number;
}> {
  const plan = planFor(context, { warmup: 2, minSamples: 15, maxSamples: 200, budgetMs: 3000 });
  const line = floorLine(records[0] ?? { type: 'message', data: null }, 1);
  const appendsPerRound = concurrentAppenders * appendsPerAppenderPerRound;
  const floorSamples: number[] = [];
  const subjectSamples: number[] = [];
  const wall = { concurrent: 0, sequential: 0, appends: 0, syncs: 0 };
  const append = async (index: number) => {
    const record = records[index % records.length];
    unwrap(await writer.append(record?.type ?? 'message', record?.data ?? null), 'journal append');
  };
  const floorRound = async () => {
    for (let index = 0; index < concurrentAppenders; index++)
      floorSamples.push(await timeMs(() => floor.append(line)));
  };
  const inParallel = (each: (appender: number, count: number) => Promise<void>) =>
    Promise.all(
      Array.from({ length: concurrentAppenders }, async (_, appender) => {
        for (let count = 0; count < appendsPerAppenderPerRound; count++) await each(appender, count);
      }),
    );
  const latencyRound = (timed: boolean) =>
    inParallel(async (appender, count) => {
      const took = await timeMs(() => append(appender * appendsPerAppenderPerRound + count));
      if (timed) subjectSamples.push(took);
    });
  const throughputRounds = async () => {
    const syncsBefore = writer.stats.syncs;
    const concurrentStart = process.hrtime.bigint();
    await inParallel((appender, count) => append(appender * appendsPerAppenderPerRound + count));
    wall.concurrent += elapsedMs(concurrentStart);
    wall.syncs += writer.stats.syncs - syncsBefore;
    const sequentialStart = process.hrtime.bigint();
    for (let index = 0; index < appendsPerRound; index++) await append(index);
    wall.sequential += elapsedMs(sequentialStart);
    wall.appends += appendsPerRound;
  };
  for (let round = 0; round < plan.warmup; round++) {
    await latencyRound(false);
    await throughputRounds();
  }
  Object.assign(wall, { concurrent: 0, sequential: 0, appends: 0, syncs: 0 });
  const started = performance.now();
  for (let round = 0; round < plan.maxSamples; round++) {
    if (round >= plan.minSamples && performance.now() - started >= plan.budgetMs) break;
    const parts = [floorRound, () => latencyRound(true), throughputRounds];
    for (const part of round % 2 === 0 ? parts : parts.reverse()) await part();
  }
  const floorSummary = summarize(floorSamples);
  const subjectSummary = summarize(subjectSamples);
  return {
    comparison: {
      floor: floorSummary,
      subject: subjectSummary,
      ratio: subjectSummary.medianMs / floorSummary.medianMs,
    },
    appendsPerSecond: (wall.appends / wall.concurrent) * 1000,
    oneAppenderAppendsPerSecond: (wall.appends / wall.sequential) * 1000,
    // Durable writes per append of the 16 appenders (1/16 when every batch holds all of them).
    syncsPerAppend: wall.syncs / Math.max(1, wall.appends),
  };
}
