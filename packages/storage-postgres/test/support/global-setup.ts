import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the suites run against. */
    databaseUrl: string;
    /** `postgresql` (a real server: JIDO_TEST_DATABASE_URL) or `pglite`. */
    databaseKind: 'postgresql' | 'pglite';
    /** Every schema this run creates starts with it; teardown drops what is left. */
    schemaPrefix: string;
  }
}

/**
 * The database for this run: the real server named by JIDO_TEST_DATABASE_URL (CI), else PGlite,
 * a real PostgreSQL in WebAssembly behind the real wire protocol, on 127.0.0.1. Each test makes
 * its own schema and drops it; teardown drops any this run left behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `jt_${randomBytes(4).toString('hex')}_`;
  const given = process.env.JIDO_TEST_DATABASE_URL;
  let url: string;
  let stopServer = async () => {};
  if (given !== undefined && given !== '') {
    url = given;
    const { version } = await serverVersion(url);
    console.log(`storage-postgres tests: real PostgreSQL server (JIDO_TEST_DATABASE_URL), ${version}`);
    project.provide('databaseKind', 'postgresql');
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 200 });
    await server.start();
    url = `postgres://postgres@${server.getServerConn()}/postgres`;
    const { version } = await serverVersion(url);
    console.log(
      `storage-postgres tests: PGlite on ${server.getServerConn()} (no JIDO_TEST_DATABASE_URL), ${version}`,
    );
    project.provide('databaseKind', 'pglite');
    stopServer = async () => {
      await server.stop();
      await db.close();
    };
  }
  project.provide('databaseUrl', url);
  project.provide('schemaPrefix', prefix);
  return async () => {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
        [prefix],
      );
      for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } finally {
      await client.end().catch(() => {});
      await stopServer();
    }
  };
}

async function serverVersion(url: string): Promise<{ version: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return { version: `server_version ${rows[0]?.v ?? '?'}` };
  } finally {
    await client.end();
  }
}
