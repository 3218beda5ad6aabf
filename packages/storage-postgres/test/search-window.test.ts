/**
 * A query matching more messages than the ranking window is ranked among the `window` most
 * recently indexed of them, as the SQLite index ranks, and says so: its results equal ranking every
 * session by a verified scan that counts only the messages in that window (the window being the
 * newest messages holding the query's words, in the order they were saved: a session's messages
 * appended by a later save are newer than every message saved before).
 */
import { type Session, silentLogger } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { parseSearchQuery, rankCandidates, rankingWindowNotice } from '@jido-code/storage/search';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { PostgresSearch } from '../src/postgres-search.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const options = { url: database.url, schema: database.newSchema() };
const window = 25;
let store: SessionStore<PostgresBackend>;
let search: PostgresSearch;
const sessions = new Map<string, Session>();
/** Every message in the order it was first saved: [session id, position]. */
const saved: [string, number][] = [];

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
  const random = sequence(11);
  const words = ['marmot burrow', 'marmot', 'otter marmot', 'burrow', 'nothing here'];
  const message = (ordinal: number) => ({
    id: `m${ordinal}`,
    role: ordinal % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `${words[Math.floor(random() * words.length)]} ${ordinal}`,
    timestamp: new Date(Date.UTC(2026, 0, 1 + ordinal)).toISOString(),
  });
  const save = async (session: ReturnType<typeof testSession>, from: number) => {
    const result = await store.save(session);
    if (!result.ok) throw result.error;
    for (let ordinal = from; ordinal < session.conversation.length; ordinal++)
      saved.push([session.id, ordinal]);
  };
  const first: ReturnType<typeof testSession>[] = [];
  for (let index = 0; index < 30; index++) {
    // Updated times in no relation to the save order, so recency and the tie-break differ.
    const session = testSession(
      { name: `s${index}`, updated_at: new Date(Date.UTC(2026, 0, 1, 0, (index * 7) % 30)).toISOString() },
      0,
    );
    session.conversation = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, ordinal) =>
      message(ordinal),
    );
    await save(session, 0);
    first.push(session);
  }
  // Some early sessions grow later: their new messages are the newest.
  for (const session of first.slice(0, 6)) {
    const from = session.conversation.length;
    session.conversation.push(message(from), message(from + 1), message(from + 2));
    await save(session, from);
  }
  for (const session of first) {
    const loaded = await store.load(session.id);
    if (!loaded.ok) throw loaded.error;
    sessions.set(session.id, loaded.value.session);
  }
  const { db, schema } = store.backend;
  search = new PostgresSearch(db, schema, (id) => store.load(id), silentLogger, { rankingWindow: window });
});

afterAll(async () => {
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

/**
 * Every session ranked by the scan, counting only the `window` newest messages that hold the
 * query's words (exclusions are checked on the counted messages, as the index leaves them to the
 * verification), and whether more than `window` messages held them.
 */
async function oracle(text: string, limit: number, filters: { role?: 'user' | 'assistant' } = {}) {
  const query = parseSearchQuery(text);
  if (!query.ok) throw query.error;
  const load = async (id: string) => ({ session: sessions.get(id) as Session, contentHash: '' });
  const words = { include: query.value.include, exclude: [] };
  const holding: [string, number][] = [];
  for (const [id, ordinal] of saved) {
    const found = await rankCandidates([id], load, words, filters, 1, new Set([ordinal]));
    if (found.length > 0) holding.push([id, ordinal]);
  }
  const counted = holding.slice(-window);
  const results = [];
  for (const id of sessions.keys()) {
    const within = new Set(counted.filter(([of]) => of === id).map(([, ordinal]) => ordinal));
    results.push(...(await rankCandidates([id], load, query.value, filters, 1, within)));
  }
  results.sort((left, right) => right.score - left.score || (left.updated_at < right.updated_at ? 1 : -1));
  return { results: results.slice(0, limit), windowed: holding.length > window };
}

const ranking = (results: readonly { id: string; score: number; updated_at: string; matches: unknown }[]) =>
  results.map(
    (result) => `${result.score}@${result.updated_at}:${result.id} ${JSON.stringify(result.matches)}`,
  );

it('ranks among the newest matches in the window, as ranking every session within it would', async () => {
  let windowedQueries = 0;
  for (const text of ['marmot', 'burrow', 'marmot -otter', '"marmot burrow"', 'otter', 'absent']) {
    for (const limit of [1, 3, 10, 50]) {
      for (const filters of [{}, { role: 'assistant' as const }]) {
        const found = await search.search(text, { limit, ...filters });
        if (!found.ok) throw found.error;
        const expected = await oracle(text, limit, filters);
        expect(ranking(found.value.results), `${text} top ${limit} ${JSON.stringify(filters)}`).toEqual(
          ranking(expected.results),
        );
        expect(found.value.notices).toEqual(expected.windowed ? [rankingWindowNotice(window)] : []);
        if (expected.windowed) windowedQueries += 1;
      }
    }
  }
  // The corpus must exercise both: queries over the window and queries within it.
  expect(windowedQueries).toBeGreaterThan(8);
  expect(windowedQueries).toBeLessThan(48);
});

it("with a window wider than every match, ranks every match: the scan's answer", async () => {
  const { db, schema } = store.backend;
  const wide = new PostgresSearch(db, schema, (id) => store.load(id), silentLogger, {
    rankingWindow: 10_000,
  });
  const query = parseSearchQuery('marmot');
  if (!query.ok) throw query.error;
  const load = async (id: string) => ({ session: sessions.get(id) as Session, contentHash: '' });
  const found = await wide.search('marmot', { limit: 10 });
  if (!found.ok) throw found.error;
  expect(found.value.notices).toEqual([]);
  expect(ranking(found.value.results)).toEqual(
    ranking(await rankCandidates([...sessions.keys()], load, query.value, {}, 10)),
  );
});
