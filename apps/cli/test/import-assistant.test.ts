import { appendFileSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import {
  appendedClaudeTurn,
  claudeFixtureCwd,
  peerJsonl,
  secretCorpus,
  treeSnapshot,
  writePeerFixtures,
} from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { jido, storedVerification } from './jido.js';

/** A root holding the user's home (with every generated peer fixture), a jido home and a cwd. */
async function layout() {
  const root = dirname(await temporaryFolder('user-home', 'jido-cli-import-'));
  const userHome = join(root, 'user-home');
  const jidoHome = join(root, 'jido-home');
  const cwd = join(root, 'cwd');
  mkdirSync(cwd);
  return { root, userHome, jidoHome, cwd, fixtures: writePeerFixtures(userHome) };
}

async function loadAll(home: string): Promise<Session[]> {
  const opened = await SessionStore.open({ home, env: {} });
  if (!opened.ok) throw opened.error;
  const listing = await opened.value.listPersisted();
  if (!listing.ok) throw listing.error;
  const sessions: Session[] = [];
  for (const entry of listing.value.sessions) {
    const loaded = await opened.value.load(entry.id);
    if (!loaded.ok) throw loaded.error;
    sessions.push(loaded.value.session);
  }
  return sessions;
}

interface JsonFile {
  path: string;
  status: string;
  reason: string | null;
  message: string | null;
  session_id: string | null;
  added_messages: number;
  skipped_records: Record<string, number>;
}

describe('jido import', () => {
  it('imports signed sessions, then a re-run is a no-op ("already imported as <id8>")', async () => {
    const { userHome, jidoHome, cwd, fixtures } = await layout();
    const options = { home: jidoHome, cwd, env: { HOME: userHome } };
    const first = await jido(['import', 'claude-code', '--json'], options);
    expect(first.code, first.stderr).toBe(0);
    const output = JSON.parse(first.stdout) as {
      tool: string;
      dry_run: boolean;
      totals: unknown;
      files: JsonFile[];
    };
    expect(output).toMatchObject({
      tool: 'claude-code',
      dry_run: false,
      totals: { imported: 9, updated: 0, skipped: 1, failed: 1 },
    });
    const files = output.files;
    expect(files.filter((file) => file.status === 'imported')).toHaveLength(9);
    const tree = files.find((file) => file.path === fixtures.claude.tree);
    expect(tree).toMatchObject({
      status: 'imported',
      added_messages: 7,
      skipped_records: { other_branch: 2, sidechain: 3 },
    });
    expect(files.find((file) => file.path === fixtures.claude.wrongFormat)).toMatchObject({
      status: 'failed',
      reason: 'wrong_format',
    });
    const verification = await storedVerification(jidoHome);
    expect(verification.valid).toHaveLength(9);
    expect(verification.failed).toEqual([]);
    const saved = await loadAll(jidoHome);
    expect(saved.every((session) => session.imported_from?.tool === 'claude-code')).toBe(true);
    expect(saved.every((session) => session.project_path === claudeFixtureCwd)).toBe(true);

    const before = treeSnapshot(join(jidoHome, 'sessions'));
    const again = await jido(['import', 'claude-code'], options);
    expect(again.code, again.stderr).toBe(0);
    const id8 = tree?.session_id?.slice(0, 8) ?? '';
    expect(again.stdout).toContain(`${fixtures.claude.tree}: skipped, already imported as ${id8}`);
    expect(again.stdout).toContain('11 files: 0 imported, 0 updated, 10 skipped, 1 failed.');
    expect(treeSnapshot(join(jidoHome, 'sessions'))).toEqual(before);
  });

  it('--update after appending lines adds exactly those messages, and nothing else changes', async () => {
    const { userHome, jidoHome, cwd, fixtures } = await layout();
    const options = { home: jidoHome, cwd, env: { HOME: userHome } };
    expect((await jido(['import', 'claude-code'], options)).code).toBe(0);
    const before = await loadAll(jidoHome);
    const plain = fixtures.claude.plain as string;
    const last = JSON.parse(readFileSync(plain, 'utf8').trim().split('\n').at(-1) ?? '{}');
    appendFileSync(plain, peerJsonl(appendedClaudeTurn(last.sessionId, last.uuid, 77)));
    const withoutUpdate = await jido(['import', 'claude-code', '--path', plain], options);
    expect(withoutUpdate.stdout).toMatch(/skipped, already imported as [0-9a-f]{8}/);
    const update = await jido(['import', 'claude-code', '--update', '--json'], options);
    expect(update.code, update.stderr).toBe(0);
    const files = (JSON.parse(update.stdout) as { files: JsonFile[] }).files;
    expect(files.filter((file) => file.status === 'updated')).toEqual([
      expect.objectContaining({ path: plain, added_messages: 2 }),
    ]);
    const after = await loadAll(jidoHome);
    const grown = after.find((session) => session.imported_from?.path === plain);
    const was = before.find((session) => session.imported_from?.path === plain);
    expect(grown?.conversation.slice(0, was?.conversation.length)).toEqual(was?.conversation);
    expect(
      grown?.conversation.slice(was?.conversation.length ?? 0).map((m) => `${m.role}: ${m.content}`),
    ).toEqual(['user: Appended prompt', 'assistant: Appended answer.']);
    const others = (list: Session[]) => list.filter((session) => session.id !== grown?.id);
    expect(others(after)).toEqual(others(before));
    expect((await storedVerification(jidoHome)).failed).toEqual([]);
  });

  it('writes only inside the jido home and leaves every source byte and mtime alone', async () => {
    const { root, userHome, jidoHome, cwd } = await layout();
    const options = { home: jidoHome, cwd, env: { HOME: userHome } };
    const before = treeSnapshot(root);
    for (const tool of ['claude-code', 'codex', 'gemini']) {
      const run = await jido(['import', tool, '--include-sidechains'], options);
      expect(run.code, run.stderr).toBe(0);
    }
    const after = treeSnapshot(root);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (path) => before.get(path) !== after.get(path),
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((path) => !path.startsWith(`${jidoHome}/`) && path !== jidoHome)).toEqual([]);
  });

  it('--dry-run saves nothing; export and import keep imported_from', async () => {
    const { userHome, jidoHome, cwd, fixtures } = await layout();
    const options = { home: jidoHome, cwd, env: { HOME: userHome } };
    const dry = await jido(['import', 'codex', '--dry-run'], options);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${fixtures.codex.full}: would be imported as`);
    expect(dry.stdout).toMatch(/^Dry run: 8 files: 6 imported/m);
    expect(await loadAll(jidoHome)).toEqual([]);

    expect((await jido(['import', 'codex', '--path', fixtures.codex.full as string], options)).code).toBe(0);
    const [session] = await loadAll(jidoHome);
    const exported = join(cwd, 'out.json');
    expect((await jido(['sessions', 'export', session?.id ?? '', '--output', exported], options)).code).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(exported, 'utf8')).imported_from).toEqual(session?.imported_from);
    expect((await jido(['sessions', 'delete', session?.id ?? ''], options)).code).toBe(0);
    const back = await jido(['sessions', 'import', exported], options);
    expect(back.code, back.stderr).toBe(0);
    const [restored] = await loadAll(jidoHome);
    expect(restored?.imported_from).toEqual(session?.imported_from);
  });

  it('redacts secrets on the way in: no credential reaches any file of the jido home', async () => {
    const { userHome, jidoHome, cwd, fixtures } = await layout();
    const options = { home: jidoHome, cwd, env: { HOME: userHome } };
    const [sample] = secretCorpus(5).filter((candidate) => candidate.rule === 'github');
    if (sample === undefined) throw new Error('the corpus has no github sample');
    const plain = fixtures.claude.plain as string;
    const withSecret = readFileSync(plain, 'utf8').replace(
      JSON.stringify('Second prompt'),
      JSON.stringify(`Second prompt ${sample.text}`),
    );
    writeFileSync(plain, withSecret);
    const run = await jido(['import', 'claude-code', '--path', plain, '--json'], options);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as {
      secrets: { redaction: string; count: number };
      files: { secrets: { count: number } }[];
    };
    expect(output.secrets).toEqual({ redaction: 'redact', count: 1 });
    expect(output.files[0]?.secrets.count).toBe(1);
    const [saved] = await loadAll(jidoHome);
    expect(saved?.conversation[2]?.content).toMatch(/^Second prompt [\s\S]*\[REDACTED:/);
    const everything = [...treeSnapshot(jidoHome).keys()]
      .filter((path) => lstatSync(path).isFile())
      .map((path) => readFileSync(path, 'latin1'))
      .join('\n');
    for (const value of sample.values) expect(everything).not.toContain(value);
  });

  it('names a wrong tool (exit 2) and a missing source folder (exit 1) in one line', async () => {
    const { jidoHome, cwd, root } = await layout();
    const wrong = await jido(['import', 'cursor'], { home: jidoHome, cwd });
    expect(wrong).toMatchObject({
      code: 2,
      stderr: "jido: Unknown tool 'cursor'. Use one of: claude-code, codex, gemini.\n",
    });
    const none = await jido(['import', 'gemini'], {
      home: jidoHome,
      cwd,
      env: { HOME: join(root, 'nobody') },
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'jido: No Gemini CLI session files found in its default folders. Use --path to point at them.\n',
    );
  });
});
