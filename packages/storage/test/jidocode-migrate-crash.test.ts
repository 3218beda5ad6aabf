/**
 * Issue #15: `migrate` SIGKILLed at random points and run again loses nothing and migrates nothing
 * twice; every backup is byte-identical to its original. Each round generates a JidoCode home,
 * then starts the migration in a real child process and SIGKILLs it after a random delay, again
 * and again, until a run completes; the home is checked after every kill.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, withoutSignature } from '@jido-code/core-schema';
import {
  bundleForOtherUser,
  type JidoCodeHome,
  mulberry32,
  WorkerProcess,
  writeJidoCodeHome,
} from '@jido-code/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore } from '../src/index.js';
import { temporaryDirectory } from './fixtures.js';
import { packageDir } from './run-worker.js';

/** The bundled worker (plain node, no TypeScript loader: a start costs little, so kills are many). */
function startMigration(script: string, home: string): WorkerProcess {
  return new WorkerProcess(script, [home, hostname], { cwd: import.meta.dirname, command: [script] });
}

const hostname = 'mix-release-host';
const longForm = process.env.JIDO_STRESS === 'long';
const killsWanted = longForm ? 500 : 50;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function openStore(home: string): Promise<SessionStore> {
  const opened = await SessionStore.open({ home, env: {}, hostname });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

/** The content each session must have once migrated: as loaded from the original, oldest-first. */
async function expectedContent(generated: JidoCodeHome): Promise<Map<string, string>> {
  const store = await openStore(generated.home);
  const expected = new Map<string, string>();
  for (const session of generated.sessions) {
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    const content = canonicalJson(withoutSignature(loaded.value.session));
    if (!content.ok) throw content.error;
    expected.set(session.id, content.value);
  }
  return expected;
}

/** Checks the invariants; returns the ids already migrated with their bytes. */
async function checkHome(
  generated: JidoCodeHome,
  expected: Map<string, string>,
  migratedBytes: Map<string, Buffer>,
): Promise<void> {
  const backupDir = join(generated.home, 'backup', 'jidocode');
  const backups = new Set(await readdir(backupDir).catch(() => [] as string[]));
  const store = await openStore(generated.home);
  for (const session of generated.sessions) {
    const bytes = await readFile(generated.sessionFile(session.id));
    if (backups.has(`${session.id}.json`)) {
      expect(await readFile(join(backupDir, `${session.id}.json`))).toEqual(session.bytes);
    }
    expect(backups.has(`${session.id}.1.json`), 'a second backup means a file was rewritten twice').toBe(
      false,
    );
    if (bytes.equals(session.bytes)) continue;
    expect(backups.has(`${session.id}.json`), 'rewritten before its backup').toBe(true);
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.value.signer).toBe('keyring');
    const content = canonicalJson(withoutSignature(loaded.value.session));
    expect(content.ok && content.value).toBe(expected.get(session.id));
    const before = migratedBytes.get(session.id);
    if (before !== undefined) expect(bytes.equals(before), 'a migrated file was migrated again').toBe(true);
    migratedBytes.set(session.id, bytes);
  }
}

describe('jido sessions migrate, SIGKILLed and re-run', () => {
  it(`survives ${killsWanted} kills at random points`, { timeout: 30 * 60 * 1000 }, async () => {
    const bundle = await bundleForOtherUser(join(packageDir, 'test/workers/migrate.ts'));
    cleanups.push(bundle.cleanup);
    const random = mulberry32(1515);
    let kills = 0;
    let completed = 0;
    let maxDelay = 300;
    while (kills < killsWanted) {
      const folder = await temporaryDirectory();
      cleanups.push(folder.cleanup);
      const generated = await writeJidoCodeHome({
        home: join(folder.path, '.jido_code'),
        hostname,
        seed: 100 + completed,
        sessions: Array.from({ length: 8 }, (_, index) => ({
          signing: index % 4 === 3 ? ('unsigned' as const) : ('signed' as const),
          messageCount: 2 + index,
        })),
      });
      execFileSync('chmod', ['-R', 'go-rwx', generated.home]);
      const expected = await expectedContent(generated);
      const migrated = new Map<string, Buffer>();
      for (let attempt = 0; ; attempt++) {
        const worker = startMigration(bundle.script, generated.home);
        await worker.line(/^ready$/);
        const started = Date.now();
        const delay = Math.floor(random() * maxDelay);
        const outcome = await worker.goThenKill(attempt >= 12 ? undefined : delay);
        await checkHome(generated, expected, migrated);
        if (outcome.signal === 'SIGKILL') {
          kills += 1;
          continue;
        }
        expect(outcome.code, outcome.stderr).toBe(0);
        // Keep the random delays within one whole migration, so kills land inside it.
        maxDelay = Math.max(50, Math.round((Date.now() - started) * 1.1));
        const report = JSON.parse(worker.lines.filter(Boolean).at(-1) ?? '[]') as [
          string,
          string,
          string | null,
        ][];
        expect(report.every(([, result]) => result === 'migrated' || result === 'current')).toBe(true);
        expect(migrated.size).toBe(generated.sessions.length);
        completed += 1;
        break;
      }
    }
    expect(kills).toBeGreaterThanOrEqual(killsWanted);
    expect(completed).toBeGreaterThan(0);
  });
});
