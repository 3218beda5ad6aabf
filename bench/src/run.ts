// `pnpm bench`: every figure is a ratio against a plain-Node floor measured in the same run, on the
// same bytes, sampled interleaved with it. Prints the tables, writes bench/results/latest.json.
// Flags: --quick (smaller sizes and budgets), --only=save-load,journal,… (a subset, written to
// results/partial.json), --markdown (also print the tables as Markdown for the README), --pg-large[=N]
// and --pg-search (the long PostgreSQL forms, see longForms).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliFigures } from './figures/cli.js';
import { importFigures } from './figures/import.js';
import { journalFigures } from './figures/journal.js';
import { keyringFigures } from './figures/keyring.js';
import { listFigures } from './figures/list.js';
import { lockFigures } from './figures/lock.js';
import { newSaveFigures } from './figures/new-save.js';
import { postgresFigures } from './figures/postgres.js';
import { postgresLargeFigures } from './figures/postgres-scale.js';
import { postgresSearchFigures } from './figures/postgres-search.js';
import { rateLimitFigures } from './figures/rate-limit.js';
import { recoveryFigures } from './figures/recovery.js';
import { redactionFigures } from './figures/redaction.js';
import { resumeFigures } from './figures/resume.js';
import { saveAndLoadFigures } from './figures/save-load.js';
import { searchFigures } from './figures/search.js';
import type { BenchContext } from './harness/context.js';
import { describeMachine, machineLine } from './harness/machine.js';
import { type BenchReport, renderFigures, renderMarkdownTables, renderSlopes } from './harness/report.js';
import type { FigureRow, SlopeRow } from './harness/results.js';

type Figure = (context: BenchContext) => Promise<{ rows: FigureRow[]; slopes?: SlopeRow[] }>;

const figures: Record<string, Figure> = {
  'save-load': saveAndLoadFigures,
  list: listFigures,
  journal: journalFigures,
  recovery: recoveryFigures,
  resume: resumeFigures,
  keyring: keyringFigures,
  'rate-limit': rateLimitFigures,
  search: searchFigures,
  cli: cliFigures,
  lock: lockFigures,
  'new-save': newSaveFigures,
  import: importFigures,
  redaction: redactionFigures,
  postgres: postgresFigures,
  'postgres-large': postgresLargeFigures,
  'postgres-search': postgresSearchFigures,
};

/**
 * Long forms (minutes of staging on a 2-core machine), run only when named in --only, or with
 * --pg-large[=N] / JIDO_BENCH_PG_LARGE (100,000 sessions) and --pg-search / JIDO_BENCH_PG_SEARCH=1
 * (1,000,000 messages).
 */
function longForms(argv: readonly string[]): string[] {
  const large =
    argv.some((argument) => argument.startsWith('--pg-large')) || !!process.env.JIDO_BENCH_PG_LARGE;
  const search = argv.includes('--pg-search') || process.env.JIDO_BENCH_PG_SEARCH === '1';
  return [...(large ? ['postgres-large'] : []), ...(search ? ['postgres-search'] : [])];
}
const longFormNames = new Set(['postgres-large', 'postgres-search']);

function parseArguments(argv: readonly string[]) {
  const only = argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length);
  const selected =
    only === undefined
      ? [...Object.keys(figures).filter((name) => !longFormNames.has(name)), ...longForms(argv)]
      : only.split(',').filter(Boolean);
  const unknown = selected.filter((name) => !(name in figures));
  if (unknown.length > 0) {
    throw new Error(`unknown figure(s): ${unknown.join(', ')}; known: ${Object.keys(figures).join(', ')}`);
  }
  return {
    quick: argv.includes('--quick'),
    markdown: argv.includes('--markdown'),
    selected,
    partial: only !== undefined,
  };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const benchDir = fileURLToPath(new URL('..', import.meta.url));
  const root = await mkdtemp(join(tmpdir(), 'jido-bench-'));
  const started = performance.now();
  const machine = describeMachine(root);
  const context: BenchContext = {
    root,
    floorDir: join(root, 'floor'),
    projectDir: join(root, 'project'),
    repoRoot: join(benchDir, '..'),
    quick: options.quick,
    notes: [
      'Each figure interleaves floor and subject samples (floor-subject, subject-floor, …) and compares medians: ratio = subject p50 / floor p50.',
      'Floors are plain Node (fs/promises) on the same bytes in the same file system; the load floor reads and the listing floor stats in place (the cheapest plain way; the store reads and stats in place too, and waits on the thread pool only to write and sync).',
      'Listing fixtures are written by store.save (through a staging store sharing the keyring, fsync skipped, renamed into place); the first, cold listing parses and verifies every file; every timed listing is checked to have parsed 0 and reused all.',
    ],
    log: (line) =>
      process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`),
  };
  await mkdir(context.floorDir, { recursive: true });
  await mkdir(context.projectDir, { recursive: true });
  context.log(`machine: ${machineLine(machine)}`);
  const rows: FigureRow[] = [];
  const slopes: SlopeRow[] = [];
  try {
    for (const name of options.selected) {
      const figure = figures[name];
      if (figure === undefined) continue;
      const result = await figure(context);
      rows.push(...result.rows);
      slopes.push(...(result.slopes ?? []));
    }
  } finally {
    // JIDO_BENCH_KEEP=1 keeps the fixtures (homes, indexes) for profiling by hand.
    if (process.env.JIDO_BENCH_KEEP === '1') process.stdout.write(`Kept the bench fixtures in ${root}\n`);
    else await rm(root, { recursive: true, force: true });
  }
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    durationMs: Math.round(performance.now() - started),
    machine,
    figures: rows,
    slopes,
    notes: context.notes,
  };
  const resultsDir = join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const output = join(resultsDir, options.partial ? 'partial.json' : 'latest.json');
  await writeFile(output, `${JSON.stringify(report, null, 2)}\n`);

  const print = (text: string) => process.stdout.write(`${text}\n`);
  print('');
  print(`Machine: ${machineLine(machine)}${options.quick ? ' (quick run)' : ''}`);
  print('');
  print(renderFigures(rows));
  print('');
  print(
    'Growth from the smallest to the largest size (log-log exponent: 1 = linear, 0 = flat; excess = subject − floor):',
  );
  print(slopes.length > 0 ? renderSlopes(slopes) : '(no growing figure in this run)');
  print('');
  for (const note of context.notes) print(`- ${note}`);
  const over = [...rows, ...slopes].filter((row) => row.status === 'over target').length;
  print('');
  print(
    `${over} figure(s) over target (reported, not a failure). ${(report.durationMs / 1000).toFixed(1)} s. Wrote ${output}.`,
  );
  if (options.markdown) {
    print('');
    print(renderMarkdownTables(report));
  }
}

await main();
