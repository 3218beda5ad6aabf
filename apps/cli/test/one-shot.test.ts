import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliRoot, jido, projectFolder, seed, storedSessions, storedVerification } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

/** Three saved sessions, closed a day apart (2025, so older than the 30-day default). */
function threeSessions(): Session[] {
  const factory = new SessionFactory({ seed: 7, stepMs: 60_000 });
  return [
    factory.session({ name: 'alpha', messageCount: 5, todoCount: 2 }),
    factory.session({ name: 'beta', messageCount: 2, todoCount: 0 }),
    factory.session({ name: 'gamma', messageCount: 3, todoCount: 1 }),
  ];
}

function oneLineError(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^jido: /);
}

describe('global flags and exit codes', () => {
  it('prints the version and help with exit 0', async () => {
    const [version, help, showHelp] = await Promise.all([
      jido(['--version'], { home }),
      jido(['--help'], { home }),
      jido(['sessions', 'show', '--help'], { home }),
    ]);
    const manifest = JSON.parse(await readFile(join(cliRoot, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jido [options] [command]');
    expect(help.stdout).toContain('Exit status: 0 success');
    for (const command of ['sessions', 'resume', 'keys']) expect(help.stdout).toContain(command);
    expect(showHelp.stdout).toContain('--offset <n>');
    expect(showHelp.stdout).toContain('--home <dir>'); // global options shown on every command
    expect(showHelp.code).toBe(0);
  });

  it('loads no storage, schema or prompt library for --version', async () => {
    // A loader hook that reports every module file loaded, on stderr.
    const hook = `export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('LOAD ' + url + '\\n'); return next(url, context); }`;
    const tracer = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const nodeOptions = ['--import', `data:text/javascript,${encodeURIComponent(tracer)}`];
    const run = await jido(['--version'], { home, nodeOptions, fromSource: true });
    expect(run.code).toBe(0);
    const loaded = run.stderr.split('\n').filter((line) => line.startsWith('LOAD '));
    expect(loaded.some((line) => line.includes('/apps/cli/src/version.ts'))).toBe(true);
    // bin.ts answers --version itself: not even the command line parser loads.
    for (const heavy of [
      '/apps/cli/src/main.ts',
      'commander',
      '/packages/',
      '/zod',
      '@clack',
      '/test-support/',
    ]) {
      expect(loaded.filter((line) => line.includes(heavy))).toEqual([]);
    }
  });

  it('exits 2 with a one-line hint on usage errors', async () => {
    const runs = await Promise.all([
      jido(['sesions'], { home }),
      jido(['sessions', 'lst'], { home }),
      jido(['sessions', 'list', '--bogus'], { home }),
      jido(['sessions', 'show'], { home }),
      jido(['sessions', 'show', '1', '--limit', 'abc'], { home }),
      jido(['sessions', 'export', '1', '--format', 'pdf'], { home }),
      jido(['resume', '1', '--last'], { home }),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      oneLineError(run.stderr);
      expect(run.stderr).toMatch(/Run 'jido( [a-z]+)* --help'/);
      expect(run.stdout).toBe('');
    }
    expect(runs[0]?.stderr).toContain("Did you mean 'sessions'?");
    expect(runs[1]?.stderr).toContain("Unknown command 'lst'. Did you mean 'list'? Run");
    expect(runs[2]?.stderr).toContain("Run 'jido sessions list --help'");
  });

  it('exits 1 with one sanitized line when the operation fails, and shows details with --verbose', async () => {
    await seed(home, threeSessions());
    const [missing, verbose, outOfRange] = await Promise.all([
      jido(['sessions', 'show', 'nosuch'], { home }),
      jido(['sessions', 'show', 'nosuch', '--verbose'], { home }),
      jido(['sessions', 'delete', '9'], { home }),
    ]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('jido: No session matches "nosuch".\n');
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split('\n')[0]).toBe('jido: No session matches "nosuch".');
    expect(verbose.stderr).toContain('debug: code=not_found');
    expect(outOfRange).toMatchObject({ code: 1, stderr: 'jido: There is no such session: choose 1 to 3.\n' });
  });

  it('refuses a home open to others, naming only the exact fix (issue #15)', async () => {
    await chmod(home, 0o777);
    const run = await jido(['sessions', 'list'], { home });
    await chmod(home, 0o700);
    expect(run.code).toBe(1);
    oneLineError(run.stderr);
    expect(run.stderr).toContain(`Fix it with: chmod -R go-rwx ${home} (or run: jido doctor --fix).`);
    expect(run.stderr.replaceAll(`chmod -R go-rwx ${home}`, '')).not.toContain(home);
  });

  it('takes --home over $JIDO_CODE_HOME, before or after the command', async () => {
    await seed(home, threeSessions());
    const other = await PersistenceTestCase.create();
    try {
      const [after, before, fromEnv] = await Promise.all([
        jido(['sessions', 'list', '--json', '--home', home], { home: other.home }),
        jido(['--home', home, '--json', 'sessions', 'list'], { home: other.home }),
        jido(['sessions', 'list', '--json'], { home: other.home }),
      ]);
      expect(JSON.parse(after.stdout).sessions).toHaveLength(3);
      expect(JSON.parse(before.stdout).sessions).toHaveLength(3);
      expect(JSON.parse(fromEnv.stdout)).toEqual({ sessions: [], problems: [] });
    } finally {
      await other.cleanup();
    }
  });
});

describe('sessions list and show', () => {
  it('finds a session open elsewhere by an id prefix made of digits (not taken for a position)', async () => {
    const factory = new SessionFactory({ seed: 91 });
    const held = factory.session({ id: '20571934-eeee-4eee-8eee-000000000005', name: 'held' });
    await seed(home, [factory.session({ name: 'free' }), held]);
    const opened = await SessionStore.open({ home, env: {} });
    if (!opened.ok) throw opened.error;
    // This test process holds the lease: the session is open in another live process.
    const lease = await opened.value.acquireLease(held.id);
    if (!lease.ok) throw lease.error;
    try {
      const shown = await jido(['sessions', 'show', '20571934'], { home });
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('held');
      expect(shown.stdout).toContain('open in another jido process');
      const position = await jido(['sessions', 'show', '2'], { home });
      expect(position.code).toBe(1);
      expect(position.stderr).toContain('choose 1 to 1');
    } finally {
      await lease.value.release();
    }
  });

  it('lists as a table and as stable snake_case JSON, most recently closed first', async () => {
    const sessions = threeSessions();
    await seed(home, sessions);
    const [table, json] = await Promise.all([
      jido(['sessions', 'list'], { home }),
      jido(['sessions', 'list', '--json'], { home }),
    ]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+#\s+Name\s+Project\s+Messages\s+Closed$/);
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/)[1])).toEqual(['gamma', 'beta', 'alpha']);
    const listed = JSON.parse(json.stdout) as { sessions: Record<string, unknown>[]; problems: unknown[] };
    expect(listed.problems).toEqual([]);
    const entries = listed.sessions;
    expect(entries.map((entry) => entry.name)).toEqual(['gamma', 'beta', 'alpha']);
    const gamma = sessions[2] as Session;
    expect(entries[0]).toEqual({
      index: 1,
      id: gamma.id,
      name: 'gamma',
      project_path: gamma.project_path,
      created_at: gamma.created_at,
      updated_at: gamma.updated_at,
      closed_at: gamma.closed_at,
      last_resumed_at: null,
      message_count: 3,
      todo_count: 1,
      recovered_at: null,
      signed: true,
      signed_by: 'keyring',
      recovered: false,
      size_bytes: expect.any(Number),
      parent_id: null,
      pinned: false,
      cumulative_usage: null,
    });
  });

  it('shows one session by index, id prefix and name, with paged messages', async () => {
    const sessions = threeSessions();
    await seed(home, sessions);
    const alpha = sessions[0] as Session;
    const [byIndex, page, tail, text] = await Promise.all([
      jido(['sessions', 'show', '3', '--json'], { home }),
      jido(['sessions', 'show', alpha.id.slice(0, 8), '--json', '--offset', '1', '--limit', '2'], { home }),
      jido(['sessions', 'show', 'alpha', '--json', '--offset', '-2'], { home }),
      jido(['sessions', 'show', 'alpha', '--limit', '2'], { home }),
    ]);
    const shown = JSON.parse(byIndex.stdout) as Record<string, unknown>;
    expect(shown.id).toBe(alpha.id);
    expect(shown).not.toHaveProperty('signature');
    expect(shown.page).toEqual({ offset: 0, limit: 50, total: 5 });
    expect(shown.conversation).toEqual(alpha.conversation);
    expect(shown.todos).toEqual(alpha.todos);
    const paged = JSON.parse(page.stdout) as { id: string; conversation: unknown[]; page: unknown };
    expect(paged.id).toBe(alpha.id); // by id prefix
    expect(paged.page).toEqual({ offset: 1, limit: 2, total: 5 });
    expect(paged.conversation).toEqual(alpha.conversation.slice(1, 3));
    const last = JSON.parse(tail.stdout) as { id: string; conversation: unknown[]; page: unknown };
    expect(last.id).toBe(alpha.id); // by name
    expect(last.conversation).toEqual(alpha.conversation.slice(3));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('alpha');
    expect(text.stdout).toContain('Todos (2):');
    expect(text.stdout).toContain('Messages 1-2 of 5:');
    expect(text.stdout).toContain('3 more messages: use --offset 2.');
    expect(text.stdout).not.toContain('\u001b['); // no colour on a pipe
  });
});

describe('sessions delete, clear and cleanup', () => {
  it('deletes one session by name', async () => {
    await seed(home, threeSessions());
    const deleted = await jido(['sessions', 'delete', 'beta'], { home });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/^Moved saved session "beta" \([0-9a-f]{8}\) to the trash; /);
    const list = (await storedSessions(home)) as {
      name: string;
    }[];
    expect(list.map((entry) => entry.name)).toEqual(['gamma', 'alpha']);
  });

  it('clear refuses on a pipe without --yes (exit 1) and deletes everything with it', async () => {
    await seed(home, threeSessions());
    const refused = await jido(['sessions', 'clear'], { home });
    expect(refused.code).toBe(1);
    oneLineError(refused.stderr);
    expect(refused.stderr).toContain('--yes');
    expect(await storedSessions(home)).toHaveLength(3);
    const cleared = await jido(['sessions', 'clear', '--yes', '--json'], { home });
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ skipped: [], failed: [] });
    expect((JSON.parse(cleared.stdout) as { deleted: string[] }).deleted).toHaveLength(3);
    expect((await jido(['sessions', 'list'], { home })).stdout).toBe('No sessions.\n');
  });

  it('cleanup --dry-run prints what it would delete and deletes nothing', async () => {
    const sessions = threeSessions();
    await seed(home, sessions);
    const dryRun = await jido(
      ['sessions', 'cleanup', '--dry-run', '--max-age', '36500', '--max-count', '1'],
      {
        home,
      },
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('Would move to the trash 2 sessions:');
    expect(dryRun.stdout).toMatch(/beta/);
    expect(dryRun.stdout).toMatch(/alpha/);
    expect(dryRun.stdout).not.toMatch(/gamma/);
    expect(dryRun.stdout).toContain('Nothing was removed (dry run).');
    expect(await storedSessions(home)).toHaveLength(3);
    const unconfirmed = await jido(['sessions', 'cleanup'], { home });
    expect(unconfirmed.code).toBe(1); // every session would go: not on a pipe without --yes
    expect(await storedSessions(home)).toHaveLength(3);
    const byAge = await jido(['sessions', 'cleanup', '--yes', '--json'], { home });
    expect(byAge.code).toBe(0);
    const report = JSON.parse(byAge.stdout) as { dry_run: boolean; deleted: string[] };
    expect(report.dry_run).toBe(false);
    expect(report.deleted.sort()).toEqual(sessions.map((session) => session.id).sort());
    expect(await storedSessions(home)).toEqual([]);
  });
});

