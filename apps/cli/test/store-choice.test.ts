// Choosing the store (--store > JIDO_STORE_URL > store_url in config.json > the home), and the
// connection errors of a PostgreSQL store: one line each, exit 1, never the password; --verbose
// adds the details with the password removed. Real sockets throughout: a closed port, the run's
// PostgreSQL (or PGlite), and a 127.0.0.1 server that answers the login with the server's error.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { closedPort, refusingServer } from './fake-postgres.js';
import { jido, projectFolder, seed } from './jido.js';
import { freshStoreUrl, testDatabase } from './postgres.js';

const password = 'pw-Zq7!never-shown';

async function homeWith(name: string, config?: Record<string, unknown>): Promise<string> {
  const home = join(await temporaryFolder(name, 'jido-choice-'), 'home');
  const factory = new SessionFactory({ seed: name.length * 7 });
  await seed(home, [factory.session({ name, project_path: await projectFolder() })]);
  if (config !== undefined) await writeFile(join(home, 'config.json'), JSON.stringify(config));
  return home;
}

async function names(args: string[], home: string, env: Record<string, string> = {}) {
  const run = await jido([...args, 'sessions', 'list', '--json'], { home, env });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { sessions: { name: string }[] }).sessions.map((entry) => entry.name);
}

describe('choosing the store', () => {
  it('--store wins over JIDO_STORE_URL, which wins over store_url in config.json, which wins over the home', async () => {
    const [flag, variable, configured] = await Promise.all([
      homeWith('flag'),
      homeWith('variable'),
      homeWith('configured'),
    ]);
    const home = await homeWith('home', { store_url: configured });
    expect(await names([], await homeWith('plain'))).toEqual(['plain']);
    expect(await names([], home)).toEqual(['configured']);
    expect(await names([], home, { JIDO_STORE_URL: variable })).toEqual(['variable']);
    expect(await names(['--store', flag], home, { JIDO_STORE_URL: variable })).toEqual(['flag']);
    // --store DIR is that folder as the home: the same as --home DIR.
    expect(await names(['--home', flag], await homeWith('other'))).toEqual(['flag']);
  });

  it('a postgres:// store_url in config.json selects PostgreSQL, with the home’s other settings', async () => {
    const url = freshStoreUrl();
    const home = join(await temporaryFolder('pg-config', 'jido-choice-'), 'home');
    await mkdir(home, { recursive: true, mode: 0o700 });
    await writeFile(join(home, 'config.json'), JSON.stringify({ store_url: url, max_sessions: 1 }));
    const project = await projectFolder();
    const factory = new SessionFactory({ seed: 5 });
    const file = join(await temporaryFolder('pg-config-import', 'jido-choice-'), 'one.json');
    for (const [index, name] of ['first', 'second'].entries()) {
      await writeFile(file, JSON.stringify(factory.session({ name, project_path: project })));
      const imported = await jido(['sessions', 'import', file], { home });
      // max_sessions: 1 from the home's config.json applies to the database store.
      expect({ name, code: imported.code }).toEqual({ name, code: index === 0 ? 0 : 1 });
    }
    expect(await names([], home)).toEqual(['first']);
    expect(await names(['--store', url], await homeWith('elsewhere'))).toEqual(['first']);
  });

  it('jido doctor on a PostgreSQL store checks the database, not the home', async () => {
    const url = freshStoreUrl();
    const home = await homeWith('doctor');
    const run = await jido(['--store', url, 'doctor', '--json'], { home });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: 'postgresql',
      sessions: 0,
      problems: [],
      healthy: true,
    });
    const text = await jido(['--store', url, 'doctor'], { home });
    expect(text.stdout).toMatch(
      /^Store: {4}PostgreSQL postgres:\/\/.*: connected, schema up to date\nSessions: 0, 0 that do not load\nHealthy\.\n$/,
    );
  });

  it('the interactive shell and resume work on a PostgreSQL store (journal rows, no home folder made)', async () => {
    const url = freshStoreUrl();
    const home = join(await temporaryFolder('shell-pg', 'jido-choice-'), 'never-made');
    const cwd = await projectFolder();
    const first = await jido(['--store', url], {
      home,
      cwd,
      input: '/session new --name=pgshell\nhello there\n/quit\n',
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const second = await jido(['--store', url, 'resume', '--last'], {
      home,
      cwd,
      input: 'second line\n/quit\n',
    });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const shown = await jido(['--store', url, 'sessions', 'show', 'pgshell', '--json'], { home });
    const session = JSON.parse(shown.stdout) as {
      conversation?: { content: string }[];
      messages?: { content: string }[];
    };
    const messages = (session.messages ?? session.conversation ?? []).map((message) => message.content);
    expect(messages.filter((content) => content === 'hello there' || content === 'second line')).toEqual([
      'hello there',
      'second line',
    ]);
    await expect(stat(home)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/** Runs `sessions list` on `url`, plain and with --verbose, and checks what every failure shares. */
async function failing(url: string, expected: RegExp) {
  const home = await homeWith('errors');
  const plain = await jido(['--store', url, 'sessions', 'list'], { home });
  const verbose = await jido(['--store', url, 'sessions', 'list', '--verbose'], { home });
  for (const run of [plain, verbose]) {
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(password);
    expect(run.stderr.split('\n')[0]).toMatch(expected);
  }
  expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(plain.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(verbose.stderr).toContain('debug: code=');
  return { plain, verbose };
}

describe(`connection errors (${testDatabase().kind})`, () => {
  it('refused: a closed port on 127.0.0.1', async () => {
    const url = `postgres://jido:${encodeURIComponent(password)}@127.0.0.1:${await closedPort()}/team`;
    const { verbose } = await failing(
      url,
      /^jido: Could not connect to the session database: the server refused/,
    );
    expect(verbose.stderr).toContain('"reason":"refused"');
    expect(verbose.stderr).toContain('postgres://jido:***@127.0.0.1');
  });

  it('database missing: a random database name on the server', async () => {
    const kind = testDatabase().kind;
    const server =
      kind === 'pglite'
        ? // PGlite serves one database whatever the name asked for: the server's own answer, injected.
          await refusingServer('3D000', 'database "jido_missing" does not exist')
        : undefined;
    const base = new URL(testDatabase().url);
    base.password = password;
    base.pathname = `/jido_missing_${Date.now().toString(36)}`;
    if (server !== undefined) base.port = String(server.port);
    try {
      const { verbose } = await failing(
        base.toString(),
        /^jido: The database named in the store URL does not exist/,
      );
      expect(verbose.stderr).toContain('"reason":"database_missing"');
    } finally {
      await server?.close();
    }
  });

  it('auth failed: the server answers the login with 28P01', async () => {
    const server = await refusingServer('28P01', 'password authentication failed for user "jido"');
    try {
      const url = `postgresql://jido:${encodeURIComponent(password)}@127.0.0.1:${server.port}/team`;
      const { verbose } = await failing(url, /^jido: The session database refused the user name or password/);
      expect(verbose.stderr).toContain('"reason":"auth"');
      expect(verbose.stderr).toContain('***');
    } finally {
      await server.close();
    }
  });

  it('TLS required: pg_hba.conf allows this host only over TLS', async () => {
    const server = await refusingServer(
      '28000',
      'no pg_hba.conf entry for host "127.0.0.1", user "jido", database "team", no encryption',
    );
    try {
      const url = `postgres://jido:${encodeURIComponent(password)}@127.0.0.1:${server.port}/team`;
      const { verbose } = await failing(url, /^jido: The session database requires an encrypted connection/);
      expect(verbose.stderr).toContain('"reason":"tls"');
    } finally {
      await server.close();
    }
  });

  it('TLS asked for by the URL, and the server has none: answers N to the SSLRequest', async () => {
    const server = await refusingServer('28P01', 'never reached: the client stops at the N');
    try {
      const url = `postgres://jido:${encodeURIComponent(password)}@127.0.0.1:${server.port}/team?sslmode=require`;
      const run = await jido(['--store', url, 'sessions', 'list', '--verbose'], {
        home: await homeWith('tls-n'),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain(password);
      // node-postgres itself warns (a Node warning) that sslmode=require now means verify-full; the
      // error is still one jido line.
      const ours = run.stderr.split('\n').filter((line) => line.startsWith('jido: '));
      expect(ours).toEqual([
        'jido: The store URL asks for an encrypted connection (sslmode), and the database server does not offer one. Check the host, or ask its administrator to turn on TLS.',
      ]);
      expect(run.stderr).toContain('"reason":"tls_unavailable"');
    } finally {
      await server.close();
    }
  });

  it('a bad URL, or another scheme: one line naming the setting, no password', async () => {
    const bad = `postgres://jido:${password}@[::1/team`;
    const { plain } = await failing(bad, /^jido: The store URL given by --store is not a valid URL/);
    expect(plain.stderr).not.toContain('::1');
    const other = await jido(['--store', 'mysql://jido@db/team', 'sessions', 'list'], {
      home: await homeWith('scheme'),
    });
    expect({ code: other.code, stderr: other.stderr }).toEqual({
      code: 1,
      stderr:
        'jido: The store named by --store is neither a postgres:// (or postgresql://) URL nor a folder.\n',
    });
  });
});
