// Guarantee 3 (crash safety) on the PostgreSQL backend: a SessionManager in a child process adds
// messages to a session, each acknowledged only once its journal row committed, and is SIGKILLed
// while it appends; a new process runs the recovery on open and must find every acknowledged
// message, in order (and at most the one in flight beyond them). Against the real server of
// JIDO_TEST_DATABASE_URL, else PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../support/postgres-server.js';
import { makeProject, removeProjects } from '../support/project.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { Worker } from '../support/worker.js';

const rounds = scaled(3, 30);
let server: PostgresServer;
const schemas: string[] = [];

beforeAll(async () => {
  server = await startPostgresServer();
  console.log(`postgres session crash: ${server.kind} at ${server.url.replace(/\/\/[^@]*@/, '//')}`);
});

afterAll(async () => {
  const { openPostgresStore } = await import('@jido-code/storage-postgres');
  for (const schema of schemas) {
    const opened = await openPostgresStore({ url: server.url, schema, env: {} });
    if (!opened.ok) continue;
    await opened.value.backend.db.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => {});
    await opened.value.backend.close();
  }
  await server?.stop();
  await removeProjects();
});

function lastAcked(worker: Worker): number {
  const acked = worker.lines.filter((line) => line.startsWith('acked ')).map((line) => Number(line.slice(6)));
  return acked.length === 0 ? -1 : Math.max(...acked);
}

describe('a SessionManager on PostgreSQL killed with SIGKILL', () => {
  it(`a new process recovers every acknowledged message (${rounds} rounds)`, {
    timeout: testTimeoutMs,
  }, async () => {
    const schema = server.newSchema();
    schemas.push(schema);
    const project = await makeProject('pg-crash');
    for (let round = 0; round < rounds; round++) {
      const live = new Worker('pg-session-worker', ['live', server.url, schema, project]);
      const sessionLine = await live.line(/^session /, 0, 120_000);
      const id = sessionLine.slice('session '.length);
      // Killed while it appends: after a number of acknowledgements that differs by round.
      const target = 5 + ((round * 17) % 40);
      await live.line(new RegExp(`^acked ${target}$`), 0, 120_000);
      live.child.kill('SIGKILL');
      const exit = await live.exited;
      expect(exit.signal).toBe('SIGKILL');
      const acked = lastAcked(live);
      expect(acked).toBeGreaterThanOrEqual(target);

      const recover = new Worker('pg-session-worker', ['recover', server.url, schema]);
      const done = await recover.exited;
      expect(done.code, done.stderr).toBe(0);
      expect(recover.lines[0]).toBe(`report ${id} 0 0`);
      const messages = recover.lines.find((line) => line.startsWith(`messages ${id} `));
      const contents = JSON.parse(messages?.slice(`messages ${id} `.length) ?? '[]') as string[];
      const expected = Array.from({ length: acked + 1 }, (_, n) => `message ${n}`);
      // Every acknowledged message, in order; beyond them at most the one whose ack was in flight.
      expect(contents.slice(0, acked + 1)).toEqual(expected);
      expect(contents.length - (acked + 1)).toBeLessThanOrEqual(1);
      if (contents.length > acked + 1) expect(contents.at(-1)).toBe(`message ${acked + 1}`);
    }
  });
});
