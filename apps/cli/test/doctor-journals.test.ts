/**
 * `jido doctor`'s count of unrecovered journals (issue 15), with real processes: a shell SIGKILLed
 * after acknowledged messages leaves its journal, which doctor counts (without recovering it); a
 * journal a live shell is still writing is reported as open, not as unrecovered; once a command
 * that opens the store has recovered the journal, the count is back to 0.
 */
import type { ChildProcess } from 'node:child_process';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { finished, type JidoRun, jido, projectFolder, spawnJido, waitForOutput } from './jido.js';

const testCase = PersistenceTestCase.use();

interface Shell {
  readonly child: ChildProcess;
  readonly done: Promise<JidoRun>;
}

/** A shell on a pipe with a session named `name` and `count` acknowledged messages, kept open. */
async function shellWithMessages(name: string, count: number): Promise<Shell> {
  const folder = await projectFolder(name);
  const child = spawnJido([], { home: testCase.home });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const done = finished(child);
  const lines = [`/session new ${folder} --name=${name}`];
  for (let index = 1; index <= count; index++) lines.push(`${name} message ${index}`);
  child.stdin?.write(`${lines.join('\n')}\n`);
  await waitForOutput(
    () => stdout,
    (text) => text.includes(`Noted: "${name} message ${count}"`),
    120_000,
  );
  return { child, done };
}

interface DoctorJson {
  journals: string[];
  open_journals: string[];
  healthy: boolean;
}

async function doctor(): Promise<{ report: DoctorJson; text: string }> {
  const json = await jido(['doctor', '--json'], { home: testCase.home });
  const text = await jido(['doctor'], { home: testCase.home });
  return { report: JSON.parse(json.stdout) as DoctorJson, text: text.stdout };
}

async function sessionId(name: string): Promise<string> {
  const listed = await jido(['sessions', 'list', '--all', '--json'], { home: testCase.home });
  const found = (JSON.parse(listed.stdout) as { sessions: { id: string; name: string }[] }).sessions.find(
    (session) => session.name === name,
  );
  if (found === undefined) throw new Error(`no session named ${name}: ${listed.stdout}`);
  return found.id;
}

describe('jido doctor counts unrecovered journals', () => {
  it("a SIGKILLed shell leaves one; a live shell's journal is open, not unrecovered; recovery clears it", {
    timeout: 240_000,
  }, async () => {
    // The live shell starts first: a shell recovers leftover journals when it opens the home.
    const live = await shellWithMessages('live', 2);
    try {
      const killed = await shellWithMessages('killed', 3);
      killed.child.kill('SIGKILL');
      expect((await killed.done).signal).toBe('SIGKILL');
      const before = await doctor();
      // doctor only reads: a second run still finds the journal, so the first did not recover it.
      const again = await doctor();
      expect(again.report.journals).toEqual(before.report.journals);
      expect(before.report.journals).toHaveLength(1);
      expect(before.report.open_journals).toHaveLength(1);
      expect(before.text).toContain('Journals not yet recovered: 1');
      expect(before.text).toContain('Journals of sessions open in a live jido process: 1');

      // `sessions list` opens the store, which recovers the killed shell's journal (not the live one).
      const killedId = await sessionId('killed');
      const liveId = await sessionId('live');
      expect(before.report.journals).toEqual([killedId]);
      expect(before.report.open_journals).toEqual([liveId]);
      const after = await doctor();
      expect(after.report.journals).toEqual([]);
      expect(after.report.open_journals).toEqual([liveId]);
      expect(after.text).toContain('Journals not yet recovered: 0');
    } finally {
      live.child.stdin?.end();
      const closed = await live.done;
      expect(closed.code, closed.stderr).toBe(0);
    }
    const closed = await doctor();
    expect(closed.report).toMatchObject({ journals: [], open_journals: [] });
  });
});
