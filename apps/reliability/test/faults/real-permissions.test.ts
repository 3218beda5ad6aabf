/**
 * Permission faults for real, not injected: as root, a child process runs as uid/gid 65534 on a
 * home it owns but where one folder or file is not writable/readable for it, and must answer with
 * a typed `permission_denied` (never a crash), leaving the previous file byte-identical and no temp
 * file. The child runs a bundle of the worker from a world-readable temporary folder, so a checkout
 * in a private (0700) folder does not stop it. As a non-root user no child can drop privileges: the
 * child cases report themselves skipped with that reason, and the same cases run in-process
 * (chmod alone denies access then). As root, a child that cannot start fails the test.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session } from '@jido-code/core-schema';
import { type BundledScript, bundleForOtherUser, SessionFactory } from '@jido-code/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makePrivateHome, openSuiteStore, removePrivateHome } from '../support/private-home.js';
import { listTempFiles } from '../support/temp-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '..', 'support', 'unprivileged-worker.ts');
const unprivileged = 65534;
const asRoot = process.getuid?.() === 0;
const factory = new SessionFactory({ seed: 65_534 });

let bundle: BundledScript | undefined;
let home: string;
let session: Session;
let sessionFile: string;

beforeAll(async () => {
  if (asRoot) bundle = await bundleForOtherUser(worker);
});
afterAll(() => bundle?.cleanup());

beforeEach(async () => {
  home = makePrivateHome('jido-rel-perm-');
  const store = await openSuiteStore(home);
  session = factory.session({ name: 'Permission' }) as Session;
  expect((await store.save(session)).ok).toBe(true);
  sessionFile = join(store.backend.sessionsDir, `${session.id}.json`);
  if (asRoot) chownTree(home, unprivileged);
});
afterEach(() => removePrivateHome(home));

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

/** Why the unprivileged child cannot run here, or undefined when it can. */
function childBlocker(script: string): string | undefined {
  for (const path of [script, home]) {
    const probe = spawnSync('test', ['-r', path, '-a', '-x', dirname(path)], {
      uid: unprivileged,
      gid: unprivileged,
    });
    if (probe.error) return `cannot start a process as uid ${unprivileged}: ${probe.error.message}`;
    if (probe.status !== 0) return `uid ${unprivileged} cannot read ${path} or traverse its folder`;
  }
  return undefined;
}

type Mode = 'child' | 'in-process';
const modes: readonly { mode: Mode; title: string; skipReason: string | undefined }[] = [
  {
    mode: 'child',
    title: `as a child process with uid ${unprivileged}`,
    skipReason: asRoot
      ? undefined
      : 'not root: no child can drop privileges; the in-process cases run instead',
  },
  {
    mode: 'in-process',
    title: 'in-process, non-root (chmod denies access)',
    skipReason: asRoot ? 'root ignores mode bits; the uid 65534 child cases run instead' : undefined,
  },
];

async function attempt(
  mode: Mode,
  action: 'save' | 'load' | 'consume',
  argument: string,
): Promise<{ ok: boolean; code?: string; message?: string }> {
  if (mode === 'in-process') {
    const store = await openSuiteStore(home);
    if (action === 'save') {
      const saved = await store.save(JSON.parse(argument) as Session);
      return saved.ok ? { ok: true } : { ok: false, code: saved.error.code, message: saved.error.message };
    }
    const loaded = await store.load(argument);
    return loaded.ok ? { ok: true } : { ok: false, code: loaded.error.code, message: loaded.error.message };
  }
  if (bundle === undefined) throw new Error('the worker bundle was not built');
  const blocker = childBlocker(bundle.script);
  if (blocker) throw new Error(`real permission case cannot run: ${blocker}`);
  const child = spawnSync(process.execPath, [bundle.script, home, action, argument], {
    cwd: bundle.dir,
    uid: unprivileged,
    gid: unprivileged,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: '/tmp' },
  });
  expect(child.status, `child exited ${child.status}: ${child.stderr.slice(0, 500)}`).toBe(0);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  const outcome = JSON.parse(line) as { ok: boolean; code?: string; message?: string; uid?: number };
  expect(outcome.uid).toBe(unprivileged);
  return outcome;
}

const results: Record<string, string> = {};

for (const { mode, title, skipReason } of modes) {
  describe(title, () => {
    it('a save into a sessions folder the process may not write: permission_denied, old file intact', {
      timeout: 90_000,
    }, async ({ skip }) => {
      skip(skipReason !== undefined, skipReason);
      const before = readFileSync(sessionFile);
      chmodSync(dirname(sessionFile), 0o500);
      const outcome = await attempt(mode, 'save', JSON.stringify({ ...session, name: 'Denied' }));
      results['save, sessions/ 0500'] = outcome.ok ? 'ok' : (outcome.code ?? '?');
      expect(outcome.ok ? 'ok' : outcome.code).toBe('permission_denied');
      expect(outcome.message).not.toContain(home);
      expect(readFileSync(sessionFile).equals(before)).toBe(true);
      chmodSync(dirname(sessionFile), 0o700);
      expect(listTempFiles(home)).toEqual([]);
    });

    it('a load of a session file the process may not read: permission_denied', {
      timeout: 90_000,
    }, async ({ skip }) => {
      skip(skipReason !== undefined, skipReason);
      chmodSync(sessionFile, 0o000);
      if (mode === 'in-process') expect(() => accessSync(sessionFile, constants.R_OK)).toThrow();
      const outcome = await attempt(mode, 'load', session.id);
      results['load, file 0000'] = outcome.ok ? 'ok' : (outcome.code ?? '?');
      expect(outcome.ok ? 'ok' : outcome.code).toBe('permission_denied');
    });

    it('a new keyring in a keys folder the process may not write: permission_denied, nothing written', {
      timeout: 90_000,
    }, async ({ skip }) => {
      skip(skipReason !== undefined, skipReason);
      const keys = join(home, 'keys');
      for (const name of readdirSync(keys)) rmSync(join(keys, name), { force: true });
      chmodSync(keys, 0o500);
      const outcome = await attempt(mode, 'save', JSON.stringify({ ...session, name: 'No key' }));
      results['save needing a new keyring, keys/ 0500'] = outcome.ok ? 'ok' : (outcome.code ?? '?');
      expect(outcome.ok ? 'ok' : outcome.code).toBe('permission_denied');
      chmodSync(keys, 0o700);
      expect(readdirSync(keys)).toEqual([]);
    });
  });
}

it('reports how the permission cases ran', () => {
  expect(Object.keys(results)).toHaveLength(3);
  reportFigure('real permission cases', {
    mode: asRoot ? `child process as uid ${unprivileged}` : 'in-process, non-root',
    results,
  });
});
