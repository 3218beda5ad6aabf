/**
 * The search verifies candidates in rank order only until the top `limit` are confirmed: its
 * results equal ranking every session by a verified scan, while loading no more sessions than that
 * takes; a candidate the index ranks high but that fails verification (or matches fewer messages
 * than the index counted) is passed over, never shown.
 */
import { silentLogger } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { parseSearchQuery, rankCandidates } from '@jido-code/storage/search';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { PostgresSearch } from '../src/postgres-search.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const options = { url: database.url, schema: database.newSchema() };
let store: SessionStore<PostgresBackend>;
let loads = 0;
let search: PostgresSearch;
const ids: string[] = [];

/** A deterministic pseudo-random sequence (the corpus must not change from run to run). */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

beforeAll(async () => {
  store = await openConformanceStore(options, {});
  const random = sequence(7);
  for (let index = 0; index < 40; index++) {
    const words = ['marmot burrow', 'marmot', 'otter marmot', 'burrow', 'nothing here'];
    const count = 1 + Math.floor(random() * 12);
    const session = testSession(
      {
        name: `s${index}`,
        updated_at: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
      },
      0,
    );
    session.conversation = Array.from({ length: count }, (_, ordinal) => ({
      id: `m${ordinal}`,
      role: ordinal % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `${words[Math.floor(random() * words.length)]} ${ordinal}`,
      timestamp: new Date(Date.UTC(2026, 0, 1 + ordinal)).toISOString(),
    }));
    const saved = await store.save(session);
    if (!saved.ok) throw saved.error;
    ids.push(session.id);
  }
  const { db, schema } = store.backend;
  search = new PostgresSearch(
    db,
    schema,
    async (id) => {
      loads += 1;
      return store.load(id);
    },
    silentLogger,
  );
});

afterAll(async () => {
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

/** Every session loaded, verified and ranked: what the search must answer. */
async function oracle(text: string, limit: number, filters: { role?: 'user' | 'assistant' } = {}) {
  const query = parseSearchQuery(text);
  if (!query.ok) throw query.error;
  const load = async (id: string) => {
    const loaded = await store.load(id);
    return loaded.ok ? { session: loaded.value.session, contentHash: '' } : undefined;
  };
  return rankCandidates(ids, load, query.value, filters, limit);
}

const ranking = (results: readonly { id: string; score: number; updated_at: string }[]) =>
  results.map((result) => `${result.score}@${result.updated_at}:${result.id}`);

it('answers as ranking every session would, for words, phrases, exclusions and filters', async () => {
  for (const text of ['marmot', '"marmot burrow"', 'marmot -otter', 'burrow', 'marm', 'absent']) {
    for (const limit of [1, 3, 10, 50]) {
      for (const filters of [{}, { role: 'assistant' as const }]) {
        const found = await search.search(text, { limit, ...filters });
        if (!found.ok) throw found.error;
        expect(ranking(found.value.results), `${text} top ${limit}`).toEqual(
          ranking(await oracle(text, limit, filters)),
        );
      }
    }
  }
});

it('loads only the candidates it needs: the top N, when each verifies with its indexed count', async () => {
  loads = 0;
  const found = await search.search('burrow', { limit: 3 });
  expect(found.ok && found.value.results.length).toBe(3);
  // Every message holding "burrow" matches it exactly, so each candidate's score is its hit count
  // and the fourth cannot outrank the third: no load past the top 3 (the same sessions as the scan).
  expect(loads).toBe(3);
  loads = 0;
  const all = await search.search('burrow', { limit: 100 });
  expect(all.ok && all.value.results.length).toBeGreaterThan(10);
  expect(loads).toBe(all.ok ? all.value.results.length : -1);
});

it('passes over a top candidate whose document was changed behind the store', async () => {
  const before = await search.search('marmot', { limit: 2 });
  if (!before.ok) throw before.error;
  const top = before.value.results[0];
  if (top === undefined) throw new Error('no result');
  const { db, schema } = store.backend;
  const bytes = Buffer.from((await store.backend.read(top.id)).bytes).toString('utf8');
  await db.query(`UPDATE ${schema}.sessions SET document = $2 WHERE id = $1`, [
    top.id,
    new TextEncoder().encode(bytes.replace('"s', '"forged s')),
  ]);
  const after = await search.search('marmot', { limit: 2 });
  if (!after.ok) throw after.error;
  expect(after.value.results.map((result) => result.id)).not.toContain(top.id);
  expect(ranking(after.value.results)).toEqual(ranking(await oracle('marmot', 2)));
  expect(after.value.results[0]?.id).toBe(before.value.results[1]?.id);
});
