/**
 * Recovery when the home opens (issue 16, #18 items 3 and 16), with real processes: a shell is
 * killed with SIGKILL after N acknowledged messages and, without any shell started in between,
 * `sessions list --json`, `show --json` and `export --format md` hold every acknowledged message.
 * A session a second live shell holds is left alone and reported as open elsewhere; a journal that
 * cannot be recovered is moved to `journal/quarantine/`, reported, and never deleted.
 */
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { finished, type JidoRun, jido, projectFolder, spawnJido, waitForOutput } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

/** A shell through a pipe, kept open: its output so far, and a way to wait for a line. */
interface LiveShell {
  readonly child: ChildProcess;
  readonly done: Promise<JidoRun>;
  output(): string;
  waitFor(text: string): Promise<string>;
}

function startShell(input: string): LiveShell {
  const child = spawnJido([], { home });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const done = finished(child);
  child.stdin?.write(input);
  return {
    child,
    done,
    output: () => stdout,
    waitFor: (text) =>
      waitForOutput(
        () => stdout,
        (gathered) => gathered.includes(text),
        120_000,
      ),
  };
}

/** Opens a session named `name` and sends `count` messages; resolves once all are acknowledged. */
async function shellWithMessages(name: string, count: number): Promise<LiveShell> {
  const folder = await projectFolder(name);
  const lines = [`/session new ${folder} --name=${name}`];
  for (let index = 1; index <= count; index++) lines.push(`${name} message ${index}`);
  const shell = startShell(`${lines.join('\n')}\n`);
  await shell.waitFor(`Noted: "${name} message ${count}"`);
  return shell;
}

async function killNine(shell: LiveShell): Promise<void> {
  shell.child.kill('SIGKILL');
  expect((await shell.done).signal).toBe('SIGKILL');
}

interface Listed {
  id: string;
  name: string;
  message_count: number;
  closed_at: string | null;
  recovered: boolean;
  recovered_at: string | null;
  open_elsewhere?: { pid: number; pending_messages: number; since: string } | null;
}

async function listJson(args: readonly string[] = []): Promise<Listed[]> {
  const run = await jido(['sessions', 'list', '--json', ...args], { home });
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { sessions: Listed[] }).sessions;
}

/** Every message the shell acknowledged for `count` lines: the user's and the agent's reply. */
function acknowledged(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => [
    `${name} message ${index + 1}`,
    `Noted: "${name} message ${index + 1}". No todos yet.`,
  ]).flat();
}

async function expectEverythingShown(name: string, count: number): Promise<void> {
  const expected = acknowledged(name, count);
  const entry = (await listJson()).find((session) => session.name === name);
  expect(entry).toMatchObject({ message_count: expected.length, recovered: true });
  expect(entry?.recovered_at).toEqual(expect.any(String));
  expect(entry?.closed_at).toEqual(expect.any(String));

  const shown = await jido(['sessions', 'show', name, '--json', '--limit', String(expected.length)], {
    home,
  });
  expect(shown.code, shown.stderr).toBe(0);
  const session = JSON.parse(shown.stdout) as { conversation: { content: string }[]; recovered_at: string };
  expect(session.conversation.map((message) => message.content)).toEqual(expected);
  expect(session.recovered_at).toEqual(expect.any(String));

  const exported = await jido(['sessions', 'export', name, '--format', 'md'], { home });
  expect(exported.code, exported.stderr).toBe(0);
  for (const text of [expected[0], expected.at(-1)]) expect(exported.stdout).toContain(text);
  const userLines = exported.stdout.match(new RegExp(`${name} message [0-9]+$`, 'gm')) ?? [];
  expect(new Set(userLines).size).toBe(count);
}

