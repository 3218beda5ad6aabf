/**
 * The problems a new user hit (issue #18), each replayed through the real binary on a pipe. The
 * test names carry the item number of the issue.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { finished, jido, projectFolder, seed, spawnJido, storedSessions, waitForOutput } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

function sessions(count: number, seedValue = 11): Session[] {
  const factory = new SessionFactory({ seed: seedValue, stepMs: 60_000 });
  return Array.from({ length: count }, (_, index) =>
    factory.session({ name: `s${index + 1}`, messageCount: 2 }),
  );
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter(Boolean);
}

describe('item 1: deleting everything asks first, or needs --yes', () => {
  it('/resume clear on a pipe refuses without --yes, deletes with it', async () => {
    await seed(home, sessions(3));
    const refused = await jido([], { home, input: '/resume clear\n' });
    expect(refused.code).toBe(1);
    expect(errorLines(refused.stderr)).toEqual([
      "jido: Refusing to move every saved session to the trash without confirmation. Run '/resume clear --yes'.",
    ]);
    expect(await storedSessions(home)).toHaveLength(3);
    const cleared = await jido([], { home, input: '/resume clear --yes\n' });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toBe('Moved 3 saved sessions to the trash.\n');
    expect(await storedSessions(home)).toEqual([]);
  });

  it('sessions cleanup that would remove all, or more than half, needs --yes on a pipe', async () => {
    await seed(home, sessions(4));
    const [all, most, half] = await Promise.all([
      jido(['sessions', 'cleanup', '--max-age', '36500', '--max-count', '0'], { home }),
      jido(['sessions', 'cleanup', '--max-age', '36500', '--max-count', '1'], { home }),
      jido(['sessions', 'cleanup', '--max-age', '36500', '--max-count', '2', '--dry-run'], { home }),
    ]);
    expect(all.code).toBe(1);
    expect(errorLines(all.stderr)).toEqual([
      'jido: Refusing to move 4 saved sessions of 4 to the trash without confirmation. Run it again with --yes, or use --dry-run to see which.',
    ]);
    expect(most.code).toBe(1);
    expect(most.stderr).toContain('Refusing to move 3 saved sessions of 4 to the trash');
    expect(half.code).toBe(0);
    expect(await storedSessions(home)).toHaveLength(4);
    const halfForReal = await jido(['sessions', 'cleanup', '--max-age', '36500', '--max-count', '2'], {
      home,
    });
    expect(halfForReal.code, halfForReal.stderr).toBe(0); // exactly half: no confirmation needed
    expect(await storedSessions(home)).toHaveLength(2);
    const confirmed = await jido(['sessions', 'cleanup', '--max-age', '36500', '--max-count', '0', '-y'], {
      home,
    });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(await storedSessions(home)).toEqual([]);
  });
});

describe('item 2 and 17: errors name what is wrong', () => {
  it('todo numbers, long todos, long names and --name= over the limit each get their own message', async () => {
    const folder = await projectFolder();
    const script = [
      `/session new ${folder} --name=${'n'.repeat(51)}`,
      `/session new ${folder} --name=api`,
      '/todo done 1',
      '/todo add first',
      '/todo done 99',
      `/todo add ${'x'.repeat(5000)}`,
      `/session rename ${'r'.repeat(300)}`,
    ].join('\n');
    const run = await jido([], { home, input: `${script}\n` });
    expect(errorLines(run.stderr)).toEqual([
      'jido: A session name is at most 50 characters (this one has 51).',
      'jido: There are no todos yet. Add one with /todo add <text>.',
      'jido: There is no such todo: choose 1 to 1.',
      'jido: A todo is at most 4,096 characters (this one has 5,000).',
      'jido: A session name is at most 50 characters (this one has 300).',
    ]);
    const saved = await storedSessions(home);
    expect(saved.map((session) => session.name)).toEqual(['api']);
  });

  it('an invalid JIDO_ setting names the variable and its rule', async () => {
    const run = await jido(['sessions', 'list'], { home, env: { JIDO_MAX_SESSIONS: '-3' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('jido: JIDO_MAX_SESSIONS must be a whole number from 1 to 1000000.\n');
  });
});

describe('item 5: a home that cannot be created is named', () => {
  it('says which path and why, not "Session not found"', async () => {
    const file = join(home, 'a-file');
    await writeFile(file, 'not a folder');
    const run = await jido(['--home', join(file, 'home'), 'sessions', 'list'], { home });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `jido: Could not create the jido home ${join(file, 'home')}: a part of the path is a file, not a folder.\n`,
    );
  });
});

describe('item 6: Markdown export is terminal-safe', () => {
  it('replaces ESC, NUL and bidi overrides in names, todos and messages, on stdout and in a file', async () => {
    const factory = new SessionFactory({ seed: 3 });
    const hostile = factory.session({ name: 'evil\u001b[2Jname', messageCount: 1, todoCount: 1 });
    const message = hostile.conversation[0];
    const todo = hostile.todos[0];
    if (message === undefined || todo === undefined) throw new Error('factory gave no message or todo');
    const session: Session = {
      ...hostile,
      conversation: [{ ...message, content: 'line one\u001b]0;pwned\u0007\nline\u0000two \u202Eevil' }],
      todos: [{ ...todo, content: 'todo\u001b[31m red' }],
    };
    await seed(home, [session]);
    const out = join(home, 'out.md');
    const [printed, written] = await Promise.all([
      jido(['sessions', 'export', session.id, '--format', 'md'], { home }),
      jido(['sessions', 'export', session.id, '--output', out], { home }),
    ]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(written.code, written.stderr).toBe(0);
    const file = await readFile(out, 'utf8');
    for (const text of [printed.stdout, file]) {
      expect(text).toMatch(/^# evil\?\[2Jname\n/);
      expect(text).toContain('line one?]0;pwned?\nline?two ?evil');
      expect(text).toContain('todo?[31m red');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    }
  });
});

describe('item 14: --json where it means nothing is a usage error', () => {
  it('refuses it for the shell, resume and a Markdown export with exit 2', async () => {
    await seed(home, sessions(1));
    const runs = await Promise.all([
      jido(['--json'], { home, input: '' }),
      jido(['resume', '--json', '--last'], { home, input: '' }),
      jido(['sessions', 'export', '1', '--format', 'md', '--json'], { home }),
    ]);
    expect(runs.map((run) => [run.code, run.stdout, run.stderr])).toEqual([
      [
        2,
        '',
        "jido: --json cannot be used with 'jido': it starts the interactive shell. Run 'jido --help' for usage.\n",
      ],
      [
        2,
        '',
        "jido: --json cannot be used with 'jido resume': it opens the interactive shell. Run 'jido resume --help' for usage.\n",
      ],
      [
        2,
        '',
        "jido: --json cannot be used with '--format md': the Markdown transcript is not JSON. Run 'jido sessions export --help' for usage.\n",
      ],
    ]);
  });
});

describe('item 15: a piped shell reports failed lines in its exit status', () => {
  it('exits 1 when any line failed and 0 when none did', async () => {
    const folder = await projectFolder();
    const [clean, failed] = await Promise.all([
      jido([], { home, input: `/session new ${folder} --name=ok\nhello\n/quit\n` }),
      jido([], { home, input: '/todo list\n/help\n' }),
    ]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('/session new');
  });
});

describe('item 21: export and import files', () => {
  it('export refuses to overwrite without --force, and takes the format from the extension', async () => {
    await seed(home, sessions(1));
    const out = join(home, 'session.md');
    await writeFile(out, 'keep me');
    const refused = await jido(['sessions', 'export', '1', '-o', out], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`jido: ${out} already exists. Use --force to overwrite it.\n`);
    expect(await readFile(out, 'utf8')).toBe('keep me');
    const forced = await jido(['sessions', 'export', '1', '-o', out, '--force'], { home });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^# s1\n\n- Id: `/); // Markdown, from the extension
    const json = join(home, 'session.json');
    expect((await jido(['sessions', 'export', '1', '-o', json], { home })).code).toBe(0);
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ name: 's1' });
  });

  it('import - reads standard input', async () => {
    const [session] = sessions(1, 21);
    if (session === undefined) throw new Error('no session');
    const { signature: _signature, ...plain } = session;
    await mkdir(home, { recursive: true });
    const run = await jido(['sessions', 'import', '-'], { home, input: JSON.stringify(plain) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Imported "s1" as ${session.id}.\n`);
    expect((await storedSessions(home)).map((entry) => entry.id)).toEqual([session.id]);
  });
});

describe('item 4: a file that fails to load can be addressed on its own', () => {
  it('list shows it under Problems (table and JSON); show, export and resume say what is wrong; delete removes it', async () => {
    const saved = sessions(3, 31);
    await seed(home, saved);
    const tampered = saved[1] as Session;
    const path = join(home, 'sessions', `${tampered.id}.json`);
    await writeFile(path, (await readFile(path, 'utf8')).replace('"name":"s2"', '"name":"S2"'));
    const prefix = tampered.id.slice(0, 8);
    const [table, json, show, exported, resumed] = await Promise.all([
      jido(['sessions', 'list'], { home }),
      jido(['sessions', 'list', '--json'], { home }),
      jido(['sessions', 'show', prefix], { home }),
      jido(['sessions', 'export', tampered.id], { home }),
      jido(['resume', prefix], { home, input: '' }),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      "Problems: 1 session file could not be loaded ('jido sessions verify' checks every file):",
      `  ${prefix}  A session file was changed after it was saved and was refused.`,
    ]);
    expect(JSON.parse(json.stdout).problems).toEqual([
      {
        id: tampered.id,
        file: `${tampered.id}.json`,
        code: 'signature_invalid',
        message: 'A session file was changed after it was saved and was refused.',
      },
    ]);
    const reason = `jido: Session ${prefix} cannot be loaded: A session file was changed after it was saved and was refused.\n`;
    expect([show.code, show.stderr]).toEqual([1, reason]);
    expect([exported.code, exported.stderr]).toEqual([1, reason]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toBe('jido: A session file was changed after it was saved and was refused.\n');

    const deleted = await jido(['sessions', 'delete', prefix], { home });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Moved the unreadable session file ${prefix} to the trash;`);
    const after = await jido(['sessions', 'list', '--json'], { home });
    expect(JSON.parse(after.stdout)).toMatchObject({ problems: [] });
    expect(JSON.parse(after.stdout).sessions).toHaveLength(2);
  });

  it('/resume lists it too, and /resume delete removes it', async () => {
    const saved = sessions(2, 41);
    await seed(home, saved);
    const tampered = saved[0] as Session;
    const path = join(home, 'sessions', `${tampered.id}.json`);
    await writeFile(path, '{ not json');
    const prefix = tampered.id.slice(0, 8);
    const run = await jido([], { home, input: `/resume\n/resume delete ${prefix}\n/resume\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `  ${prefix}  A session file is damaged (not valid JSON) and was not loaded.`,
    );
    expect(run.stdout).toContain(`Moved the unreadable session file ${prefix} to the trash.`);
    expect(run.stdout.split('Problems:')).toHaveLength(2); // only the first listing had one
  });
});

describe('item 12: sessions of a project folder open in the shell are shown, not hidden', () => {
  it('marks them "project open in this shell" and refuses them with that reason', async () => {
    const folder = await projectFolder();
    const first = await jido([], { home, input: `/session new ${folder} --name=uno\n/quit\n` });
    expect(first.code, first.stderr).toBe(0);
    const run = await jido([], { home, input: `/session new ${folder} --name=dos\n/resume\n/resume uno\n` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ 1 {2}uno .* project open in this shell\n/);
    expect(errorLines(run.stderr)).toEqual([
      'jido: A session on that project folder is open in this shell (one open session per project folder). Use /session switch to go to it, or close it first.',
    ]);
  });
});

describe('item 11: help', () => {
  it('jido help [command] works like --help, and resume --help explains the picker and the list', async () => {
    const [help, viaFlag, sessionsHelp, resumeHelp] = await Promise.all([
      jido(['help'], { home }),
      jido(['--help'], { home }),
      jido(['help', 'sessions'], { home }),
      jido(['resume', '--help'], { home }),
    ]);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toBe(viaFlag.stdout);
    expect(help.stdout).toContain('help [command]');
    expect(sessionsHelp.code).toBe(0);
    expect(sessionsHelp.stdout).toContain('Usage: jido sessions [options] [command]');
    expect(resumeHelp.stdout).toContain('an arrow-key picker of the saved sessions');
    expect(resumeHelp.stdout).toContain('on a pipe, the numbered list');
    expect(resumeHelp.stdout).toContain('JIDO_RESUME_LIMIT_PER_SESSION');
  });
});

describe('item 19 and 20: one wording, aligned columns, paths expanded and named', () => {
  it('aligns /session list, expands ~, names the folder tried, says "Saved and closed" and one "did you mean"', async () => {
    const fakeHome = await projectFolder('user-home');
    await mkdir(join(fakeHome, 'a-much-longer-project-name'));
    const missing = join(fakeHome, 'missing');
    const script = [
      '/session new ~ --name=short',
      '/session new ~/a-much-longer-project-name --name=a-longer-name',
      `/session new ${missing}`,
      '/session list',
      '/session close',
      '/sesion list',
    ].join('\n');
    const run = await jido([], { home, input: `${script}\n`, env: { HOME: fakeHome } });
    expect(run.stdout).toContain(`Opened session "short" `);
    expect(run.stdout).toContain(` on ${fakeHome}.`);
    expect(run.stdout).toContain(` on ${join(fakeHome, 'a-much-longer-project-name')}.`);
    const rows = run.stdout.split('\n').filter((line) => /messages?, \d+ todos?$/.test(line));
    expect(rows).toHaveLength(2);
    const countsAt = rows.map((line) => line.indexOf('0 messages'));
    expect(countsAt[0]).toBe(countsAt[1]);
    expect(run.stdout).toMatch(/^Saved and closed "a-longer-name"\. Active session: "short" /m);
    expect(errorLines(run.stderr)).toEqual([
      `jido: The project folder ${missing} does not exist.`,
      'jido: Unknown command "/sesion". Did you mean "/session"? Usage: /session new|list|switch|close|rename|save|fork|pin|unpin …',
    ]);
  });

  it('a one-shot typo gets the same "did you mean" sentence, and a missing value points at its own help', async () => {
    const [typo, missing] = await Promise.all([
      jido(['sessions', 'lst'], { home }),
      jido(['sessions', 'export', '1', '--format'], { home }),
    ]);
    expect(typo.stderr).toBe(
      "jido: Unknown command 'lst'. Did you mean 'list'? Run 'jido sessions --help' for usage.\n",
    );
    expect(missing.stderr).toBe(
      "jido: Option '--format <format>' argument missing. Run 'jido sessions export --help' for usage.\n",
    );
  });
});

describe('item 7: --verbose shows what a schema error found', () => {
  it('importing {} prints each validation path and expected type', async () => {
    const file = join(await projectFolder('imports'), 'empty.json');
    await writeFile(file, '{}');
    const [plain, verbose] = await Promise.all([
      jido(['sessions', 'import', file], { home }),
      jido(['sessions', 'import', file, '--verbose'], { home }),
    ]);
    expect(plain.stderr).toBe(
      'jido: A session file has an unexpected shape and was not loaded. First bad field: id.\n',
    );
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain('debug: code=invalid_schema');
    expect(verbose.stderr).toContain('debug: issue: id: Invalid input: expected string, received undefined');
    expect(verbose.stderr).toContain(
      'debug: issue: conversation: Invalid input: expected array, received undefined',
    );
  });
});

describe('item 23: the "still saving" note only for a second SIGINT', () => {
  it('one SIGINT as the input ends saves and exits without the note', async () => {
    const folder = await projectFolder();
    for (const order of ['end first', 'signal first'] as const) {
      const child = spawnJido([], { home });
      const done = finished(child);
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stdin?.write(`/session new ${folder} --name=${order.replace(' ', '-')}\nhello\n`);
      await waitForOutput(
        () => stdout,
        (text) => text.includes('Noted: "hello".'),
      );
      if (order === 'end first') {
        child.stdin?.end();
        child.kill('SIGINT');
      } else {
        child.kill('SIGINT');
        child.stdin?.end();
      }
      const run = await done;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Saved and closed');
      expect(run.stderr).not.toContain('Still saving');
    }
  });
});
