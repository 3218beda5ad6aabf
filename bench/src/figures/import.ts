import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planImport } from '@jido-code/import';
import { writeClaudeProjects } from '../claude-projects.js';
import { type BenchContext, openStore, unwrap } from '../harness/context.js';
import type { FigureRow } from '../harness/results.js';
import { summarize } from '../harness/stats.js';
import { timeMs } from '../harness/timer.js';

/** Plain Node on the same bytes: read every file, split lines, `JSON.parse` each. */
async function parseEveryLine(paths: readonly string[]): Promise<number> {
  let records = 0;
  for (const path of paths) {
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (line === '') continue;
      JSON.parse(line);
      records += 1;
    }
  }
  return records;
}

/** The importer: discover, read, choose branches, build and validate every session. */
async function readAll(folder: string, save?: (session: unknown) => Promise<void>): Promise<number> {
  const plan = await planImport('claude-code', { path: folder, userHome: folder, env: {} });
  let records = 0;
  for (const source of plan.sources) {
    const { report, session } = await plan.read(source);
    if (report.status !== 'imported' || !session)
      throw new Error(`unexpected ${report.status} for ${report.path}`);
    records += report.records;
    if (save) await save(session);
  }
  return records;
}

const perSecond = (records: number, ms: number) => Math.round(records / (ms / 1000));

/**
 * Import throughput on a generated Claude Code projects folder (100 MB; 10 MB with --quick):
 * records per second of the readers alone, and with every session saved through the store
 * (validated, signed, durably written), each against plain `JSON.parse` of every line, rounds
 * interleaved (floor, subject, subject, floor, …).
 */
export async function importFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const megabytes = context.quick ? 10 : 100;
  const folder = join(context.root, 'claude-projects');
  const written = await writeClaudeProjects(folder, megabytes * 1024 * 1024);
  context.log(
    `import: ${written.files} files, ${(written.bytes / 1048576).toFixed(1)} MiB, ${written.records} records`,
  );
  const plan = await planImport('claude-code', { path: folder, userHome: folder, env: {} });
  const paths = plan.sources.map((source) => source.path);
  const rounds = context.quick ? 2 : 4;
  const floor: number[] = [];
  const subject: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [floor, subject] : [subject, floor];
    for (const series of order) {
      if (series === floor) series.push(await timeMs(() => parseEveryLine(paths)));
      else series.push(await timeMs(() => readAll(folder)));
    }
    context.log(`import: round ${round + 1}/${rounds}`);
  }
  const saving: number[] = [];
  const savingFloor: number[] = [];
  for (let round = 0; round < (context.quick ? 1 : 2); round += 1) {
    const store = await openStore(join(context.root, `import-home-${round}`));
    savingFloor.push(await timeMs(() => parseEveryLine(paths)));
    saving.push(
      await timeMs(() =>
        readAll(folder, async (session) => {
          unwrap(await store.save(session as Parameters<typeof store.save>[0]), 'save');
        }),
      ),
    );
  }
  const size = `${(written.bytes / 1048576).toFixed(0)} MiB, ${written.files} files, ${written.records.toLocaleString('en-US')} records`;
  const row = (operation: string, subjectMs: number[], floorMs: number[]): FigureRow => {
    const subjectSummary = summarize(subjectMs);
    const floorSummary = summarize(floorMs);
    return {
      operation,
      size,
      floorName: 'readFile + split + JSON.parse of every line',
      subject: subjectSummary,
      floor: floorSummary,
      ratio: subjectSummary.medianMs / floorSummary.medianMs,
      target: 'report records/s',
      status: 'reported',
      facts: {
        records: written.records,
        bytes: written.bytes,
        files: written.files,
        subject_records_per_second: perSecond(written.records, subjectSummary.medianMs),
        floor_records_per_second: perSecond(written.records, floorSummary.medianMs),
      },
    };
  };
  return {
    rows: [
      row('import claude-code (read, build, validate)', subject, floor),
      row('import claude-code + store.save (signed, durable)', saving, savingFloor),
    ],
  };
}
