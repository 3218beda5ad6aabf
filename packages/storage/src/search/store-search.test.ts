import { copyFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@jido-code/core-schema';
import { errnoError } from '@jido-code/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, sessionFixture } from '../../test/fixtures.js';
import type { FileSystem } from '../fs/file-system.js';
import type { SessionStore } from '../session-store.js';
import { contentHashOf, fileSearchSource } from './file-search-source.js';
import { StoreSearch } from './store-search.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function searchOf(
  store: SessionStore,
  fs: FileSystem = store.backend.fs,
  rankingWindow?: number,
): StoreSearch {
  const search = new StoreSearch({
    rankingWindow,
    fs,
    path: join(store.backend.home, 'index', 'search.db'),
    sessionFile: (id) => join(store.backend.sessionsDir, `${id}.json`),
    source: fileSearchSource({ fs, sessionsDir: store.backend.sessionsDir, load: (id) => store.load(id) }),
    logger: silentLogger,
  });
  cleanups.push(async () => search.close());
  return search;
}

/** The store's file system, with every open of the index failing with `code`. */
function failingIndexOpens(store: SessionStore, code: string): FileSystem {
  return {
    ...store.backend.fs,
    open: (path, flags, mode) =>
      path.endsWith('search.db')
        ? Promise.reject(errnoError(code, 'open'))
        : store.backend.fs.open(path, flags, mode),
  };
}

async function setup() {
  const opened = await openTestStore();
  cleanups.push(opened.cleanup);
  return opened;
}

function message(content: string) {
  return { id: crypto.randomUUID(), role: 'user' as const, content, timestamp: new Date().toISOString() };
}

async function ids(search: StoreSearch, text: string) {
  const outcome = await search.search(text);
  if (!outcome.ok) throw outcome.error;
  return outcome.value.results.map((result) => result.id).sort();
}

