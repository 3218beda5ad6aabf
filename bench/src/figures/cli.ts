import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { addSessions, type BenchContext, benchConfig, openStore, planFor } from '../harness/context.js';
import { runNode } from '../harness/process.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';

const rssProbe = fileURLToPath(new URL('../children/rss-probe.mjs', import.meta.url));

/** A home holding `count` saved sessions of 20 messages, with the CLI's config (raised limits). */
async function homeWith(context: BenchContext, name: string, count: number): Promise<string> {
  const home = join(context.root, name);
  const store = await openStore(home);
  await writeFile(join(home, 'config.json'), JSON.stringify(benchConfig), { mode: 0o600 });
  const overrides = { messageCount: 20, todoCount: 2, project_path: context.projectDir };
  await addSessions(context, store, new SessionFactory({ seed: count }), count, overrides);
  return home;
}

/**
 * Whole-process `jido` runs (the package's bin, which loads the built `dist` when there is one)
 * against `node -e 0` start-up, interleaved: `--version`, `sessions list` at 2 and 1,000 sessions,
 * `sessions import <file>`; and the peak RSS of `sessions list` at 10,000 sessions.
 */
export async function cliFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const bin = join(context.repoRoot, 'apps', 'cli', 'bin', 'jido.js');
  const built = existsSync(join(context.repoRoot, 'apps', 'cli', 'dist', 'bin.js'));
  const launcher = built ? 'built' : 'unbuilt, through tsx';
  if (!built)
    context.notes.push('cli: apps/cli/dist was not built; the CLI rows measure the sources through tsx.');
  const cwd = context.projectDir;
  const jido =
    (...args: string[]) =>
    () =>
      runNode([bin, ...args], { cwd });
  const nodeStart = () => runNode(['-e', '0'], { cwd });
  const plan = planFor(context, { warmup: 2, minSamples: 10, maxSamples: 40, budgetMs: 6000 });
  const rows: FigureRow[] = [];
  const row = async (operation: string, size: string, target: number, subject: () => Promise<unknown>) => {
    context.log(`${operation} (${size})`);
    const comparison = await compareInterleaved(nodeStart, subject, plan);
    rows.push({
      operation: `${operation}, whole process (${launcher})`,
      size,
      floorName: 'node -e 0',
      ...comparison,
      target: `≤ ${target}× node -e 0`,
      status: statusAtMost(comparison.ratio, target),
    });
  };

  await row('jido --version', '–', 1.3, jido('--version'));
  const small = await homeWith(context, 'cli-2', 2);
  await row('jido sessions list', '2 sessions', 1.6, jido('--home', small, 'sessions', 'list'));
  const large = await homeWith(context, 'cli-1000', context.quick ? 200 : 1000);
  await row(
    'jido sessions list',
    `${context.quick ? 200 : '1,000'} sessions`,
    2.5,
    jido('--home', large, 'sessions', 'list'),
  );

  const importFile = join(context.root, 'import.json');
  const imported = new SessionFactory({ seed: 61 }).session({
    messageCount: 100,
    todoCount: 3,
    project_path: cwd,
  });
  await writeFile(importFile, JSON.stringify(imported));
  await row(
    'jido sessions import <file> --new-id',
    '100 messages',
    2,
    jido('--home', small, 'sessions', 'import', importFile, '--new-id'),
  );

  rows.push(await peakRssRow(context, { bin, cwd, launcher, large }));
  return { rows };
}

/** The peak RSS of `jido sessions list` at 10,000 sessions (200 in the quick form), in MB. */
async function peakRssRow(
  context: BenchContext,
  subject: { readonly bin: string; readonly cwd: string; readonly launcher: string; readonly large: string },
): Promise<FigureRow> {
  const { bin, cwd, launcher, large } = subject;
  const huge = context.quick ? large : await homeWith(context, 'cli-10000', 10_000);
  const count = context.quick ? 200 : 10_000;
  const rssFile = join(context.root, 'rss.txt');
  const listWithProbe = async () => {
    await runNode(['--import', rssProbe, bin, '--home', huge, 'sessions', 'list'], {
      cwd,
      env: { ...process.env, JIDO_BENCH_RSS_FILE: rssFile },
    });
    return Number(await readFile(rssFile, 'utf8')) / 1024;
  };
  context.log(`peak RSS of jido sessions list (${count} sessions)`);
  await listWithProbe(); // the first listing of a home builds its index
  const peaks: number[] = [];
  for (let run = 0; run < 3; run++) peaks.push(await listWithProbe());
  const peakMb = Math.max(...peaks);
  // Summaries in MB here (see `shown`).
  const rssSummary = {
    count: peaks.length,
    medianMs: peakMb,
    p99Ms: peakMb,
    minMs: Math.min(...peaks),
    maxMs: peakMb,
    meanMs: peakMb,
  };
  return {
    operation: `peak RSS of jido sessions list (${launcher})`,
    size: `${count.toLocaleString('en-US')} sessions`,
    floorName: 'none (absolute, MB)',
    subject: rssSummary,
    floor: rssSummary,
    ratio: 1,
    target: '≤ 120 MB',
    status: context.quick ? 'reported' : peakMb <= 120 ? 'ok' : 'over target',
    facts: { peakRssMb: Math.round(peakMb * 10) / 10, runs: peaks.length },
    shown: { subject: `${peakMb.toFixed(1)} MB`, floor: '–', ratio: '–' },
  };
}
