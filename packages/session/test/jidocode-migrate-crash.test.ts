/**
 * Issues #15 and #21: the session layer's JidoCode migration (`migrateJidoCodeHome`, what
 * `jido sessions migrate` runs: redaction on the way in, redacted backups), SIGKILLed at random
 * points and run again, loses nothing and migrates nothing twice. Each backup is byte-identical to
 * its original, or, when the original held a secret, the documented redacted backup (each secret
 * replaced, every other byte kept, signed again with JidoCode's key when it was signed). No secret
 * is ever written: after each kill the only files holding one are originals not yet migrated, and
 * after the run completes none is left anywhere under the home. storage's own crash test
 * (packages/storage/test/jidocode-migrate-crash.test.ts) drives only the per-file step.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '@jido-code/core-schema';
import { redactJidoCodeFile, SessionStore } from '@jido-code/storage';
import {
  bundleForOtherUser,
  findInFiles,
  type JidoCodeHome,
  mulberry32,
  secretCorpus,
  secretCorpusSeed,
  WorkerProcess,
  writeJidoCodeHome,
} from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../src/index.js';

const hostname = 'mix-release-host';
const longForm = process.env.JIDO_STRESS === 'long';
const killsWanted = longForm ? 500 : 50;
const seed = secretCorpusSeed();
console.info(`secret corpus seed: ${seed} (replay with JIDO_SECRET_SEED=${seed})`);
const corpus = secretCorpus(seed);
const allValues = corpus.flatMap((sample) => sample.values);
const redactor = new Redactor({ redaction: 'redact', redaction_allowlist: [] });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The bundled worker (plain node, no TypeScript loader: a start costs little, so kills are many). */
function startMigration(script: string, home: string): WorkerProcess {
  return new WorkerProcess(script, [home, hostname], { cwd: import.meta.dirname, command: [script] });
}

async function openStore(home: string): Promise<SessionStore> {
  const opened = await SessionStore.open({ home, env: {}, hostname });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

interface Expected {
  /** The migrated session's content: the original as loaded, redacted, unsigned, canonical. */
  readonly content: string;
  /** The backup's bytes: the original, or the original with its secrets redacted (and re-signed). */
  readonly backup: Buffer;
  readonly redactedBackup: boolean;
}

/** What each session must become, computed from the untouched originals. */
async function expectations(generated: JidoCodeHome): Promise<Map<string, Expected>> {
  const store = await openStore(generated.home);
  const expected = new Map<string, Expected>();
  for (const session of generated.sessions) {
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    const { signature: _signature, ...unsigned } = loaded.value.session;
    const content = canonicalJson((await redactor.redactSession(unsigned)).session);
    if (!content.ok) throw content.error;
    const backup = await redactJidoCodeFile(store, session.bytes, async (texts) => {
      return (await redactor.redactTexts(texts)).texts;
    });
    expected.set(session.id, {
      content: content.value,
      backup: Buffer.from(backup.bytes),
      redactedBackup: backup.changed > 0,
    });
  }
  return expected;
}

/** The invariants after a kill (or the completed run); records each migrated file's bytes. */
async function checkHome(
  generated: JidoCodeHome,
  expected: Map<string, Expected>,
  migratedBytes: Map<string, Buffer>,
): Promise<{ backups: number; migrated: number }> {
  const backupDir = join(generated.home, 'backup', 'jidocode');
  const backups = new Set(await readdir(backupDir).catch(() => [] as string[]));
  const store = await openStore(generated.home);
  const unmigrated = new Set<string>();
  for (const session of generated.sessions) {
    const want = expected.get(session.id) as Expected;
    const bytes = await readFile(generated.sessionFile(session.id));
    if (backups.has(`${session.id}.json`)) {
      expect(await readFile(join(backupDir, `${session.id}.json`))).toEqual(want.backup);
    }
    expect(backups.has(`${session.id}.1.json`), 'a second backup means a file was rewritten twice').toBe(
      false,
    );
    if (bytes.equals(session.bytes)) {
      unmigrated.add(`sessions/${session.id}.json`);
      continue;
    }
    expect(backups.has(`${session.id}.json`), 'rewritten before its backup').toBe(true);
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.value.signer).toBe('keyring');
    const { signature: _signature, ...unsigned } = loaded.value.session;
    const content = canonicalJson(unsigned);
    expect(content.ok && content.value, 'migrated content').toBe(want.content);
    const before = migratedBytes.get(session.id);
    if (before !== undefined) expect(bytes.equals(before), 'a migrated file was migrated again').toBe(true);
    migratedBytes.set(session.id, bytes);
  }
  // A secret is only where JidoCode wrote it: in an original not migrated yet. Never in a backup,
  // a migrated file, a temp file, the index or a journal.
  const found = await findInFiles(generated.home, allValues);
  expect(found.filter((hit) => !unmigrated.has(hit.file))).toEqual([]);
  return { backups: backups.size, migrated: generated.sessions.length - unmigrated.size };
}

