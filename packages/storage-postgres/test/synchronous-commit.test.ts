/**
 * An acknowledged write commits with `synchronous_commit = on` even where the default is `off`
 * (a server, database or role tuned for speed; here the connections' own default, so the shared
 * server is left alone): a deferred constraint trigger records the setting in force as each
 * transaction commits, for a new session, a re-save (one statement), a read-modify-write update, a
 * journal append, a state document and a lease-fenced save.
 */
import { randomUUID } from 'node:crypto';
import type { Result } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore, type PostgresBackend } from '../src/index.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const schema = database.newSchema();
let store: SessionStore<PostgresBackend>;

function must<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** The run's URL with `synchronous_commit = off` as every connection's default. */
function asynchronousByDefault(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', '-c synchronous_commit=off');
  return parsed.toString();
}

/** The tables written by the transactions committed since the last call; each commit's setting must be on. */
async function committedTables(): Promise<string[]> {
  const { rows } = await store.backend.db.query<{ table: string; setting: string }>(
    `DELETE FROM ${store.backend.schema}.commit_settings RETURNING table_name AS "table", setting`,
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((row) => row.setting !== 'on')).toEqual([]);
  return [...new Set(rows.map((row) => row.table))].sort();
}

beforeAll(async () => {
  store = must(
    await openPostgresStore({ url: asynchronousByDefault(database.url), schema, env: {}, config: {} }),
  );
  const s = store.backend.schema;
  const db = store.backend.db;
  await db.query(`CREATE TABLE ${s}.commit_settings (table_name text NOT NULL, setting text NOT NULL)`);
  await db.query(
    `CREATE FUNCTION ${s}.record_commit_setting() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO ${s}.commit_settings VALUES (TG_TABLE_NAME, current_setting('synchronous_commit'));
       RETURN NULL;
     END $$`,
  );
  for (const table of ['sessions', 'journal', 'documents']) {
    await db.query(
      `CREATE CONSTRAINT TRIGGER record_commit_setting AFTER INSERT OR UPDATE ON ${s}.${table}
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${s}.record_commit_setting()`,
    );
  }
});

afterAll(async () => {
  await store?.backend.close();
  await dropSchema(database.url, schema);
});

it(`acknowledged writes commit synchronously although the default is off (${database.kind})`, async () => {
  const db = store.backend.db;
  // The premise: outside the store's own writes, a commit here would not wait for the WAL flush.
  const shown = async () =>
    (await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit;
  // PGlite takes no startup options; its connections share one session, whose SET is the default.
  if (database.kind === 'pglite' && (await shown()) !== 'off') await db.query('SET synchronous_commit = off');
  expect(await shown()).toBe('off');
  const probe = randomUUID();
  await db.query(`INSERT INTO ${store.backend.schema}.documents (kind, name) VALUES ('probe', $1)`, [probe]);
  const unguarded = await db.query<{ setting: string }>(
    `DELETE FROM ${store.backend.schema}.commit_settings RETURNING setting`,
  );
  expect(unguarded.rows).toEqual([{ setting: 'off' }]);

  const session = testSession({ name: 'durable' }, 3);
  must(await store.save(session));
  // The first save also creates the keyring, a document row.
  expect(await committedTables()).toContain('sessions');
  must(await store.save({ ...session, name: 'durable, renamed' }));
  expect(await committedTables()).toEqual(['sessions']);
  must(await store.update(session.id, (current) => ({ ...current, name: 'updated' })));
  expect(await committedTables()).toEqual(['sessions']);

  const lease = must(await store.acquireLease(session.id));
  try {
    must(await store.save({ ...session, name: 'fenced' }));
    expect(await committedTables()).toEqual(['sessions']);
    const journal = must(await must(await store.journals()).open(session.id));
    must(await journal.append('message', { text: 'acknowledged' }));
    expect(await committedTables()).toEqual(['journal']);
    await journal.close();
  } finally {
    await lease.release();
  }

  const document = must(store.rateLimitDocument('durable-state'));
  await document.update(async () => ({ next: new TextEncoder().encode('{"n":1}'), result: undefined }));
  expect(await committedTables()).toEqual(['documents']);
});