describe('StoreSearch over a real home', () => {
  it('says when a query matched more messages than it ranks', async () => {
    const { store } = await setup();
    await store.save(
      sessionFixture({ conversation: ['alpha one', 'alpha two', 'alpha three'].map(message) }),
    );
    const narrow = await searchOf(store, store.backend.fs, 2).search('alpha');
    if (!narrow.ok) throw narrow.error;
    expect(narrow.value.notices).toEqual([
      'More than 2 messages match; ranked the 2 most recent. Add words to narrow the search.',
    ]);
    expect(narrow.value.results[0]?.matches.map((match) => match.message_index).sort()).toEqual([2, 3]);
    const wide = await searchOf(store, store.backend.fs, 3).search('alpha');
    if (!wide.ok) throw wide.error;
    expect(wide.value.notices).toEqual([]);
  });

  it('builds a private index on first use and returns sessions with snippets, checked against their files', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('Please fix the flaky login test\nin CI')] });
    await store.save(session);
    const search = searchOf(store);
    const outcome = await search.search('flaky LOGIN');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.mode).toBe('index');
    expect(outcome.value.results).toHaveLength(1);
    const [result] = outcome.value.results;
    expect(result?.id).toBe(session.id);
    expect(result?.matches[0]).toMatchObject({ message_index: 1, role: 'user' });
    const snippet = result?.matches[0]?.snippet;
    expect(snippet?.text).toBe('Please fix the flaky login test in CI');
    expect(snippet?.highlights.map(([from, to]) => snippet.text.slice(from, to))).toEqual(['flaky', 'login']);
    expect((await stat(join(store.backend.home, 'index', 'search.db'))).mode & 0o777).toBe(0o600);
  });

  it('never returns a file edited behind its back, re-indexes a re-saved one and forgets a deleted one', async () => {
    const { store } = await setup();
    const kept = sessionFixture({ conversation: [message('alpha bravo')] });
    const tampered = sessionFixture({ conversation: [message('alpha charlie')] });
    await store.save(kept);
    await store.save(tampered);
    const search = searchOf(store);
    expect(await ids(search, 'alpha')).toEqual([kept.id, tampered.id].sort());

    const path = join(store.backend.sessionsDir, `${tampered.id}.json`);
    await writeFile(path, (await readFile(path, 'utf8')).replace('alpha charlie', 'alpha delta!'));
    expect(await ids(search, 'alpha')).toEqual([kept.id]);
    expect(await ids(search, 'delta')).toEqual([]);

    // Another writer (a second store on the same home) adds a message: the next search sees it.
    const other = await openTestStoreOn(store.backend.home);
    await other.save({ ...kept, conversation: [...kept.conversation, message('echo foxtrot')] });
    expect(await ids(search, 'foxtrot')).toEqual([kept.id]);

    await other.delete(kept.id);
    expect(await ids(search, 'alpha')).toEqual([]);
  });

  it('re-checks a session changed in place behind a settled folder by its one file, without listing the folder', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('alpha golf')] });
    await store.save(session);
    // The same session, re-signed with the same keyring in another home: a valid newer file.
    const otherHome = await mkdtemp(join(tmpdir(), 'jido-search-other-'));
    cleanups.push(() => rm(otherHome, { recursive: true, force: true }));
    await mkdir(join(otherHome, 'keys'), { recursive: true, mode: 0o700 });
    await copyFile(join(store.backend.home, 'keys', 'keyring.json'), join(otherHome, 'keys', 'keyring.json'));
    const other = await openTestStoreOn(otherHome);
    const saved = await other.save({ ...session, conversation: [message('hotel india')] });
    if (!saved.ok) throw saved.error;
    let listings = 0;
    const fs: FileSystem = {
      ...store.backend.fs,
      readdir: (path) => {
        listings += 1;
        return store.backend.fs.readdir(path);
      },
    };
    const search = searchOf(store, fs);
    const settledAt = new Date(Date.now() - 3_600_000);
    await utimes(store.backend.sessionsDir, settledAt, settledAt);
    expect(await ids(search, 'alpha')).toEqual([session.id]);
    // Rewritten in place: the folder's mtime does not move, so only the per-hit check can see it.
    await writeFile(
      join(store.backend.sessionsDir, `${session.id}.json`),
      await readFile(join(otherHome, 'sessions', `${session.id}.json`)),
    );
    await utimes(store.backend.sessionsDir, settledAt, settledAt);
    listings = 0;
    expect(await ids(search, 'alpha')).toEqual([]);
    expect(await ids(search, 'hotel')).toEqual([session.id]);
    expect(listings).toBe(0);
  });

  it('keeps an existing index current on save, indexing only what is new', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('first words')] });
    await store.save(session);
    const search = searchOf(store);
    expect(await ids(search, 'first')).toEqual([session.id]);
    const grown = { ...session, conversation: [...session.conversation, message('second words')] };
    await store.save(grown);
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    await search.indexSaved(loaded.value.session, contentHashOf(loaded.value.session));
    const outcome = await search.search('second');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.results[0]?.matches[0]?.message_index).toBe(2);
  });

  it('rebuilds a corrupt index with a notice', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('golf hotel')] });
    await store.save(session);
    const path = join(store.backend.home, 'index', 'search.db');
    await writeFile(path, 'this is not a database', { mode: 0o600 });
    const search = searchOf(store);
    const outcome = await search.search('golf');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.results.map((result) => result.id)).toEqual([session.id]);
    expect(outcome.value.notices).toEqual(['The search index was unusable and has been rebuilt.']);
    expect(outcome.value.mode).toBe('index');
  });

  it('rebuilds an index whose damage only a query meets, and answers from the rebuilt one', async () => {
    const { store } = await setup();
    const sessions = Array.from({ length: 30 }, (_, at) =>
      sessionFixture({ conversation: [message(`golf hotel ${at} ${'filler text '.repeat(40)}`)] }),
    );
    for (const session of sessions) await store.save(session);
    const first = searchOf(store);
    const built = await first.search('golf', { limit: 50 });
    if (!built.ok) throw built.error;
    expect(built.value.results).toHaveLength(30);
    first.close();
    // Overwrite the FTS5 data pages (the tokens), leaving the schema and the bookkeeping tables
    // readable, so the index opens and only the query meets the damage.
    const path = join(store.backend.home, 'index', 'search.db');
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(path, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'messages_data'").pluck().get();
    db.close();
    const bytes = await readFile(path);
    bytes.fill(0xa5, (root - 1) * pageSize, root * pageSize);
    await writeFile(path, bytes);
    const outcome = await searchOf(store).search('golf', { limit: 50 });
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.notices).toEqual(['The search index was unusable and has been rebuilt.']);
    expect(outcome.value.mode).toBe('index');
    expect(outcome.value.results.map((result) => result.id).sort()).toEqual(
      sessions.map((session) => session.id).sort(),
    );
  });

  it('scans every file, and says so, when the index cannot be written', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('india juliet')] });
    await store.save(session);
    const search = searchOf(store, failingIndexOpens(store, 'EROFS'));
    const outcome = await search.search('juliet');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.mode).toBe('scan');
    expect(outcome.value.results.map((result) => result.id)).toEqual([session.id]);
    expect(outcome.value.notices[0]).toMatch(/cannot be written/);
  });

  it('leaves an index it cannot open for a reason other than damage in place, and scans', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('kilo lima')] });
    await store.save(session);
    const built = await searchOf(store).search('kilo');
    expect(built.ok && built.value.mode).toBe('index');
    const path = join(store.backend.home, 'index', 'search.db');
    const before = await stat(path);
    const outcome = await searchOf(store, failingIndexOpens(store, 'EACCES')).search('kilo');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.mode).toBe('scan');
    expect(outcome.value.results.map((result) => result.id)).toEqual([session.id]);
    const after = await stat(path);
    expect([after.ino, after.size]).toEqual([before.ino, before.size]);
  });

  it('rebuilds an index written in another format, with a notice', async () => {
    const { store } = await setup();
    const session = sessionFixture({ conversation: [message('mike november')] });
    await store.save(session);
    expect((await searchOf(store).search('mike')).ok).toBe(true);
    const path = join(store.backend.home, 'index', 'search.db');
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'format'").run();
    db.close();
    const outcome = await searchOf(store).search('november');
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.notices).toEqual(['The search index was unusable and has been rebuilt.']);
    expect(outcome.value.mode).toBe('index');
    expect(outcome.value.results.map((result) => result.id)).toEqual([session.id]);
  });

  it('refuses a query with nothing to search for, naming the problem', async () => {
    const { store } = await setup();
    const outcome = await searchOf(store).search('"" -- ***');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/at least one word/);
  });
});

async function openTestStoreOn(home: string): Promise<SessionStore> {
  const { SessionStore } = await import('../session-store.js');
  const opened = await SessionStore.open({ env: {}, home });
  if (!opened.ok) throw opened.error;
  return opened.value;
}
