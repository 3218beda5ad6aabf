/**
 * Search through the tsvector column and its GIN index, behind the store's search interface: the
 * same answers as the file backend's scan (words, prefixes, phrases, exclusions, accents, filters),
 * kept current by saves, restores and deletes, and never showing text a verified load does not.
 */
import type { Session } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { expect, it } from 'vitest';
import { searchRowParameters, searchRowsDigest } from '../src/search-rows.js';
import { storeForFile } from './support/file-store.js';
import { testSession } from './support/sessions.js';

const store = storeForFile();

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
  const found = await store().search(text, extra);
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
  for (const session of sessions) expect((await store().save(session)).ok).toBe(true);
  expect(await ids('backend')).toEqual(['alpha', 'gamma']);
  expect(await ids('postgre')).toEqual(['alpha', 'beta']);
  expect(await ids('"postgresql backend"')).toEqual(['alpha']);
  expect(await ids('backend -fencing')).toEqual(['alpha']);
  expect(await ids('cafe resume')).toEqual(['alpha']);
  expect(await ids("o'reilly's")).toEqual(['beta']);
  expect(await ids('backend', { projectPath: '/tmp/search-a', role: 'assistant' })).toEqual(['gamma']);
  expect(await ids('backend', { since: new Date(Date.UTC(2026, 0, 2)) })).toEqual(['gamma']);
  expect(await ids("'; DROP TABLE sessions; --")).toEqual([]);
  const found = await store().search('fencing');
  expect(found.ok && found.value.results[0]?.matches[0]).toMatchObject({
    message_index: 2,
    role: 'assistant',
  });
});

it('kept current by saves, deletes, trash and restore; rebuild gives the same answers', async () => {
  const session = withMessages('delta', ['first draft of the zeppelin plan']);
  expect((await store().save(session)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual(['delta']);
  expect((await store().update(session.id, (current) => ({ ...current, conversation: [] }))).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
  expect((await store().save(session)).ok).toBe(true);
  expect((await store().trash(session.id)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
  const entry = await store().listTrash();
  if (!entry.ok) throw entry.error;
  expect((await store().restoreFromTrash(entry.value.entries[0]?.entry ?? '')).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual(['delta']);
  const rebuilt = await store().reindex();
  expect(rebuilt.ok && rebuilt.value.indexed).toBeGreaterThan(0);
  expect(await ids('zeppelin')).toEqual(['delta']);
  expect((await store().delete(session.id)).ok).toBe(true);
  expect(await ids('zeppelin')).toEqual([]);
});

it('a row changed behind the store() is never shown: results come from verified loads', async () => {
  const session = withMessages('epsilon', ['the quokka is harmless']);
  expect((await store().save(session)).ok).toBe(true);
  const forged = new TextEncoder().encode(
    Buffer.from((await store().backend.read(session.id)).bytes)
      .toString('utf8')
      .replace('harmless', 'dangerous'),
  );
  await store().backend.db.query(
    `UPDATE ${store().backend.schema}.sessions SET document = $2 WHERE id = $1`,
    [session.id, forged],
  );
  expect(await ids('quokka')).toEqual([]);
  expect(await ids('dangerous')).toEqual([]);
});

it('a re-save rewrites only the rows of changed messages; a message redacted in place is re-indexed', async () => {
  const session = withMessages('zeta', ['the walrus token sk-live-123', 'an unchanged reply', 'a third']);
  expect((await store().save(session)).ok).toBe(true);
  const versions = async () =>
    (
      await store().backend.db.query<{ ordinal: number; version: string }>(
        `SELECT ordinal, xmin::text AS version FROM ${store().backend.schema}.search_messages
         WHERE session_id = $1 ORDER BY ordinal`,
        [session.id],
      )
    ).rows;
  const before = await versions();
  expect(before.map((row) => row.ordinal)).toEqual([0, 1, 2]);
  expect((await store().save({ ...session, name: 'zeta, renamed' })).ok).toBe(true);
  expect(await versions()).toEqual(before);

  // The same message id, new content (what `jido sessions scan --fix` does): its row is replaced.
  const redacted = {
    ...session,
    conversation: session.conversation.map((message, index) =>
      index === 0 ? { ...message, content: 'the walrus token [REDACTED]' } : message,
    ),
  };
  expect((await store().save(redacted)).ok).toBe(true);
  const after = await versions();
  expect(after[0]?.version).not.toBe(before[0]?.version);
  expect(after.slice(1)).toEqual(before.slice(1));
  expect(await ids('walrus')).toEqual(['zeta']);
  expect(await ids('live')).toEqual([]);
  const { rows } = await store().backend.db.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM ${store().backend.schema}.search_messages
     WHERE session_id = $1 AND tsv @@ to_tsquery('simple', 'live')`,
    [session.id],
  );
  expect(rows[0]?.n).toBe(0);
  expect((await store().save({ ...redacted, conversation: redacted.conversation.slice(0, 1) })).ok).toBe(
    true,
  );
  expect((await versions()).map((row) => row.ordinal)).toEqual([0]);
});

it('a search-index failure never fails the save; the next search indexes the session', async () => {
  const s = store().backend.schema;
  const db = store().backend.db;
  await db.query(
    `CREATE FUNCTION ${s}.refuse_index() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'index refused'; END $$`,
  );
  await db.query(
    `CREATE TRIGGER refuse_index BEFORE INSERT OR UPDATE ON ${s}.search_messages
     FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_index()`,
  );
  const session = withMessages('eta', ['an ocelot in the index']);
  try {
    expect((await store().save(session)).ok).toBe(true);
    expect((await store().save({ ...session, name: 'eta again' })).ok).toBe(true);
    expect((await store().update(session.id, (current) => ({ ...current, name: 'eta' }))).ok).toBe(true);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM ${s}.search_messages WHERE session_id = $1`,
      [session.id],
    );
    expect(rows[0]?.n).toBe(0);
  } finally {
    await db.query(`DROP TRIGGER refuse_index ON ${s}.search_messages`);
  }
  const loaded = await store().load(session.id);
  expect(loaded.ok && loaded.value.session.name).toBe('eta');
  expect(await ids('ocelot')).toEqual(['eta']);
});

it('the digest a save of current rows sends is the digest of the rows it would have built', () => {
  for (const count of [0, 1, 3, 100]) {
    const session = testSession({}, count);
    session.conversation = session.conversation.map((message, index) =>
      index === 0 ? { ...message, content: 'a "quoted" \\ word' } : message,
    );
    const rows = searchRowParameters(session as Session);
    expect(searchRowsDigest(session as Session).equals(rows[0]), `${count} messages`).toBe(true);
  }
});
