import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Session } from '@jido-code/core-schema';
import { type SessionMetadata, SessionStore, type VerifyReport } from '@jido-code/storage';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { inject } from 'vitest';
import { memoryIo } from './memory-io.js';

/** The CLI package folder: the child runs from here so relative paths and tsx resolve. */
export const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** tsx's ESM loader, as a file URL (works whether or not `--import tsx` resolves from the cwd). */
const tsxLoader = pathToFileURL(createRequire(join(cliRoot, 'package.json')).resolve('tsx/esm')).href;

/**
 * `node --import tsx --conditions=@jido-code/source src/bin.ts`: the binary from its sources, as
 * an unbuilt checkout runs it (tests whose point is which source modules load use this).
 */
const jidoSourceCommand = [
  process.execPath,
  '--import',
  tsxLoader,
  '--conditions=@jido-code/source',
  join(cliRoot, 'src', 'bin.ts'),
];

/**
 * `node <bundle>/dist/bin.js`: the real binary, bundled from the current sources once per test run
 * (test/support/bundle-setup.ts), as `pnpm build` bundles it.
 */
export function jidoCommand(): string[] {
  return [process.execPath, inject('jidoBin')];
}

/** What a finished run of the binary left behind. */
export interface JidoRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link jido}. */
export interface JidoOptions {
  /** The jido home (passed as `JIDO_CODE_HOME`). */
  readonly home: string;
  /** Written to stdin, which is then closed (the shell through a pipe). */
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Extra options for node, before the script (e.g. another `--import`). */
  readonly nodeOptions?: readonly string[];
  /** Runs the TypeScript sources through tsx instead of this run's bundle. */
  readonly fromSource?: boolean;
}

/** Model keys a developer may have set: never passed on, so no test can reach a real provider. */
const providerVariables = new Set([
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
]);

/**
 * The environment of a child: no colour, the home, and nothing the caller's JIDO_ settings or
 * model keys add (a test that wants a model passes a local stub's URL in `extra`).
 */
export function childEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('JIDO_') && key !== 'FORCE_COLOR' && !providerVariables.has(key)) env[key] = value;
  }
  return { ...env, JIDO_CODE_HOME: home, NO_COLOR: '1', ...extra };
}

/** Starts the binary without waiting for it. */
export function spawnJido(args: readonly string[], options: JidoOptions): ChildProcess {
  const [command = process.execPath, ...rest] = options.fromSource ? jidoSourceCommand : jidoCommand();
  const script = rest.slice(-1);
  const nodeOptions = [...rest.slice(0, -1), ...(options.nodeOptions ?? [])];
  return spawn(command, [...nodeOptions, ...script, ...args], {
    cwd: options.cwd ?? cliRoot,
    env: childEnv(options.home, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<JidoRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Runs a one-shot command in this process, through the CLI's own entry point (`main`) with in-memory
 * streams and the environment a child would get: for tests about what commands answer, not about
 * the process (exit status is `main`'s return value, which the binary sets as its exit code).
 */
export async function jidoInProcess(args: readonly string[], options: JidoOptions): Promise<JidoRun> {
  const io = memoryIo(options.cwd ?? cliRoot, childEnv(options.home, options.env) as Record<string, string>);
  io.stdin.end(options.input ?? '');
  const { main } = await import('../src/main.js');
  const code = await main(args, io);
  io.stdout.end();
  io.stderr.end();
  await Promise.all([once(io.stdout, 'end'), once(io.stderr, 'end')]);
  return { code, signal: null, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** Runs the binary to completion. */
export async function jido(args: readonly string[], options: JidoOptions): Promise<JidoRun> {
  const child = spawnJido(args, options);
  const done = finished(child);
  child.stdin?.end(options.input ?? '');
  return done;
}

/** A fresh project folder (a session needs a real one), removed when the test finishes. */
export async function projectFolder(name = 'project'): Promise<string> {
  return temporaryFolder(name, 'jido-cli-project-');
}

/** Saves sessions into `home` through the real store, so they are signed. */
export async function seed(home: string, sessions: readonly Session[]): Promise<void> {
  const store = await openedStore(home);
  for (const session of sessions) {
    const saved = await store.save(session);
    if (!saved.ok) throw saved.error;
  }
}

/** Waits until `predicate` holds for the text gathered so far from a stream. */
export function waitForOutput(
  read: () => string,
  predicate: (text: string) => boolean,
  timeoutMs = 60_000,
): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = read();
      if (predicate(text)) resolve(text);
      else if (Date.now() - started > timeoutMs) reject(new Error(`Timed out; output so far:\n${text}`));
      else setTimeout(check, 25);
    };
    check();
  });
}

async function openedStore(home: string): Promise<SessionStore> {
  const opened = await SessionStore.open({ home, env: {} });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

/**
 * The saved sessions' metadata, read in-process through the store (checking a run's result this
 * way spares a process start; what the CLI prints is tested on its own).
 */
export async function storedSessions(home: string): Promise<SessionMetadata[]> {
  const listing = await (await openedStore(home)).listPersisted();
  if (!listing.ok) throw listing.error;
  return [...listing.value.sessions];
}

/** One saved session by name, loaded (and verified) in-process. */
export async function storedSession(home: string, name: string): Promise<Session> {
  const store = await openedStore(home);
  const entry = (await storedSessions(home)).find((session) => session.name === name);
  if (entry === undefined) throw new Error(`No saved session named ${name}`);
  const loaded = await store.load(entry.id);
  if (!loaded.ok) throw loaded.error;
  return loaded.value.session;
}

/** The store's own verification of every file. */
export async function storedVerification(home: string): Promise<VerifyReport> {
  const report = await (await openedStore(home)).verifyAll();
  if (!report.ok) throw report.error;
  return report.value;
}
