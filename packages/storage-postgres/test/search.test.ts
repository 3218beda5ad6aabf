/**
 * Search through the tsvector column and its GIN index, behind the store's search interface: the
 * same answers as the file backend's scan (words, prefixes, phrases, exclusions, accents, filters),
 * kept current by saves, restores and deletes, and never showing text a verified load does not.
 */
import type { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const options = { url: database.url, schema: database.newSchema() };
let store: SessionStore<PostgresBackend>;

beforeAll(async () => {
  store = await openConformanceStore(options, {});
});

afterAll(async () => {
  await store?.backend.close();
  await dropSchema(database.url, options.schema);
});

function withMessages(name: string, contents: string[], project = '/tmp/search-a') {
  const session = testSession({ name, project_path: project }, 0);
  session.conversation = contents.map((content, index) => ({
    id: `${name}-${index}`,
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content,
    timestamp: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
  }));
  return session;
}

async function ids(text: string, extra: Parameters<SessionStore['search']>[1] = {}): Promise<string[]> {
  const found = await store.search(text, extra);
  if (!found.ok) throw found.error;
  expect(found.value.mode).toBe('index');
  return found.value.results.map((result) => result.name).sort();
}

it('words, prefixes, phrases, exclusions, accents and filters answer like the scan', async () => {
  const sessions = [
    withMessages('alpha', ['Refactor the PostgreSQL backend', 'Café au lait; naïve résumé']),
    withMessages('beta', ['postgres pool sizing', "it's O'Reilly's \\ backslash"], '/tmp/search-b'),
    withMessages('gamma', ['nothing relevant here', 'backend rewrite with fencing tokens']),
  ];
  for (const session of sessions) expect((await store.save(session)).ok).toBe(true);
  expect(await ids('backend')).toEqual(['alpha', 'gamma']);
  expect(await ids('postgre')).toEqual(['alpha', 'beta']);
  expect(await ids('"postgresql backend"')).toEqual(['alpha']);
  expect(await ids('backend -fencing')).toEqual(['alpha']);
  expect(await ids('cafe resume')).toEqual(['alpha']);
  expect(await ids("o'reilly's")).toEqual(['beta']);
  expect(await ids('backend', { projectPath: '/tmp/search-a', role: 'assistant' })).toEqual(['gamma']);
  expect(await ids('backend', { since: new Date(Date.UTC(2026, 0, 2)) })).toEqual(['gamma']);
  expect(await ids("'; DROP TABLE sessions; --")).toEqual([]);
  const found = await store.search('fencing');
  expect(found.ok && found.value.results[0]?.matches[0]).toMatchObject({
    message_index: 2,
    role: 'assistant',
  });
});

it('kept current by saves, deletes, trash and restore; rebuild gives the same answers', async () => {
  const session = withMessages('delta', ['first draft of the zeppelin plan']);
  expect((await store.save(session)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual(['delta']);
  expect((await store.update(session.id, (current) => ({ ...current, conversation: [] }))).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
  expect((await store.save(session)).ok).toBe(true);
  expect((await store.trash(session.id)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
  const entry = await store.listTrash();
  if (!entry.ok) throw entry.error;
  expect((await store.restoreFromTrash(entry.value.entries[0]?.entry ?? '')).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual(['delta']);
  const rebuilt = await store.reindex();
  expect(rebuilt.ok && rebuilt.value.indexed).toBeGreaterThan(0);
  expect(await ids('zeppelin')).toEqual(['delta']);
  expect((await store.delete(session.id)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
});

it('a row changed behind the store is never shown: results come from verified loads', async () => {
  const session = withMessages('epsilon', ['the quokka is harmless']);
  expect((await store.save(session)).ok).toBe(true);
  const forged = new TextEncoder().encode(
    Buffer.from((await store.backend.read(session.id)).bytes)
      .toString('utf8')
      .replace('harmless', 'dangerous'),
  );
  await store.backend.db.query(`UPDATE ${store.backend.schema}.sessions SET document = $2 WHERE id = $1`, [
    session.id,
    forged,
  ]);
  expect(await ids('quokka')).toEqual([]);
  expect(await ids('dangerous')).toEqual([]);
});
