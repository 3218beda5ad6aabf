import { randomBytes } from 'node:crypto';

/** A PostgreSQL server for a test file: the real one of JIDO_TEST_DATABASE_URL, else PGlite. */
export interface PostgresServer {
  readonly url: string;
  /** `postgresql` (a real server) or `pglite` (PostgreSQL in WebAssembly behind the wire protocol). */
  readonly kind: 'postgresql' | 'pglite';
  /** A fresh schema name for this run; the test drops what it creates. */
  newSchema(): string;
  stop(): Promise<void>;
}

/**
 * The server named by JIDO_TEST_DATABASE_URL (CI), else PGlite started on 127.0.0.1 in this
 * process, reachable by child processes over the real wire protocol.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const prefix = `jr_${randomBytes(4).toString('hex')}_`;
  const newSchema = () => `${prefix}${randomBytes(5).toString('hex')}`;
  const given = process.env.JIDO_TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    return { url: given, kind: 'postgresql', newSchema, stop: async () => {} };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 50 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    kind: 'pglite',
    newSchema,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
