/**
 * The server restarted during a run (real server only): a private PostgreSQL cluster, made for this
 * test in a temporary folder on its own port (never the machine's shared server), is restarted
 * while a loop of read-modify-writes runs. Updates during the restart fail with a typed
 * `store_unavailable`; every acknowledged update is in the final state and the loop recovers
 * without reopening the store. Needs JIDO_TEST_DATABASE_URL (CI) and PostgreSQL's initdb and pg_ctl.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { chmod, chown } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConformanceStore } from './support/conformance-store.js';
import { testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const binaries = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .map((version) => join('/usr/lib/postgresql', version, 'bin'))
      .find((dir) => existsSync(join(dir, 'pg_ctl')))
  : undefined;
const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL tool as the postgres user when this process is root (initdb refuses root). */
function pgTool(tool: string, args: string[]): string {
  const path = join(binaries ?? '', tool);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { encoding: 'utf8' })
    : execFileSync(path, args, { encoding: 'utf8' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

describe.skipIf(database.kind !== 'postgresql' || binaries === undefined)('a server restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jido-pg-restart-'));
  const data = join(dir, 'data');
  let port = 0;
  const ctl = (...args: string[]) =>
    pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);

  beforeAll(async () => {
    if (asRoot) {
      await chmod(dir, 0o700);
      await chown(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0);
    }
    port = await freePort();
    pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    ctl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start');
  }, 120_000);

  afterAll(() => {
    try {
      ctl('-m', 'immediate', 'stop');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('updates during a restart fail typed; every acknowledged one survives; the store recovers', async () => {
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const store = await openConformanceStore({ url, schema: 'jido', statementTimeoutMs: 5_000 }, {});
    try {
      const session = testSession({}, 0);
      expect((await store.save(session)).ok).toBe(true);
      let acknowledged = 0;
      const failures = new Map<string, number>();
      let restarted = false;
      const loop = (async () => {
        for (let round = 0; round < 400 && !(restarted && acknowledged >= 60); round++) {
          const updated = await store.update(session.id, (current) => ({
            ...current,
            cumulative_usage: { counter: (current.cumulative_usage?.counter ?? 0) + 1 },
          }));
          if (updated.ok) acknowledged += 1;
          else {
            const key = `${updated.error.code}/${String(updated.error.details.reason)}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      })();
      while (acknowledged < 20) await new Promise((resolve) => setTimeout(resolve, 20));
      ctl('-m', 'fast', 'restart', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`);
      restarted = true;
      await loop;
      console.log('server restart:', { acknowledged, failures: Object.fromEntries(failures) });
      expect([...failures.keys()].every((key) => key.startsWith('store_unavailable/'))).toBe(true);
      const loaded = await store.load(session.id);
      if (!loaded.ok) throw loaded.error;
      expect(loaded.value.signed).toBe(true);
      // Every acknowledged update is there; an update whose COMMIT reached the server just before
      // the connection dropped may be there too without its acknowledgement (never half of one).
      const counter = loaded.value.session.cumulative_usage?.counter ?? 0;
      expect(counter).toBeGreaterThanOrEqual(acknowledged);
      expect(counter).toBeLessThanOrEqual(acknowledged + (failures.get('store_unavailable/lost') ?? 0));
      expect(acknowledged).toBeGreaterThanOrEqual(60);
    } finally {
      await store.backend.close();
    }
  }, 300_000);
});
