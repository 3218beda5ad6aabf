import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { loadFloor, saveFloor } from '../harness/floors.js';
import { type FigureRow, type SlopeRow, slopeRow, statusAtMost } from '../harness/results.js';

const plans: Record<number, SamplingPlan> = {
  100: { warmup: 5, minSamples: 30, maxSamples: 400, budgetMs: 1500 },
  1000: { warmup: 3, minSamples: 15, maxSamples: 200, budgetMs: 2000 },
  10000: { warmup: 1, minSamples: 9, maxSamples: 60, budgetMs: 4000 },
};

/**
 * A load is measured once V8 has optimized it, as its floor (two built-ins) is from the start: the
 * load path's own code kept getting faster for about 3,000 calls, so a few warm-up loads left the
 * samples measuring the JIT's progress more than the load (±10% from run to run at 100 messages).
 * About a quarter of a second of warm-up loads at each size, interleaved with the floor as the
 * samples are. Saves wait on the disk and keep the short warm-up.
 */
const loadWarmups: Record<number, number> = { 100: 3000, 1000: 300, 10000: 30 };

const saveTarget = 1.5;
/** Load: ≤ 2× at 100 messages (start-up costs weigh most there), ≤ 1.5× from 1,000 on. */
const loadTarget = (size: number) => (size <= 100 ? 2 : 1.5);

/**
 * Save (validate, canonical JSON, sign, lock, durable write) and load (size check, parse,
 * validate, verify) of one session of 100, 1,000 and 10,000 messages, against plain
 * `JSON.stringify` + durable replace and read + `JSON.parse` of the same bytes.
 */
export async function saveAndLoadFigures(
  context: BenchContext,
): Promise<{ rows: FigureRow[]; slopes: SlopeRow[] }> {
  const sizes = context.quick ? [100, 1000] : [100, 1000, 10000];
  const store = await openStore(join(context.root, 'save-load'));
  const factory = new SessionFactory({ seed: 11 });
  const saves: Measured[] = [];
  const loads: Measured[] = [];
  for (const size of sizes) {
    const plan = planFor(
      context,
      plans[size] ?? { warmup: 2, minSamples: 10, maxSamples: 50, budgetMs: 3000 },
    );
    const session = factory.session({ messageCount: size, todoCount: 10, project_path: context.projectDir });
    const report = unwrap(await store.save(session), 'save');
    const signed = unwrap(await store.load(session.id), 'load').session;
    const floorPath = join(context.floorDir, `save-${size}.json`);
    const sessionPath = store.backend.layout.sessionFile(session.id);
    const facts = {
      messages: size,
      storedBytes: report.bytes,
      floorBytes: Buffer.byteLength(JSON.stringify(signed)),
    };

    context.log(`save ${size} messages`);
    const save = await compareInterleaved(
      () => saveFloor(floorPath, signed),
      async () => unwrap(await store.save(session), 'save'),
      plan,
    );
    const atLargest = size === 10000;
    saves.push({
      size,
      bytes: report.bytes,
      row: {
        operation: 'save (signed, validated, durable)',
        size: `${size.toLocaleString('en-US')} messages`,
        floorName: 'JSON.stringify + write + fsync + rename + dir fsync',
        ...save,
        target: atLargest ? `≤ ${saveTarget}× at 10,000` : 'report',
        status: atLargest ? statusAtMost(save.ratio, saveTarget) : 'reported',
        facts,
      },
    });

    context.log(`load ${size} messages`);
    const load = await compareInterleaved(
      () => loadFloor(sessionPath),
      async () => unwrap(await store.load(session.id), 'load'),
      { ...plan, warmup: context.quick ? plan.warmup : (loadWarmups[size] ?? plan.warmup) },
    );
    loads.push({
      size,
      bytes: report.bytes,
      row: {
        operation: 'load (size check, parse, validate, verify)',
        size: `${size.toLocaleString('en-US')} messages`,
        floorName: 'readFile + JSON.parse',
        ...load,
        target: `≤ ${loadTarget(size)}×`,
        status: statusAtMost(load.ratio, loadTarget(size)),
        facts,
      },
    });
  }
  const slopes = byteSlopes(saves, loads);
  return { rows: [...saves.map((entry) => entry.row), ...loads.map((entry) => entry.row)], slopes };
}

type Measured = { size: number; bytes: number; row: FigureRow };

/** How save and load grow with the file's bytes (linear). */
function byteSlopes(saves: readonly Measured[], loads: readonly Measured[]): SlopeRow[] {
  const slopes: SlopeRow[] = [];
  for (const [operation, series] of [
    ['save', saves],
    ['load', loads],
  ] as const) {
    const first = series[0];
    const last = series[series.length - 1];
    if (first === undefined || last === undefined || first === last) continue;
    slopes.push(
      slopeRow({
        operation,
        variable: 'file bytes',
        unit: 'KiB',
        unitScale: 1024,
        from: first.bytes,
        to: last.bytes,
        subjectFromMs: first.row.subject.medianMs,
        subjectToMs: last.row.subject.medianMs,
        floorFromMs: first.row.floor.medianMs,
        floorToMs: last.row.floor.medianMs,
        expected: 'linear',
      }),
    );
  }
  return slopes;
}
