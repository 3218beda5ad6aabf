import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved } from '../harness/compare.js';
import { type BenchContext, benchConfig, openStore, planFor, unwrap } from '../harness/context.js';
import { runNode } from '../harness/process.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';

const resumeMessages = 1000;
const tsxNodeArguments = ['--import', 'tsx', '--conditions=@jido-code/source'];

/** Runs `node <args>` from the repository root (the shared harness runner). */
function runProcess(context: BenchContext, args: readonly string[], stdin?: string) {
  return runNode(args, { cwd: context.repoRoot, ...(stdin === undefined ? {} : { stdin }) });
}

/**
 * Resume end to end in a new process, on a 1,000-message session: the `jido` CLI (`jido resume
 * <id>` with `/quit` on a pipe: start-up, rate limit, lease, load, journal, save on close) when it
 * works, else a child that does the same through SessionManager. Against `node -e ""` start-up.
 */
export async function resumeFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const home = join(context.root, 'resume');
  const store = await openStore(home);
  // The CLI reads the home's config.json: raise the resume rate limit so repeated runs are allowed.
  await writeFile(join(home, 'config.json'), JSON.stringify(benchConfig), { mode: 0o600 });
  const session = new SessionFactory({ seed: 53 }).session({
    messageCount: resumeMessages,
    todoCount: 5,
    project_path: context.projectDir,
  });
  unwrap(await store.save(session), 'save');
  const bin = join(context.repoRoot, 'apps', 'cli', 'src', 'bin.ts');
  const cliArguments = [...tsxNodeArguments, bin, 'resume', session.id, '--home', home];
  const { mode, fallbackReason } = await probeCli(context, bin, cliArguments, () =>
    store.load(session.id).then((loaded) => unwrap(loaded, 'load').session.last_resumed_at),
  );
  const childScript = fileURLToPath(new URL('../resume-child.ts', import.meta.url));
  const subjectArguments =
    mode === 'cli' ? cliArguments : [...tsxNodeArguments, childScript, home, session.id];
  const subjectStdin = mode === 'cli' ? '/quit\n' : undefined;
  context.notes.push(
    mode === 'cli'
      ? 'resume end to end: measured the real CLI: `echo /quit | node --import tsx --conditions=@jido-code/source apps/cli/src/bin.ts resume <id> --home H` (sources compiled by tsx on the fly; tsx caches the transform).'
      : `resume end to end: measured bench/src/resume-child.ts (SessionManager resume + close in a new process through tsx) because ${fallbackReason}.`,
  );
  const nodeStart = () => runProcess(context, ['-e', '']);
  // The probe above already ran the subject once (tsx's transform cache is warm): no warm-up round.
  const plan = planFor(context, { warmup: 0, minSamples: 4, maxSamples: 9, budgetMs: 6000 });
  context.log(`resume end to end (${mode})`);
  const resume = await compareInterleaved(
    nodeStart,
    () => runProcess(context, subjectArguments, subjectStdin),
    plan,
  );
  const rows: FigureRow[] = [
    {
      operation: `resume end to end (${mode === 'cli' ? 'jido CLI via tsx' : 'SessionManager child, CLI not usable'})`,
      size: `${resumeMessages.toLocaleString('en-US')} messages`,
      floorName: 'node -e ""',
      ...resume,
      target: 'report',
      status: 'reported',
      facts: { mode },
    },
  ];
  if (mode !== 'cli') return { rows };
  rows.push(
    ...(await cliRows(context, {
      bin,
      home,
      sessionId: session.id,
      resumeMs: resume.subject.medianMs,
      plan,
    })),
  );
  return { rows };
}

/** Whether `jido resume` works through a pipe here (the session ends marked resumed), else why not. */
async function probeCli(
  context: BenchContext,
  bin: string,
  cliArguments: readonly string[],
  lastResumedAt: () => Promise<string | null | undefined>,
): Promise<{ mode: 'cli' | 'script'; fallbackReason: string }> {
  if (!existsSync(bin)) return { mode: 'script', fallbackReason: 'apps/cli/src/bin.ts does not exist' };
  try {
    await runProcess(context, cliArguments, '/quit\n');
    const resumedAt = await lastResumedAt();
    if (resumedAt === undefined || resumedAt === null) {
      return {
        mode: 'script',
        fallbackReason: '`jido resume` exited 0 but the session was not marked resumed',
      };
    }
    return { mode: 'cli', fallbackReason: '' };
  } catch (error) {
    return {
      mode: 'script',
      fallbackReason: `\`jido resume\` through a pipe failed (${String(error).slice(0, 200)})`,
    };
  }
}

/** The built CLI's resume (when `pnpm build` left one) and the CLI's start-up alone. */
async function cliRows(
  context: BenchContext,
  subject: {
    readonly bin: string;
    readonly home: string;
    readonly sessionId: string;
    readonly resumeMs: number;
    readonly plan: ReturnType<typeof planFor>;
  },
): Promise<FigureRow[]> {
  const { bin, home, sessionId, resumeMs: tsxResumeMs, plan } = subject;
  const nodeStart = () => runProcess(context, ['-e', '']);
  const rows: FigureRow[] = [];
  // The built binary, when a `pnpm build` left one: what an installed `jido` costs, without tsx.
  const builtBin = join(context.repoRoot, 'apps', 'cli', 'dist', 'bin.js');
  const built = existsSync(builtBin);
  let builtResumeMs: number | undefined;
  if (built) {
    context.log('resume end to end (built CLI)');
    const comparison = await compareInterleaved(
      nodeStart,
      () => runProcess(context, [builtBin, 'resume', sessionId, '--home', home], '/quit\n'),
      { ...plan, warmup: 1 },
    );
    builtResumeMs = comparison.subject.medianMs;
    rows.push({
      operation: 'resume end to end (built CLI, dist)',
      size: `${resumeMessages.toLocaleString('en-US')} messages`,
      floorName: 'node -e ""',
      ...comparison,
      target: '≤ 3×',
      status: statusAtMost(comparison.ratio, 3),
      facts: { mode: 'dist' },
    });
  } else {
    context.notes.push(
      'resume end to end: apps/cli/dist/bin.js was not built, so the built CLI was not measured.',
    );
  }
  const launcher = built ? 'dist' : 'tsx';
  context.log(`CLI start-up only (jido --version, ${launcher})`);
  const startUp = await compareInterleaved(
    nodeStart,
    () => runProcess(context, built ? [builtBin, '--version'] : [...tsxNodeArguments, bin, '--version']),
    { ...plan, warmup: 1 },
  );
  const resumeMs = builtResumeMs ?? tsxResumeMs;
  rows.push({
    operation: `CLI start-up only (jido --version, ${launcher})`,
    size: '–',
    floorName: 'node -e ""',
    ...startUp,
    target: 'report',
    status: 'reported',
    facts: { resumeWorkBeyondStartUpMs: Math.round(resumeMs - startUp.subject.medianMs) },
  });
  return rows;
}