describe('after kill -9, every command shows what the journal saved (no shell in between)', () => {
  for (const count of [1, 20, 500]) {
    it(`${count} acknowledged message(s): list --json, show --json and export --format md`, {
      timeout: 240_000,
    }, async () => {
      const name = `crash${count}`;
      await killNine(await shellWithMessages(name, count));
      expect((await readdir(join(home, 'journal'))).filter((file) => file.endsWith('.jsonl'))).toHaveLength(
        1,
      );
      await expectEverythingShown(name, count);
      expect((await readdir(join(home, 'journal'))).filter((file) => file.endsWith('.jsonl'))).toEqual([]);
    });
  }

  it('the same while a second live shell holds another session, which is left alone', {
    timeout: 240_000,
  }, async () => {
    const live = await shellWithMessages('live', 3);
    try {
      await killNine(await shellWithMessages('crashed', 20));
      const leases = join(home, 'leases');
      let leaseName = '';
      for (const name of await readdir(leases)) {
        const holder = JSON.parse(await readFile(join(leases, name), 'utf8')) as { pid: number };
        if (holder.pid === live.child.pid) leaseName = name;
      }
      const lease = await readFile(join(leases, leaseName));
      const liveJournal = (await readdir(join(home, 'journal'))).filter((file) => file.endsWith('.jsonl'));
      expect(liveJournal).toHaveLength(2);

      await expectEverythingShown('crashed', 20);

      // The live shell's session: lease and journal untouched, not in the plain list, "open" in --all.
      expect(await readFile(join(leases, leaseName))).toEqual(lease);
      const journals = (await readdir(join(home, 'journal'))).filter((file) => file.endsWith('.jsonl'));
      expect(journals).toHaveLength(1);
      expect((await listJson()).map((session) => session.name)).toEqual(['crashed']);
      const all = await listJson(['--all']);
      const held = all.find((session) => session.name === 'live');
      expect(held?.open_elsewhere).toMatchObject({ pid: live.child.pid, pending_messages: 6 });
      expect(held?.message_count).toBe(0);
      const table = await jido(['sessions', 'list', '--all'], { home });
      expect(table.stdout).toMatch(/live .* 0 {2}open\n/);
      expect(table.stdout).toContain(`open in another jido process, pid ${live.child.pid}, since`);
      expect(table.stdout).toContain('6 acknowledged messages waiting in its journal');

      const shown = await jido(['sessions', 'show', 'live'], { home });
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`Open:     open in another jido process, pid ${live.child.pid}, since`);
      const shownJson = JSON.parse((await jido(['sessions', 'show', 'live', '--json'], { home })).stdout);
      expect(shownJson.open_elsewhere).toMatchObject({ pid: live.child.pid, pending_messages: 6 });

      // #18 item 3: resume by name or prefix says where it is open, exit 1, and changes nothing.
      for (const target of ['live', held?.id.slice(0, 8) ?? '']) {
        const resumed = await jido(['resume', target], { home, input: '/quit\n' });
        expect(resumed.code).toBe(1);
        expect(resumed.stderr).toContain(`open in another jido process (pid ${live.child.pid})`);
      }
      const piped = await jido([], { home, input: '/resume live\n' });
      expect(piped.stderr).toContain(`open in another jido process (pid ${live.child.pid})`);
      expect(await readFile(join(leases, leaseName))).toEqual(lease);

      // The live shell goes on and saves everything it acknowledged.
      live.child.stdin?.write('one more\n');
      await live.waitFor('Noted: "one more"');
      live.child.stdin?.end();
      expect((await live.done).code).toBe(0);
      const after = (await listJson()).find((session) => session.name === 'live');
      expect(after).toMatchObject({ message_count: 8, recovered: false });
    } finally {
      live.child.kill('SIGKILL');
    }
  });

  it('#18 item 16: nothing saved but one session open elsewhere', { timeout: 120_000 }, async () => {
    const live = await shellWithMessages('solo', 1);
    try {
      const plain = await jido(['sessions', 'list'], { home });
      expect(plain.code).toBe(0);
      expect(plain.stdout).toBe('No saved sessions (1 open in another jido process; --all lists it).\n');
      const all = await jido(['sessions', 'list', '--all'], { home });
      expect(all.stdout).toMatch(/solo .* {2}open\n/);
    } finally {
      live.child.kill('SIGKILL');
      await live.done;
    }
  });

  it('the shell start and jido resume say what they recovered', { timeout: 120_000 }, async () => {
    await killNine(await shellWithMessages('again', 20));
    const resumed = await jido(['resume', 'again'], { home, input: '/quit\n' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /^Recovered 40 messages from an interrupted run \(last at [0-9]{2}:[0-9]{2}:[0-9]{2}\): "again" \([0-9a-f]{8}\)\.$/m,
    );
    expect(resumed.stdout).toContain('Resumed session "again"');
    // The clean close clears the mark.
    expect((await listJson()).find((session) => session.name === 'again')?.recovered).toBe(false);
  });
});