describe('jido sessions migrate (session layer, with redaction), SIGKILLed and re-run', () => {
  it(`survives ${killsWanted} kills at random points (seed ${seed})`, {
    timeout: 30 * 60 * 1000,
  }, async () => {
    const bundle = await bundleForOtherUser(join(import.meta.dirname, 'workers/migrate-home.ts'));
    cleanups.push(bundle.cleanup);
    const random = mulberry32(2121);
    let kills = 0;
    let completed = 0;
    let redactedBackups = 0;
    /** Kills that left a migration half done: some backup made, not every file rewritten. */
    let killsMidway = 0;
    let maxDelay = 600;
    while (kills < killsWanted) {
      const home = await temporaryFolder('.jido_code', 'jido-session-migrate-crash-');
      const generated = await writeJidoCodeHome({
        home,
        hostname,
        seed: 200 + completed,
        sessions: Array.from({ length: 8 }, (_, index) => ({
          signing: (['signed', 'unsigned', 'null-signature'] as const)[index % 3] ?? 'signed',
          messageCount: corpus.length + index,
          ...(index % 2 === 0 ? { messageTexts: corpus.map((sample) => sample.text) } : {}),
        })),
      });
      execFileSync('chmod', ['-R', 'go-rwx', generated.home]);
      const expected = await expectations(generated);
      expect([...expected.values()].some((want) => want.redactedBackup)).toBe(true);
      expect([...expected.values()].some((want) => !want.redactedBackup)).toBe(true);
      const migrated = new Map<string, Buffer>();
      for (let attempt = 0; ; attempt++) {
        const worker = startMigration(bundle.script, generated.home);
        await worker.line(/^ready$/);
        const started = Date.now();
        const delay = Math.floor(random() * maxDelay);
        const outcome = await worker.goThenKill(attempt >= 12 ? undefined : delay);
        const state = await checkHome(generated, expected, migrated);
        if (outcome.signal === 'SIGKILL') {
          kills += 1;
          if (state.backups > 0 && state.migrated < generated.sessions.length) killsMidway += 1;
          continue;
        }
        expect(outcome.code, outcome.stderr).toBe(0);
        // Keep the random delays within one whole migration, so kills land inside it.
        maxDelay = Math.max(50, Math.round((Date.now() - started) * 1.1));
        const report = JSON.parse(worker.lines.filter(Boolean).at(-1) ?? '[]') as [
          string,
          string,
          string | null,
          string | null,
        ][];
        expect(report.every(([, result]) => result === 'migrated' || result === 'current')).toBe(true);
        expect(migrated.size).toBe(generated.sessions.length);
        // Done: no secret value anywhere under the home.
        expect(await findInFiles(generated.home, allValues)).toEqual([]);
        redactedBackups += [...expected.values()].filter((want) => want.redactedBackup).length;
        completed += 1;
        break;
      }
    }
    console.info(
      `FIGURE ${JSON.stringify({ test: 'session-migrate-crash', kills, killsMidway, completed, redactedBackups, seed })}`,
    );
    expect(kills).toBeGreaterThanOrEqual(killsWanted);
    expect(completed).toBeGreaterThan(0);
    expect(killsMidway, 'no kill landed inside a migration').toBeGreaterThan(0);
  });
});
