/**
 * The check a search makes first (is any session written since it was indexed?) reads the partial
 * index of stale rows, not every session: a save through the store leaves its row current; a write
 * that does not index (here by hand, as an older release or a restore would) makes the row stale
 * and the next search indexes it; rows an older release indexed (recorded in `search_revisions`
 * only) are adopted without loading the session again.
 */
import { silentLogger } from '@jido-code/core-schema';
import { expect, it } from 'vitest';
import { PostgresSearch } from '../src/postgres-search.js';
import { storeForFile } from './support/file-store.js';
import { testSession } from './support/sessions.js';

const store = storeForFile();

function withMessages(name: string, contents: string[]) {
  const session = testSession({ name, project_path: '/tmp/search-staleness' }, 0);
  session.conversation = contents.map((content, index) => ({
    id: `${name}-${index}`,
    role: 'user' as const,
    content,
    timestamp: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
  }));
  return session;
}

/** A search provider over the file's store that counts the sessions it loads. */
function countingSearch() {
  const counter = { loads: [] as string[] };
  const search = new PostgresSearch(
    store().backend.db,
    store().backend.schema,
    async (id) => {
      counter.loads.push(id);
      return store().load(id);
    },
    silentLogger,
  );
  return { search, counter };
}

async function staleIds(): Promise<string[]> {
  const { rows } = await store().backend.db.query<{ id: string }>(
    `SELECT id FROM ${store().backend.schema}.sessions WHERE search_revision IS DISTINCT FROM revision`,
  );
  return rows.map((row) => row.id);
}

async function names(search: PostgresSearch, text: string): Promise<string[]> {
  const found = await search.search(text);
  if (!found.ok) throw found.error;
  return found.value.results.map((result) => result.name).sort();
}

it('saves leave nothing stale; a write that does not index is found and indexed by the next search', async () => {
  const session = withMessages('theta', ['a narwhal in the fjord']);
  expect((await store().save(session)).ok).toBe(true);
  expect((await store().save({ ...session, name: 'theta' })).ok).toBe(true);
  expect(await staleIds()).toEqual([]);
  const { search, counter } = countingSearch();
  expect(await names(search, 'narwhal')).toEqual(['theta']);
  // Only the candidate was loaded (to verify it): nothing was re-indexed.
  expect(counter.loads).toEqual([session.id]);

  // The row rewritten as an older release's save would: revision bumped, nothing indexed.
  const { db, schema } = store().backend;
  const renamed = withMessages('theta', ['a beluga in the fjord']);
  renamed.id = session.id;
  expect((await store().save(renamed)).ok).toBe(true);
  await db.query(
    `UPDATE ${schema}.sessions SET revision = revision + 1, search_revision = NULL WHERE id = $1`,
    [session.id],
  );
  await db.query(`UPDATE ${schema}.search_revisions SET revision = 0 WHERE session_id = $1`, [session.id]);
  expect(await staleIds()).toEqual([session.id]);
  counter.loads.length = 0;
  expect(await names(search, 'beluga')).toEqual(['theta']);
  expect(counter.loads.filter((id) => id === session.id).length).toBe(2);
  expect(await staleIds()).toEqual([]);
  expect(await names(search, 'narwhal')).toEqual([]);
});

it('rows indexed by an older release are adopted from search_revisions without loading them', async () => {
  const { db, schema } = store().backend;
  const session = withMessages('iota', ['a pangolin on the roof']);
  expect((await store().save(session)).ok).toBe(true);
  // As migration 6 finds a store: indexed (search_revisions at the row's revision), column unset.
  await db.query(`UPDATE ${schema}.sessions SET search_revision = NULL WHERE id = $1`, [session.id]);
  expect(await staleIds()).toEqual([session.id]);
  const { search, counter } = countingSearch();
  const refreshed = await search.search('nothing matches this');
  expect(refreshed.ok).toBe(true);
  expect(counter.loads).toEqual([]);
  expect(await staleIds()).toEqual([]);
  expect(await names(search, 'pangolin')).toEqual(['iota']);
});

it('a rebuild re-indexes every session, and the stale check reads the partial index', async () => {
  const { db, schema } = store().backend;
  const { search, counter } = countingSearch();
  const rebuilt = await search.rebuild();
  expect(rebuilt.ok && rebuilt.value.indexed).toBeGreaterThan(0);
  const { rows: all } = await db.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM ${schema}.sessions`,
  );
  expect(counter.loads.length).toBe(all[0]?.n);
  expect(await staleIds()).toEqual([]);
  const plan = await db.transaction(async () => {
    await db.query('SET LOCAL enable_seqscan = off');
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id, revision FROM ${schema}.sessions
       WHERE search_revision IS DISTINCT FROM revision AND (NULL::uuid IS NULL OR id > NULL::uuid)
       ORDER BY id LIMIT 500`,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  expect(plan).toContain('sessions_search_stale');
});

