#!/usr/bin/env node
// Proves the privilege-dropping tests pass from a checkout nobody else may read: copies the
// working tree (tracked and untracked, not ignored: what a clone of it would hold) into a fresh
// 0700 temporary folder, installs from the warm pnpm store, and runs there, as root, the tests
// whose child drops to uid 65534. Each must pass (a skip or a failure is a problem).
// Usage: node scripts/check-private-clone.mjs   (exit 1 on a problem; as non-root it says why it
// cannot run and exits 0, since only root can start a child with another uid)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const checks = [
  {
    filter: '@jido-code/storage',
    dir: 'packages/storage',
    args: ['test/cross-process.test.ts', '-t', 'non-root child'],
    titles: ['a real permission-denied listing (non-root child) is an error, not an empty list'],
  },
  {
    filter: '@jido-code/reliability',
    dir: 'apps/reliability',
    args: ['test/faults/real-permissions.test.ts', '-t', 'uid 65534'],
    titles: [
      'a save into a sessions folder the process may not write: permission_denied, old file intact',
      'a load of a session file the process may not read: permission_denied',
      'a new keyring in a keys folder the process may not write: permission_denied, nothing written',
    ],
  },
];

if (process.getuid?.() !== 0) {
  console.log('private clone: skipped (not root: no child can drop to uid 65534 here)');
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'jido-private-clone-'));
chmodSync(scratch, 0o700);
const clone = join(scratch, 'repo');
const problems = [];
const pnpm = (args, cwd) =>
  spawnSync('pnpm', args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
try {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(from, join(clone, file));
    chmodSync(join(clone, file), lstatSync(from).mode & 0o777);
  }
  let install = pnpm(['install', '--frozen-lockfile', '--offline'], clone);
  if (install.status !== 0) install = pnpm(['install', '--frozen-lockfile', '--prefer-offline'], clone);
  if (install.status !== 0) throw new Error(`pnpm install failed:\n${install.stderr || install.stdout}`);
  for (const check of checks) {
    const run = pnpm(['--filter', check.filter, 'exec', 'vitest', 'run', ...check.args], clone);
    const report = join(clone, check.dir, 'test-results.json');
    if (!existsSync(report)) {
      problems.push(`${check.filter}: no test report\n${run.stdout}${run.stderr}`);
      continue;
    }
    const results = JSON.parse(readFileSync(report, 'utf8')).testResults.flatMap(
      (file) => file.assertionResults,
    );
    for (const title of check.titles) {
      const found = results.find((result) => result.title === title);
      if (found?.status !== 'passed') {
        problems.push(`${check.filter}: "${title}" ${found?.status ?? 'did not run'}`);
        const messages = found?.failureMessages ?? [];
        if (messages.length > 0) problems.push(messages.join('\n').slice(0, 2_000));
      }
    }
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.log(`private clone: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(
  `private clone: ok (${checks.flatMap((check) => check.titles).length} privilege-dropping tests passed in a 0700 folder)`,
);
