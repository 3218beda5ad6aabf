import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recoverInterruptedSessions } from '@jido-code/session';
import { nodeFileSystem } from '@jido-code/storage';
import { homeLayout } from '@jido-code/storage/internal';
import { compareInterleaved, compareSelfTimed } from '../harness/compare.js';
import { type BenchContext, openStore, planFor, unwrap } from '../harness/context.js';
import { callCountingFileSystem } from '../harness/counting-file-system.js';
import { durableWriteFloor } from '../harness/floors.js';
import type { FigureRow } from '../harness/results.js';
import { summarize } from '../harness/stats.js';
import { timeMs } from '../harness/timer.js';

const child = fileURLToPath(new URL('../children/pending-journals.ts', import.meta.url));
const pendingSessions = 10;
const messagesPerSession = 20;
const idleTarget = 2;

/**
 * Runs the pending-journals child on `home` until every message is acknowledged, then SIGKILLs it:
 * the home keeps one journal per session, as a crashed shell leaves it.
 */
async function crashedHome(context: BenchContext, home: string): Promise<void> {
  const projects = join(context.root, 'recovery-projects');
  const process_ = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@jido-code/source',
      child,
      home,
      projects,
      String(pendingSessions),
      String(messagesPerSession),
    ],
    { cwd: context.repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve, reject) => {
    process_.on('error', reject);
    process_.on('close', (code, signal) => resolve(signal ?? code));
  });
  await new Promise<void>((resolve, reject) => {
    let stdout = '';
    process_.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    void exited.then((how) => reject(new Error(`pending-journals child ended early (${how})`)));
  });
  process_.kill('SIGKILL');
  const how = await exited;
  if (how !== 'SIGKILL') throw new Error(`pending-journals child ended with ${how}, not SIGKILL`);
}

/** The journal files of a home (what recovery has to do). */
async function journalFiles(home: string): Promise<string[]> {
  return (await readdir(homeLayout(home).journalDir)).filter((name) => name.endsWith('.jsonl'));
}

/** Fresh copies of a template home, one per sample, removed after it (neither step timed). */
class Copies {
  #next = 0;
  constructor(
    readonly context: BenchContext,
    readonly template: string,
  ) {}

  async make(): Promise<string> {
    const home = join(this.context.root, `recovery-copy-${this.#next++}`);
    await cp(this.template, home, { recursive: true, preserveTimestamps: true });
    return home;
  }
}

/**
 * The cost of recovery when the home opens (`recoverInterruptedSessions`, which every command runs
 * after opening the home and before reading it), at 0 pending journals against one `readdir` of the
 * journal folder, and at 10 pending journals (left by a real process SIGKILLed after its messages
 * were acknowledged) against a plain read of each journal plus a durable rewrite of its session
 * file with the recovered bytes.
 */
export async function recoveryFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  context.log(
    `recovery: a child journals ${pendingSessions} sessions × ${messagesPerSession} messages, then SIGKILL`,
  );
  const pendingTemplate = join(context.root, 'recovery-pending');
  await mkdir(pendingTemplate, { recursive: true, mode: 0o700 });
  await crashedHome(context, pendingTemplate);
  const journals = await journalFiles(pendingTemplate);
  if (journals.length !== pendingSessions) {
    throw new Error(`expected ${pendingSessions} pending journals, found ${journals.length}`);
  }
  // The idle template: the same home once recovered (journal folder present and empty).
  const idleTemplate = join(context.root, 'recovery-idle');
  await cp(pendingTemplate, idleTemplate, { recursive: true, preserveTimestamps: true });
  const first = await recoverInterruptedSessions(await openStore(idleTemplate));
  const recoveredMessages = first.sessions.reduce((sum, session) => sum + session.messages, 0);
  if (
    first.recovered.length !== pendingSessions ||
    recoveredMessages !== pendingSessions * messagesPerSession
  ) {
    throw new Error(
      `the first recovery brought back ${first.recovered.length} sessions and ${recoveredMessages} messages`,
    );
  }
  return {
    rows: [await idleRow(context, idleTemplate), await pendingRow(context, pendingTemplate, idleTemplate)],
  };
}