it('more stale sessions than one batch are all handled before the search answers', async () => {
  const { db, schema } = store().backend;
  const session = withMessages('kappa', ['a wombat in the burrow']);
  expect((await store().save(session)).ok).toBe(true);
  // 520 rows copied by hand under new ids (as a bad restore would): stale, and none of them loads.
  await db.query(
    `INSERT INTO ${schema}.sessions (id, document, size_bytes, name, project_path)
     SELECT gen_random_uuid(), document, size_bytes, name, project_path
     FROM ${schema}.sessions, generate_series(1, 520) WHERE id = $1`,
    [session.id],
  );
  // And the real one written without indexing after its index rows were lost.
  await db.query(`UPDATE ${schema}.sessions SET search_revision = NULL WHERE id = $1`, [session.id]);
  await db.query(`DELETE FROM ${schema}.search_revisions WHERE session_id = $1`, [session.id]);
  await db.query(`DELETE FROM ${schema}.search_messages WHERE session_id = $1`, [session.id]);
  expect((await staleIds()).length).toBe(521);
  const { search, counter } = countingSearch();
  expect(await names(search, 'wombat')).toEqual(['kappa']);
  expect(new Set(counter.loads).size).toBe(521);
  expect(await staleIds()).toEqual([]);
  counter.loads.length = 0;
  expect(await names(search, 'wombat')).toEqual(['kappa']);
  expect(counter.loads).toEqual([session.id]);
  // The copies go, or the store's count limit would refuse the next tests' saves.
  await db.query(`DELETE FROM ${schema}.sessions WHERE name = 'kappa' AND id <> $1`, [session.id]);
});

it('a re-save of the same messages writes no search row; new messages are indexed by the save', async () => {
  const { db, schema } = store().backend;
  const session = withMessages('lambda', ['a tapir by the river']);
  expect((await store().save(session)).ok).toBe(true);
  const versions = async () =>
    (
      await db.query<{ version: string }>(
        `SELECT xmin::text AS version FROM ${schema}.search_revisions WHERE session_id = $1
         UNION ALL
         SELECT xmin::text FROM ${schema}.search_messages WHERE session_id = $1`,
        [session.id],
      )
    ).rows.map((row) => row.version);
  const before = await versions();
  expect(before).toHaveLength(2);
  expect((await store().save({ ...session, name: 'lambda, renamed' })).ok).toBe(true);
  expect(await versions()).toEqual(before);
  expect(await staleIds()).toEqual([]);
  // Saved again by this process with the same messages: the rows are not even sent.
  expect((await store().save({ ...session, name: 'lambda, renamed' })).ok).toBe(true);
  expect(await versions()).toEqual(before);
  expect(await staleIds()).toEqual([]);
  const { search, counter } = countingSearch();
  expect(await names(search, 'tapir')).toEqual(['lambda, renamed']);
  expect(counter.loads).toEqual([session.id]);

  const longer = withMessages('lambda', ['a tapir by the river', 'and a capybara']);
  longer.id = session.id;
  expect((await store().save(longer)).ok).toBe(true);
  expect(await versions()).not.toEqual(before);
  expect(await staleIds()).toEqual([]);
  expect(await names(search, 'capybara')).toEqual(['lambda']);
});

it('a session dropped from the index for failing to load is indexed again when saved unchanged', async () => {
  const { db, schema } = store().backend;
  const session = withMessages('mu', ['a quetzal in the canopy']);
  expect((await store().save(session)).ok).toBe(true);
  // Overwritten by hand with bytes that do not load: the next search drops its rows.
  await db.query(
    `UPDATE ${schema}.sessions SET document = convert_to('not json', 'UTF8'), revision = revision + 1
     WHERE id = $1`,
    [session.id],
  );
  const { search } = countingSearch();
  expect(await names(search, 'quetzal')).toEqual([]);
  expect(await staleIds()).toEqual([]);
  // Saved again with the very messages indexed before the drop: its rows must come back.
  expect((await store().save(session)).ok).toBe(true);
  expect(await names(search, 'quetzal')).toEqual(['mu']);
});

it('rows not sent because this process expected them unchanged leave the row stale if they changed', async () => {
  const { db, schema } = store().backend;
  const session = withMessages('nu', ['an axolotl in the lake']);
  expect((await store().save(session)).ok).toBe(true);
  expect((await store().save({ ...session, name: 'nu' })).ok).toBe(true);
  // Another process indexed other rows for it meanwhile (its digest is no longer this one).
  await db.query(`DELETE FROM ${schema}.search_messages WHERE session_id = $1`, [session.id]);
  await db.query(`UPDATE ${schema}.search_revisions SET digest = '\\x00'::bytea WHERE session_id = $1`, [
    session.id,
  ]);
  await db.query(`UPDATE ${schema}.sessions SET search_digest = '\\x00'::bytea WHERE id = $1`, [session.id]);
  expect((await store().save({ ...session, name: 'nu' })).ok).toBe(true);
  expect(await staleIds()).toEqual([session.id]);
  const { search } = countingSearch();
  expect(await names(search, 'axolotl')).toEqual(['nu']);
  expect(await staleIds()).toEqual([]);
  // The next save sends the rows again and leaves the row current.
  expect((await store().save({ ...session, name: 'nu' })).ok).toBe(true);
  expect(await staleIds()).toEqual([]);
});