describe('a journal that cannot be recovered', () => {
  it('is moved to journal/quarantine/, reported by the shell, list, show and verify, and never deleted', {
    timeout: 120_000,
  }, async () => {
    await killNine(await shellWithMessages('tampered', 3));
    const [journalName = ''] = (await readdir(join(home, 'journal'))).filter((file) =>
      file.endsWith('.jsonl'),
    );
    const id = journalName.replace('.jsonl', '');
    const path = join(home, 'journal', journalName);
    const lines = (await readFile(path, 'utf8')).split('\n');
    // Records: open, message 1, its reply, message 2, …: a changed character breaks message 2's MAC.
    lines[3] = (lines[3] ?? '').replace('tampered message 2', 'tampered massage 2');
    expect(lines[3]).toContain('tampered massage 2');
    const tampered = lines.join('\n');
    await writeFile(path, tampered);

    const start = await jido([], { home, input: '' });
    expect(start.code, start.stderr).toBe(0);
    const relative = new RegExp(`journal/quarantine/${id}\\.[0-9]{8}T[0-9]{6}Z\\.bad-signature\\.jsonl`);
    expect(start.stderr).toMatch(relative);
    expect(start.stderr).toContain('kept, not deleted');
    expect(start.stderr).not.toContain(home);
    const [kept = ''] = await readdir(join(home, 'journal', 'quarantine'));
    expect(await readFile(join(home, 'journal', 'quarantine', kept), 'utf8')).toBe(tampered);

    const listed = await jido(['sessions', 'list'], { home });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(relative);
    // What preceded the damage (the first message and its reply) was recovered.
    expect((await listJson()).find((session) => session.name === 'tampered')?.message_count).toBe(2);

    const shown = await jido(['sessions', 'show', 'tampered'], { home });
    expect(shown.stdout).toMatch(
      new RegExp(
        `Journal: {2}could not be recovered; kept, not deleted, at ${relative.source} \\(bad signature\\)`,
      ),
    );
    const shownJson = JSON.parse((await jido(['sessions', 'show', 'tampered', '--json'], { home })).stdout);
    expect(shownJson.quarantined_journals).toEqual([
      expect.objectContaining({
        session_id: id,
        reason: 'bad-signature',
        file: `journal/quarantine/${kept}`,
      }),
    ]);

    const verified = await jido(['sessions', 'verify'], { home });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(relative);
    expect(verified.stdout).toContain('1 journal quarantined');
    const verifiedJson = await jido(['sessions', 'verify', '--json'], { home });
    expect(verifiedJson.code).toBe(1);
    expect(JSON.parse(verifiedJson.stdout).quarantined_journals).toHaveLength(1);

    // Every command above left it in place, byte for byte.
    expect(await readdir(join(home, 'journal', 'quarantine'))).toEqual([kept]);
    expect(await readFile(join(home, 'journal', 'quarantine', kept), 'utf8')).toBe(tampered);
  });
});