describe('sessions verify and keys rotate', () => {
  it('finds a tampered file and exits 1; a key rotation keeps old files valid', async () => {
    const sessions = threeSessions();
    await seed(home, sessions);
    const clean = await jido(['sessions', 'verify'], { home });
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toBe('Checked 3 files: 3 valid, 0 unsigned, 0 failed.\n');

    const rotated = await jido(['keys', 'rotate', '--json'], { home });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({
      key_id: expect.stringMatching(/^[0-9a-f]{8}$/),
      keys: 2,
    });
    expect((await jido(['sessions', 'verify'], { home })).code).toBe(0);

    const beta = sessions[1] as Session;
    const path = join(home, 'sessions', `${beta.id}.json`);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"name":"beta"', '"name":"BETA"'));
    const [tampered, json] = await Promise.all([
      jido(['sessions', 'verify'], { home }),
      jido(['sessions', 'verify', '--json'], { home }),
    ]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`FAIL  ${beta.id.slice(0, 8)}  signature_invalid:`);
    expect(tampered.stdout).toContain('Checked 3 files: 2 valid, 0 unsigned, 1 failed.');
    expect(tampered.stdout).not.toContain(home);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      checked: 3,
      failed: [{ id: beta.id, code: 'signature_invalid' }],
    });
    // The tampered file is refused everywhere, with exit 1.
    const show = await jido(['sessions', 'show', beta.id], { home });
    expect(show.code).toBe(1);
  });
});