/** Nothing pending: the subject must cost one `readdir`, counted through the store's file system. */
async function idleRow(context: BenchContext, idleTemplate: string): Promise<FigureRow> {
  context.log('recovery on open, 0 pending journals');
  const counting = callCountingFileSystem(nodeFileSystem);
  // Nothing changes a home with nothing to recover, so one copy serves every sample.
  const home = await new Copies(context, idleTemplate).make();
  const store = await openStore(home, { fs: counting.fs });
  const journalDir = homeLayout(home).journalDir;
  unwrap(await store.keyring(), 'the keyring');
  counting.reset();
  const once = await recoverInterruptedSessions(store);
  const callsOnce = Object.fromEntries(counting.calls);
  if (once.recovered.length + once.failed.length + once.skipped.length !== 0) {
    throw new Error('the idle home had something to recover');
  }
  const comparison = await compareInterleaved(
    () => readdir(journalDir),
    () => recoverInterruptedSessions(store),
    planFor(context, { warmup: 50, minSamples: 300, maxSamples: 3000, budgetMs: 2000 }),
  );
  await rm(home, { recursive: true, force: true });
  const totalCalls = Object.values(callsOnce).reduce((sum, count) => sum + count, 0);
  return {
    operation: 'recovery on open',
    size: '0 pending journals',
    floorName: 'one readdir of the journal folder',
    ...comparison,
    target: `p50 ≤ ${idleTarget}×; 1 file-system call`,
    status: comparison.ratio <= idleTarget && totalCalls === 1 ? 'ok' : 'over target',
    facts: {
      fileSystemCalls: totalCalls,
      readdirCalls: callsOnce.readdir ?? 0,
      sessionsInHome: pendingSessions,
    },
  };
}

/**
 * Ten pending journals. Each sample runs on a fresh copy of the crashed home (copy and store open
 * not timed); floor and subject alternate, each with its own copy.
 */
async function pendingRow(
  context: BenchContext,
  pendingTemplate: string,
  idleTemplate: string,
): Promise<FigureRow> {
  context.log(`recovery on open, ${pendingSessions} pending journals`);
  const copies = new Copies(context, pendingTemplate);
  const layout = homeLayout(pendingTemplate);
  const ids = (await journalFiles(pendingTemplate)).map((name) => name.slice(0, -'.jsonl'.length));
  // What recovery writes: each session file as the first recovery left it.
  const recoveredBytes = new Map<string, string>();
  for (const id of ids) {
    recoveredBytes.set(id, await readFile(homeLayout(idleTemplate).sessionFile(id), 'utf8'));
  }
  let journalBytes = 0;
  for (const id of ids) journalBytes += (await readFile(join(layout.journalDir, `${id}.jsonl`))).length;

  const floor = async (): Promise<number> => {
    const home = await copies.make();
    const copy = homeLayout(home);
    const took = await timeMs(async () => {
      for (const name of await readdir(copy.journalDir)) {
        if (!name.endsWith('.jsonl')) continue;
        const id = name.slice(0, -'.jsonl'.length);
        await readFile(join(copy.journalDir, name));
        await durableWriteFloor(copy.sessionFile(id), recoveredBytes.get(id) ?? '');
      }
    });
    await rm(home, { recursive: true, force: true });
    return took;
  };
  const counting = callCountingFileSystem(nodeFileSystem);
  const syncsPerSample: number[] = [];
  const subject = async (): Promise<number> => {
    const home = await copies.make();
    const store = await openStore(home, { fs: counting.fs });
    counting.reset();
    let recovered = 0;
    const took = await timeMs(async () => {
      recovered = (await recoverInterruptedSessions(store)).recovered.length;
    });
    if (recovered !== pendingSessions)
      throw new Error(`recovered ${recovered} of ${pendingSessions} sessions`);
    syncsPerSample.push((counting.calls.get('fsync') ?? 0) + (counting.calls.get('fdatasync') ?? 0));
    await rm(home, { recursive: true, force: true });
    return took;
  };
  const comparison = await compareSelfTimed(
    floor,
    subject,
    planFor(context, { warmup: 2, minSamples: 20, maxSamples: 200, budgetMs: 8000 }),
  );
  return {
    operation: 'recovery on open',
    size: `${pendingSessions} pending journals × ${messagesPerSession} messages`,
    floorName: 'read each journal + durable rewrite of its session file',
    ...comparison,
    target: 'report',
    status: 'reported',
    facts: {
      journalBytes,
      sessionsRecoveredPerSample: pendingSessions,
      syncsPerSession: Math.round((summarize(syncsPerSample).medianMs / pendingSessions) * 100) / 100,
      floorSyncsPerSession: 2,
      recoveriesPerSecond: Math.round((pendingSessions * 1000) / comparison.subject.medianMs),
    },
  };
}
