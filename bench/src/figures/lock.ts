import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionFactory } from '@jido-code/test-support';
import { type BenchContext, openStore, unwrap } from '../harness/context.js';
import type { FigureRow } from '../harness/results.js';
import { percentile, summarize } from '../harness/stats.js';
import { timeMs } from '../harness/timer.js';

const child = fileURLToPath(new URL('../children/lock-updates.ts', import.meta.url));

/** Starts a lock child; resolves with its lock waits once it has printed them. */
function startChild(context: BenchContext, home: string, id: string, count: number) {
  const process_ = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@jido-code/source', child, home, id, String(count)],
    { cwd: context.repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let stdout = '';
  process_.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const waits = new Promise<number[]>((resolve, reject) => {
    process_.on('error', reject);
    process_.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as number[])
        : reject(new Error(`lock child exited with ${code}`)),
    );
  });
  return { go: () => process_.stdin.end('go\n'), waits };
}

/**
 * Worst and p99 lock wait of 8 processes × 200 read-modify-write updates of one session (the
 * reliability suite's case), against the time of one uncontended update (the lock's hold time).
 */
export async function lockFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const processes = 8;
  const updates = context.quick ? 25 : 200;
  const home = join(context.root, 'lock');
  const store = await openStore(home);
  const session = new SessionFactory({ seed: 71 }).session({
    messageCount: 1,
    todoCount: 0,
    project_path: context.projectDir,
  });
  unwrap(await store.save(session), 'save');
  const holds: number[] = [];
  for (let index = 0; index < 20; index++) {
    holds.push(
      await timeMs(async () => unwrap(await store.update(session.id, (current) => current), 'update')),
    );
  }
  const hold = summarize(holds);
  context.log(`lock wait, ${processes} processes × ${updates} updates of one session`);
  const children = Array.from({ length: processes }, () => startChild(context, home, session.id, updates));
  // Each child opens its store first; give them a moment so that they start contending together.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const started of children) started.go();
  const waits = (await Promise.all(children.map((started) => started.waits))).flat();
  const summary = summarize(waits);
  const sorted = [...waits].sort((left, right) => left - right);
  const p99 = percentile(sorted, 0.99);
  const worst = sorted[sorted.length - 1] ?? Number.NaN;
  const format = (ms: number) => `${ms.toFixed(0)} ms`;
  const size = `${processes} processes × ${updates} updates, 1 session`;
  const base = {
    size,
    floorName: 'one uncontended update (hold time)',
    subject: summary,
    floor: hold,
    ratio: summary.medianMs / hold.medianMs,
  };
  return {
    rows: [
      {
        ...base,
        operation: 'lock wait, worst',
        target: '≤ 2 s',
        status: worst <= 2000 ? 'ok' : 'over target',
        facts: {
          worstMs: Math.round(worst),
          p99Ms: Math.round(p99),
          p50Ms: Math.round(summary.medianMs),
          waits: waits.length,
        },
        shown: { subject: format(worst), floor: `${hold.medianMs.toFixed(2)} ms`, ratio: '–' },
      },
      {
        ...base,
        operation: 'lock wait, p99',
        target: '≤ 1 s',
        status: p99 <= 1000 ? 'ok' : 'over target',
        shown: { subject: format(p99), floor: `${hold.medianMs.toFixed(2)} ms`, ratio: '–' },
      },
    ],
  };
}