describe('sessions export and import', () => {
  it('exports md and json, and imports the json back under a new id', async () => {
    const sessions = threeSessions();
    await seed(home, sessions);
    const alpha = sessions[0] as Session;
    // A fresh folder: an export never overwrites an existing file (without --force).
    const out = join(await projectFolder('exports'), `export-${alpha.id}.json`);
    const [markdown, json, toFile] = await Promise.all([
      jido(['sessions', 'export', 'alpha', '--format', 'md'], { home }),
      jido(['sessions', 'export', 'alpha'], { home }),
      jido(['sessions', 'export', 'alpha', '--format', 'json', '--output', out], { home }),
    ]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout.startsWith('# alpha\n')).toBe(true);
    expect(markdown.stdout).toContain(`- Id: \`${alpha.id}\``);
    expect(markdown.stdout).toContain('## Todos');
    expect(markdown.stdout).toContain('- [ ] Todo 1');
    expect(markdown.stdout).toContain(`### User · ${alpha.conversation[0]?.timestamp}`);
    expect(markdown.stdout).toContain('### Assistant ·');
    const exported = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(exported).not.toHaveProperty('signature');
    const { signature: _signature, ...plain } = alpha;
    expect(exported).toEqual(plain);
    expect(toFile.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(exported);
    expect((await stat(out)).mode & 0o777).toBe(0o600);

    const again = await jido(['sessions', 'import', out], { home });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('jido: A session with that id already exists.\n');

    const imported = await jido(['sessions', 'import', out, '--new-id', '--json'], { home });
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as { id: string; imported_from: string };
    expect(report.imported_from).toBe(alpha.id);
    expect(report.id).not.toBe(alpha.id);
    const shown = JSON.parse(
      (await jido(['sessions', 'show', report.id, '--json'], { home })).stdout,
    ) as Record<string, unknown>;
    expect(shown.conversation).toEqual(alpha.conversation);
    expect(shown.signed).toBe(true);
    expect((await storedVerification(home)).valid).toHaveLength(4);
  });

  it('imports a hand-written session and refuses bad files with exit 1', async () => {
    const factory = new SessionFactory({ seed: 99 });
    const { signature: _signature, ...handWritten } = factory.session({ name: 'by hand' });
    const dir = join(testCase.home, '..');
    const good = join(dir, `good-${handWritten.id}.json`);
    const bad = join(dir, `bad-${handWritten.id}.json`);
    const broken = join(dir, `broken-${handWritten.id}.json`);
    await writeFile(good, JSON.stringify(handWritten));
    await writeFile(bad, JSON.stringify({ ...handWritten, conversation: [{ role: 'robot' }] }));
    await writeFile(broken, '{ not json');
    const [ok, schema, json, missing] = await Promise.all([
      jido(['sessions', 'import', good], { home }),
      jido(['sessions', 'import', bad], { home }),
      jido(['sessions', 'import', broken], { home }),
      jido(['sessions', 'import', join(dir, 'nope.json')], { home }),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`Imported "by hand" as ${handWritten.id}.\n`);
    expect(schema.code).toBe(1);
    expect(schema.stderr).toMatch(
      /^jido: A session file has an unexpected shape.*First bad field: conversation\.0/,
    );
    expect(json).toMatchObject({
      code: 1,
      stderr: 'jido: A session file is damaged (not valid JSON) and was not loaded.\n',
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('(ENOENT)');
  });
});
