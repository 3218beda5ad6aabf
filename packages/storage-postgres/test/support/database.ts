import { randomBytes } from 'node:crypto';
import type { BackendHarness } from '@jido-code/storage/conformance';
import pg from 'pg';
import { inject } from 'vitest';

/** The server of this run and a fresh schema name on it. */
export function testDatabase(): { url: string; kind: 'postgresql' | 'pglite'; newSchema(): string } {
  const prefix = inject('schemaPrefix');
  return {
    url: inject('databaseUrl'),
    kind: inject('databaseKind'),
    newSchema: () => `${prefix}${randomBytes(5).toString('hex')}`,
  };
}

/** Drops a schema this run made. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Every test gets its own schema on the run's server, dropped afterwards. */
export function postgresHarness(extra: { leaseTtlMs?: number } = {}): BackendHarness {
  const database = testDatabase();
  return {
    async create() {
      const schema = database.newSchema();
      return {
        spec: {
          module: new URL('./conformance-store.ts', import.meta.url).href,
          options: { url: database.url, schema, ...extra },
        },
        cleanup: () => dropSchema(database.url, schema),
      };
    },
  };
}
