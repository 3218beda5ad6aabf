import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, seed, storedSession } from './jido.js';

const testCase = PersistenceTestCase.use();
let home: string;

beforeEach(() => {
  home = testCase.home;
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function sessions(count: number, seedNumber: number, overrides: Partial<Session>[] = []) {
  const factory = new SessionFactory({ seed: seedNumber });
  const project = await projectFolder();
  return Array.from({ length: count }, (_, index) =>
    factory.session({ project_path: project, name: `s${index + 1}`, ...(overrides[index] ?? {}) }),
  );
}

async function json(args: string[], input?: string) {
  const run = await jido([...args, '--json'], { home, ...(input === undefined ? {} : { input }) });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('jido sessions delete → trash → restore (user story)', () => {
  it('delete moves to the trash, the trash lists it, restore brings back every message and resume shows them', async () => {
    const [session] = await sessions(1, 31, [{ name: 'keepme' }]);
    if (session === undefined) throw new Error('fixture');
    await seed(home, [session]);
    const before = await readFile(join(home, 'sessions', `${session.id}.json`));

    const deleted = await jido(['sessions', 'delete', 'keepme'], { home });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Moved saved session "keepme"');
    expect(deleted.stdout).toContain('jido sessions trash restore');
    expect(await readdir(join(home, 'sessions'))).toEqual([]);
    // The signed bytes are in the trash, unchanged.
    const trashed = (await readdir(join(home, 'trash'))).find((name) => !name.endsWith('.record.json'));
    expect(await readFile(join(home, 'trash', trashed ?? ''))).toEqual(before);

    // Not a target any more, nor in the list.
    const show = await jido(['sessions', 'show', 'keepme'], { home });
    expect(show.code).toBe(1);
    const shownInTrash = await json(['sessions', 'show', 'keepme', '--trash']);
    expect(shownInTrash).toMatchObject({ id: session.id, signed: true });
    const exported = await jido(['sessions', 'export', '1', '--trash'], { home });
    expect(JSON.parse(exported.stdout).conversation).toHaveLength(session.conversation.length);
    expect((await json(['sessions', 'list'])).sessions).toEqual([]);

    const listed = await json(['sessions', 'trash']);
    expect(listed).toEqual({
      entries: [
        {
          index: 1,
          id: session.id,
          name: 'keepme',
          project_path: session.project_path,
          reason: 'delete',
          trashed_at: expect.any(String),
          last_activity: expect.any(String),
        },
      ],
      problems: [],
    });
    const word = /[A-Za-z]{3,}/.exec(session.conversation[0]?.content ?? '')?.[0] ?? 'missing';
    const found = await json(['sessions', 'search', word, '--trash']);
    expect(
      found.filter((result: { in_trash?: boolean }) => result.in_trash).map((r: { id: string }) => r.id),
    ).toEqual([session.id]);
    const text = await jido(['sessions', 'trash', 'list'], { home });
    expect(text.stdout).toMatch(/1 +[0-9a-f]{8} +keepme .* deleted +(just now|\d+ sec ago)/);

    const restored = await json(['sessions', 'trash', 'restore', 'keepme']);
    expect(restored).toEqual({ id: session.id, name: 'keepme', restored_from: session.id });
    expect(await readFile(join(home, 'sessions', `${session.id}.json`))).toEqual(before);
    expect((await json(['sessions', 'trash'])).entries).toEqual([]);

    const resumed = await jido(['resume', 'keepme'], { home, input: '/quit\n' });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${session.conversation.length} message`);
    const shown = await json(['sessions', 'show', 'keepme', '--limit', '1000']);
    expect(shown.conversation.map((message: { content: string }) => message.content)).toEqual(
      session.conversation.map((message) => message.content),
    );
  });

  it('restore targets the trash listing by number or id prefix; a live id needs --new-id', async () => {
    const [first, second] = await sessions(2, 32);
    if (first === undefined || second === undefined) throw new Error('fixture');
    await seed(home, [first, second]);
    expect((await jido(['sessions', 'delete', first.id], { home })).code).toBe(0);
    expect((await jido(['sessions', 'delete', second.id], { home })).code).toBe(0);
    // Newest first: the second deletion is number 1.
    const listed = await json(['sessions', 'trash']);
    expect(listed.entries.map((entry: { id: string }) => entry.id)).toEqual([second.id, first.id]);
    expect((await json(['sessions', 'trash', 'restore', '2'])).id).toBe(first.id);
    await seed(home, [second]);
    const refused = await jido(['sessions', 'trash', 'restore', second.id.slice(0, 8)], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--new-id');
    expect(refused.stderr).toContain(second.id.slice(0, 8));
    const copy = await json(['sessions', 'trash', 'restore', second.id.slice(0, 8), '--new-id']);
    expect(copy.id).not.toBe(second.id);
    expect((await json(['sessions', 'list'])).sessions).toHaveLength(3);
    const unknown = await jido(['sessions', 'trash', 'restore', 'nothing-like-this'], { home });
    expect(unknown.code).toBe(1);
    const badAction = await jido(['sessions', 'trash', 'burn'], { home });
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('list, restore or empty');
  });

  it('--purge deletes for good; a pinned session needs --force', async () => {
    const [session] = await sessions(1, 33);
    if (session === undefined) throw new Error('fixture');
    await seed(home, [session]);
    const pinned = await json(['sessions', 'pin', session.id]);
    expect(pinned).toEqual({ id: session.id, name: session.name, pinned: true });
    const refused = await jido(['sessions', 'delete', session.id, '--purge'], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pinned');
    expect(refused.stderr).toContain('--force');
    const purged = await json(['sessions', 'delete', session.id, '--purge', '--force']);
    expect(purged).toMatchObject({ id: session.id, deleted: true, purged: true, trashed: false });
    expect((await json(['sessions', 'trash'])).entries).toEqual([]);
    expect(await readdir(join(home, 'sessions'))).toEqual([]);
  });
});

describe('pins (user story: cleanup --max-age → nothing pinned removed → trash empty --older-than)', () => {
  it('list marks pins; cleanup and clear keep them; the trash empties by age with --yes on a pipe', async () => {
    const old = [0, 1, 2].map(() => ({ closed_at: daysAgo(60), updated_at: daysAgo(60) }));
    const all = await sessions(3, 34, old);
    await seed(home, all);
    const [pinnedOne, other, third] = all;
    if (pinnedOne === undefined || other === undefined || third === undefined) throw new Error('fixture');
    expect((await jido(['sessions', 'pin', pinnedOne.id], { home })).stdout).toContain('Pinned session');

    const listed = await json(['sessions', 'list']);
    const flags = Object.fromEntries(
      listed.sessions.map((entry: { id: string; pinned: boolean }) => [entry.id, entry.pinned]),
    );
    expect(flags).toEqual({ [pinnedOne.id]: true, [other.id]: false, [third.id]: false });
    expect((await jido(['sessions', 'list'], { home })).stdout).toMatch(/\(pinned\)/);

    const cleaned = await json(['sessions', 'cleanup', '--max-age', '30', '--yes']);
    expect(cleaned).toMatchObject({
      dry_run: false,
      purged: false,
      pinned: [pinnedOne.id],
      trash_aged_out: 0,
    });
    expect(cleaned.deleted.sort()).toEqual([other.id, third.id].sort());
    const trash = await json(['sessions', 'trash']);
    expect(trash.entries.map((entry: { reason: string }) => entry.reason)).toEqual([
      'cleanup:age',
      'cleanup:age',
    ]);

    const cleared = await jido(['sessions', 'clear', '--yes'], { home });
    expect(cleared.stdout).toContain('kept 1 pinned');
    expect(await readdir(join(home, 'sessions'))).toEqual([`${pinnedOne.id}.json`]);

    const nothing = await json(['sessions', 'trash', 'empty', '--older-than', '1', '--yes']);
    expect(nothing).toEqual({ purged: [] });
    const noConfirm = await jido(['sessions', 'trash', 'empty'], { home });
    expect(noConfirm.code).toBe(1);
    expect(noConfirm.stderr).toContain('--yes');
    expect((await json(['sessions', 'trash'])).entries).toHaveLength(2);
    const emptied = await json(['sessions', 'trash', 'empty', '--yes']);
    expect(emptied.purged.sort()).toEqual([other.id, third.id].sort());
    expect((await json(['sessions', 'trash'])).entries).toEqual([]);

    expect((await json(['sessions', 'unpin', pinnedOne.id])).pinned).toBe(false);
    expect((await json(['sessions', 'list'])).sessions[0].pinned).toBe(false);
  });

  it('the shell pins the active session, and its start prints the automatic removals once', async () => {
    const old = [{ closed_at: daysAgo(60), updated_at: daysAgo(60) }];
    const [stale] = await sessions(1, 35, old);
    if (stale === undefined) throw new Error('fixture');
    await seed(home, [stale]);
    expect((await jido(['sessions', 'cleanup', '--max-age', '30', '--yes'], { home })).code).toBe(0);
    const project = await projectFolder('pinned-project');
    const shell = await jido([], {
      home,
      cwd: project,
      input: `/session new ${project} --name=pinme\n/session pin\n/quit\n`,
    });
    expect(shell.code).toBe(0);
    expect(shell.stderr).toContain(
      "1 session moved to the trash by cleanup (older than 30 days); 'jido sessions trash' lists them.",
    );
    expect(shell.stdout).toContain('Pinned "pinme"');
    const listed = await json(['sessions', 'list']);
    expect(listed.sessions.find((entry: { name: string }) => entry.name === 'pinme')?.pinned).toBe(true);
    const again = await jido([], { home, input: '/quit\n' });
    expect(again.stderr).not.toContain('moved to the trash');
  });

  it('every new command has --help', async () => {
    for (const words of [
      ['sessions', 'trash'],
      ['sessions', 'pin'],
      ['sessions', 'unpin'],
    ]) {
      const help = await jido([...words, '--help'], { home });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: jido ${words.join(' ')}`);
    }
  });
});

describe('a trashed session is never resumed by --last (#17)', () => {
  it('resume --last skips the most recent session once it is in the trash, and says so when all are', {
    timeout: 120_000,
  }, async () => {
    const closed = [3, 2, 1].map((days) => ({ updated_at: daysAgo(days), closed_at: daysAgo(days) }));
    const all = await sessions(3, 36, closed);
    await seed(home, all);
    const [oldest, middle, newest] = all;
    if (oldest === undefined || middle === undefined || newest === undefined) throw new Error('fixture');

    const before = await jido(['resume', '--last'], { home, input: '/quit\n' });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`Resumed session "s3" (${newest.id.slice(0, 8)})`);

    expect((await jido(['sessions', 'delete', newest.id], { home })).code).toBe(0);
    const trashedBytes = await readFile(join(home, 'trash', (await trashFiles())[0] ?? ''));
    const next = await jido(['resume', '--last'], { home, input: '/quit\n' });
    expect(next.code).toBe(0);
    expect(next.stdout).toContain(`Resumed session "s2" (${middle.id.slice(0, 8)})`);
    expect(next.stdout).not.toContain('"s3"');
    // The trashed file was not touched by the resume.
    expect(await readFile(join(home, 'trash', (await trashFiles())[0] ?? ''))).toEqual(trashedBytes);

    expect((await jido(['sessions', 'delete', middle.id], { home })).code).toBe(0);
    expect((await jido(['sessions', 'delete', oldest.id], { home })).code).toBe(0);
    const none = await jido(['resume', '--last'], { home, input: '/quit\n' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There are no saved sessions to resume.');
    expect(none.stdout).not.toContain('Resumed session');
    expect((await json(['sessions', 'trash'])).entries).toHaveLength(3);
  });
});

/** The session files in the trash (not their records). */
async function trashFiles(): Promise<string[]> {
  return (await readdir(join(home, 'trash'))).filter((name) => !name.endsWith('.record.json'));
}

describe('a pin survives export and import (#17)', () => {
  it('export carries pinned: true; import, with and without --new-id, stores it in the signed file', {
    timeout: 120_000,
  }, async () => {
    const [session] = await sessions(1, 37, [{ name: 'keeper' }]);
    if (session === undefined) throw new Error('fixture');
    await seed(home, [session]);
    expect((await jido(['sessions', 'pin', 'keeper'], { home })).code).toBe(0);
    const exportFile = join(await projectFolder('exports'), 'keeper.json');
    expect((await jido(['sessions', 'export', 'keeper', '--output', exportFile], { home })).code).toBe(0);
    const exported = JSON.parse(await readFile(exportFile, 'utf8'));
    expect(exported.pinned).toBe(true);
    expect(exported.signature).toBeUndefined();

    // Gone for good (a pinned session needs --force), then back from the export under its own id.
    expect((await jido(['sessions', 'delete', 'keeper', '--purge', '--force'], { home })).code).toBe(0);
    expect((await json(['sessions', 'list'])).sessions).toEqual([]);
    const imported = await json(['sessions', 'import', exportFile]);
    expect(imported.id).toBe(session.id);
    const copy = await json(['sessions', 'import', exportFile, '--new-id']);
    expect(copy.id).not.toBe(session.id);

    const listed = await json(['sessions', 'list']);
    const pins = Object.fromEntries(
      listed.sessions.map((entry: { id: string; pinned: boolean }) => [entry.id, entry.pinned]),
    );
    expect(pins).toEqual({ [session.id]: true, [copy.id]: true });
    for (const id of [session.id, copy.id]) {
      const file = JSON.parse(await readFile(join(home, 'sessions', `${id}.json`), 'utf8'));
      expect(file.pinned).toBe(true);
      expect(typeof file.signature).toBe('string');
    }
    // Loaded through the store, so the signature over the pinned document verifies.
    expect((await storedSession(home, 'keeper')).pinned).toBe(true);
    const verified = await json(['sessions', 'verify']);
    expect(verified).toMatchObject({ checked: 2, unsigned: [], failed: [] });
    expect([...verified.valid].sort()).toEqual([session.id, copy.id].sort());
    // The pin keeps the imported session through clear.
    const cleared = await jido(['sessions', 'clear', '--yes'], { home });
    expect(cleared.stdout).toContain('kept 2 pinned');
  });
});
