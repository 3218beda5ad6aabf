// `jido sessions sync --to/--from` between a file home and PostgreSQL, both directions: missing
// sessions copied, a conflict won by the newer updated_at with the loser in the trash of its own
// side, --dry-run changing nothing, the report in text and --json, and the usage errors.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { jidoInProcess, projectFolder, seed } from './jido.js';
import { freshStoreUrl, testDatabase } from './postgres.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();

interface Report {
  dry_run: boolean;
  copied: number;
  updated: number;
  kept: number;
  entries: { id: string; name: string; action: string; side: string; reason: string }[];
}

async function run(args: string[], home: string) {
  const done = await jidoInProcess(args, { home });
  expect(done.stderr).toBe('');
  expect(done.code).toBe(0);
  return done.stdout;
}

async function json<T>(args: string[], home: string): Promise<T> {
  return JSON.parse(await run([...args, '--json'], home)) as T;
}

/** Live names and trashed names of a store, by id. */
async function state(store: string[], home: string) {
  const live = await json<{ sessions: { id: string; name: string }[] }>([...store, 'sessions', 'list'], home);
  const trash = await json<{ entries: { id: string; name: string }[] }>(
    [...store, 'sessions', 'trash'],
    home,
  );
  const byId = (entries: { id: string; name: string }[]) =>
    Object.fromEntries([...entries].sort((a, b) => a.id.localeCompare(b.id)).map((e) => [e.id, e.name]));
  return { live: byId(live.sessions), trash: byId(trash.entries) };
}

async function importInto(url: string, home: string, sessions: readonly Session[]) {
  const folder = await temporaryFolder('sync-import', 'jido-sync-');
  for (const session of sessions) {
    const file = join(folder, `${session.id}.json`);
    await writeFile(file, JSON.stringify(session));
    await run(['--store', url, 'sessions', 'import', file], home);
  }
}

describe(`jido sessions sync with PostgreSQL (${testDatabase().kind})`, () => {
  it('--to and --from: copies, resolves conflicts by updated_at into the loser’s trash, --dry-run changes nothing', async () => {
    const home = join(await temporaryFolder('sync-home', 'jido-sync-'), 'home');
    const url = freshStoreUrl();
    const project = await projectFolder();
    const factory = new SessionFactory({ seed: 61 });
    const make = (name: string, updated: number, id?: string) =>
      factory.session({
        ...(id === undefined ? {} : { id }),
        name,
        project_path: project,
        created_at: day(0),
        updated_at: day(updated),
        closed_at: day(updated),
      });
    const onlyHome = make('only-home', 1);
    const homeNewer = make('two-home-newer', 3);
    const pgOlder = make('two-pg-older', 2, homeNewer.id);
    const homeOlder = make('three-home-older', 1);
    const pgNewer = make('three-pg-newer', 4, homeOlder.id);
    const onlyPg = make('only-pg', 2);
    await seed(home, [onlyHome, homeNewer, homeOlder]);
    await importInto(url, home, [pgOlder, pgNewer, onlyPg]);
    const pg = ['--store', url];
    const before = { home: await state([], home), pg: await state(pg, home) };

    const dry = await json<Report>(['sessions', 'sync', '--to', url, '--dry-run'], home);
    expect({ home: await state([], home), pg: await state(pg, home) }).toEqual(before);
    const wet = await json<Report>(['sessions', 'sync', '--to', url], home);
    const actions = (report: Report) =>
      Object.fromEntries(report.entries.map((entry) => [entry.name, `${entry.action}:${entry.side}`]));
    const expected = {
      'only-home': 'copied:target',
      'two-home-newer': 'updated:target',
      'three-home-older': 'updated:source',
      'only-pg': 'kept:none',
    };
    expect(actions(dry)).toEqual(expected);
    expect(actions(wet)).toEqual(expected);
    expect([dry.dry_run, wet.dry_run, wet.copied, wet.updated, wet.kept]).toEqual([true, false, 1, 2, 1]);

    // Each conflict: the winner live on both sides, the loser in the trash of its own side.
    const home1 = await state([], home);
    const pg1 = await state(pg, home);
    expect(pg1.live).toEqual(
      Object.fromEntries(
        [
          [onlyHome.id, 'only-home'],
          [homeNewer.id, 'two-home-newer'],
          [homeOlder.id, 'three-pg-newer'],
          [onlyPg.id, 'only-pg'],
        ].sort(([a = ''], [b = '']) => a.localeCompare(b)),
      ),
    );
    expect(pg1.trash).toEqual({ [homeNewer.id]: 'two-pg-older' });
    expect(home1.trash).toEqual({ [homeOlder.id]: 'three-home-older' });
    expect(home1.live[homeOlder.id]).toBe('three-pg-newer');
    expect(home1.live[onlyPg.id]).toBeUndefined();

    // --from: the session only in PostgreSQL comes home; a rename there (newer) wins over the home.
    await run([...pg, 'sessions', 'rename', 'only-home', 'renamed-in-pg'], home);
    const text = await run(['sessions', 'sync', '--from', url, '--dry-run'], home);
    expect(text).toMatch(/^Would sync from postgres:\/\/.* \(source\) to .* \(target\)\.\n/);
    expect(text).toContain('would copy');
    expect(text).toMatch(/Dry run: 1 copied, 1 updated, 2 kept; nothing was changed\.\n$/);
    expect(await state([], home)).toEqual(home1);
    const back = await json<Report>(['sessions', 'sync', '--from', url], home);
    expect(actions(back)).toEqual({
      'renamed-in-pg': 'updated:target',
      'only-pg': 'copied:target',
      'two-home-newer': 'kept:none',
      'three-pg-newer': 'kept:none',
    });
    const home2 = await state([], home);
    expect(home2.live[onlyPg.id]).toBe('only-pg');
    expect(home2.live[onlyHome.id]).toBe('renamed-in-pg');
    expect(home2.trash).toEqual({ [homeOlder.id]: 'three-home-older', [onlyHome.id]: 'only-home' });
    // A second sync finds nothing to do.
    const again = await json<Report>(['sessions', 'sync', '--to', url], home);
    expect([again.copied, again.updated, again.kept]).toEqual([0, 0, 4]);
  }, 900_000);

  it('needs exactly one of --to and --from, and not this same store (exit 2); --help exits 0', async () => {
    const home = join(await temporaryFolder('sync-usage', 'jido-sync-'), 'home');
    for (const args of [[], ['--to', 'a', '--from', 'b'], ['--to', home]]) {
      const done = await jidoInProcess(['sessions', 'sync', ...args], { home });
      expect(done.code).toBe(2);
      expect(done.stderr).toMatch(/^jido: .*Run 'jido sessions sync --help' for usage\.\n$/);
    }
    const help = await jidoInProcess(['sessions', 'sync', '--help'], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
  });
});
