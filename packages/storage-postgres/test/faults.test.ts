/**
 * Faults on the real server: a connection killed mid-transaction with pg_terminate_backend (a
 * typed error, no partial session, the next operation reconnects) and an exceeded
 * statement_timeout (a typed error, nothing written). PGlite runs one backend for every
 * connection in single-threaded WebAssembly: it can neither terminate one connection's backend
 * nor interrupt a running statement, so these run only against JIDO_TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@jido-code/storage';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
// The server is shared with every suite running at once (the CLI's, the other files here): this
// store's connections carry their own application_name, so the test terminates only its own.
const applicationName = `jido-faults-${randomBytes(4).toString('hex')}`;
const storeUrl = new URL(database.url);
storeUrl.searchParams.set('application_name', applicationName);
const options = { url: storeUrl.toString(), schema: database.newSchema(), statementTimeoutMs: 1_000 };
let store: SessionStore<PostgresBackend>;

describe.skipIf(database.kind !== 'postgresql')('faults on the real server', () => {
  beforeAll(async () => {
    store = await openConformanceStore(options, {});
  });

  afterAll(async () => {
    await store?.backend.close();
    await dropSchema(database.url, options.schema);
  });

  async function terminate(pid: number): Promise<void> {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT pg_terminate_backend($1) AS done', [pid]);
      expect(rows[0]?.done).toBe(true);
    } finally {
      await admin.end();
    }
  }

  it('a connection killed mid-transaction: typed error, no partial session, the next call reconnects', async () => {
    const existing = testSession({ name: 'before' });
    expect((await store.save(existing)).ok).toBe(true);
    const fresh = testSession({ name: 'never committed' });
    const backend = store.backend;
    for (const [session, replacing] of [
      [fresh, false],
      [existing, true],
    ] as const) {
      const bytes = new TextEncoder().encode(JSON.stringify({ ...session, name: 'half' }));
      const failed = await backend
        .withSession(session.id, async (slot) => {
          await slot.write(bytes, replacing);
          const { rows } = await backend.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await terminate(rows[0]?.pid ?? 0);
          await slot.read();
          return 'committed';
        })
        .catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'store_unavailable', details: { reason: 'lost' } });
    }
    const missing = await store.load(fresh.id);
    expect(missing.ok || missing.error.code).toBe('not_found');
    const kept = await store.load(existing.id);
    expect(kept.ok && kept.value.session.name).toBe('before');
    // The pool dropped the dead connection; the next operations open new ones.
    expect((await store.save({ ...existing, name: 'after' })).ok).toBe(true);
    const after = await store.load(existing.id);
    expect(after.ok && after.value.session.name).toBe('after');
  });

  it('an idle pooled connection killed between calls is replaced transparently', async () => {
    const session = testSession();
    expect((await store.save(session)).ok).toBe(true);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'idle' AND application_name = $1`,
        [applicationName],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.done === true)).toBe(true);
    } finally {
      await admin.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const loaded = await store.load(session.id);
    expect(loaded.ok && loaded.value.signed).toBe(true);
  });

  it('statement_timeout exceeded: a typed timeout error and nothing written', async () => {
    const session = testSession({ name: 'before timeout' });
    expect((await store.save(session)).ok).toBe(true);
    const backend = store.backend;
    const bytes = new TextEncoder().encode('{"half":true}');
    const failed = await backend
      .withSession(session.id, async (slot) => {
        await slot.write(bytes, true);
        await backend.db.query('SELECT pg_sleep(5)');
      })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'store_unavailable', details: { reason: 'timeout' } });
    const loaded = await store.load(session.id);
    expect(loaded.ok && loaded.value.session.name).toBe('before timeout');
  });
});
