/**
 * Migrations at open: recorded once each in `migrations`, applied exactly once when several opens
 * race (the advisory lock), never destructive, an older schema upgraded with its data kept, and a
 * newer one refused and left alone.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { latestVersion, migrations, PostgresBackend } from '../src/index.js';
import { dropSchema, testDatabase } from './support/database.js';

const database = testDatabase();
const schemas: string[] = [];

function freshSchema(): string {
  const schema = database.newSchema();
  schemas.push(schema);
  return schema;
}

afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(database.url, schema);
});

async function recorded(backend: PostgresBackend): Promise<number[]> {
  const { rows } = await backend.db.query<{ version: number }>(
    `SELECT version FROM ${backend.schema}.migrations ORDER BY version`,
  );
  return rows.map((row) => row.version);
}

it('every migration only creates or adds: nothing is dropped, deleted, truncated or renamed', () => {
  const functions: string[] = [];
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      // A function's body may delete rows when it runs; its definition must not change the schema.
      const definition = statement.split('$fn$')[0] ?? '';
      expect(definition).not.toMatch(/\b(DROP|DELETE|TRUNCATE|RENAME|ALTER\s+COLUMN)\b/i);
      const created = /^\s*CREATE OR REPLACE FUNCTION \{schema\}\.(\w+_v\d+)\(/.exec(definition);
      if (created?.[1] !== undefined) {
        functions.push(created[1]);
        continue;
      }
      expect(statement).toMatch(
        /^\s*(CREATE (TABLE|INDEX|UNIQUE INDEX) IF NOT EXISTS|ALTER TABLE \{schema\}\.\w+ ADD COLUMN IF NOT EXISTS)\b/,
      );
    }
  }
  // A function keeps its versioned name for good: a change is a new function in a new migration.
  expect(new Set(functions).size).toBe(functions.length);
  expect(migrations.map((migration) => migration.version)).toEqual(
    Array.from({ length: latestVersion }, (_, index) => index + 1),
  );
});

it('five stores opening a new schema at once apply each migration exactly once', async () => {
  const schema = freshSchema();
  const backends = await Promise.all(
    Array.from({ length: 5 }, () => PostgresBackend.open({ url: database.url, schema, poolSize: 2 })),
  );
  try {
    expect(await recorded(backends[0] as PostgresBackend)).toEqual(migrations.map((m) => m.version));
  } finally {
    await Promise.all(backends.map((backend) => backend.close()));
  }
});

it('an older schema is upgraded at open and keeps its rows; a newer one is refused untouched', async () => {
  const schema = freshSchema();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // The schema as the first release left it: version 1 only, with a row in it.
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(
      `CREATE TABLE "${schema}".migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    for (const statement of migrations[0]?.statements ?? []) {
      await client.query(statement.replaceAll('{schema}', `"${schema}"`));
    }
    await client.query(`INSERT INTO "${schema}".migrations (version, name) VALUES (1, 'first')`);
    await client.query(
      `INSERT INTO "${schema}".signed_ids (id) VALUES ('7c9e6679-7425-40de-944b-e07fc1f90ae7')`,
    );
    const backend = await PostgresBackend.open({ url: database.url, schema });
    expect(await recorded(backend)).toEqual(migrations.map((m) => m.version));
    expect(await backend.signedIds().wasSigned('7c9e6679-7425-40de-944b-e07fc1f90ae7')).toBe(true);
    await backend.close();

    await client.query(`INSERT INTO "${schema}".migrations (version, name) VALUES (999, 'from the future')`);
    const refused = await PostgresBackend.open({ url: database.url, schema }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'store_unavailable', details: { reason: 'newer_schema' } });
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${schema}".signed_ids`);
    expect(rows[0]?.n).toBe(1);
  } finally {
    await client.end();
  }
});

it('a bad schema name is refused before any SQL', async () => {
  const refused = await PostgresBackend.open({ url: database.url, schema: 'x"; DROP' }).catch(
    (error: unknown) => error,
  );
  expect(refused).toMatchObject({ code: 'invalid_value' });
});

it('connection failures are store_unavailable with a reason and no password in the message', async () => {
  const refused = await PostgresBackend.open({
    url: 'postgres://someone:s3cret-pass@127.0.0.1:1/none',
    connectTimeoutMs: 2_000,
  }).catch((error: unknown) => error);
  expect(refused).toMatchObject({ code: 'store_unavailable', details: { reason: 'refused' } });
  expect(String((refused as Error).message)).not.toContain('s3cret');
});
