#!/usr/bin/env node
// The README's transcript, run for real: `node examples/transcript.mjs URL` (after `pnpm build`)
// opens a store in a fresh schema `jido_readme` (migrating it), saves, lists, searches, leases and
// deletes one session, prints the migrations recorded, and drops the schema. With a URL that cannot
// be opened it prints the typed error instead.
import { randomUUID } from 'node:crypto';
import { openPostgresStore } from '@jido-code/storage-postgres';

const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = 'jido_readme';
const opened = await openPostgresStore({ url, schema, env: {} });
if (!opened.ok) {
  console.log(`open failed: ${opened.error.code} (${opened.error.details?.reason})`);
  process.exit(1);
}
const store = opened.value;
const at = '2026-12-01T09:00:00.000Z';
const session = {
  version: 1,
  id: randomUUID(),
  name: 'team session',
  project_path: '/srv/team',
  config: { provider: 'anthropic', model: 'claude' },
  created_at: at,
  updated_at: at,
  closed_at: null,
  conversation: [{ id: 'm1', role: 'user', content: 'Where do the fencing tokens go?', timestamp: at }],
  todos: [],
  cumulative_usage: { counter: 0 },
};
const value = (result) => {
  if (!result.ok) throw result.error;
  return result.value;
};
try {
  const saved = value(await store.save(session));
  console.log('saved', { bytes: saved.bytes, created: saved.created });
  const listed = value(await store.listPersisted());
  console.log(
    'listed',
    listed.sessions.map((entry) => `${entry.name} signed=${entry.signed}`),
  );
  const found = value(await store.search('fencing'));
  console.log(
    `search ${found.mode}`,
    found.results.map((result) => result.name),
  );
  const lease = value(await store.acquireLease(session.id));
  console.log('lease', { pid: lease.info.pid === process.pid });
  const other = value(await openPostgresStore({ url, schema, env: {} }));
  const second = await other.acquireLease(session.id);
  console.log('second lease', second.ok ? 'acquired' : second.error.code);
  await other.backend.close();
  await lease.release();
  console.log('deleted', value(await store.delete(session.id)));
  const { rows } = await store.backend.db.query(
    `SELECT version, name FROM ${store.backend.schema}.migrations ORDER BY version`,
  );
  console.log('migrations');
  for (const row of rows) console.log(`  ${row.version} | ${row.name}`);
} finally {
  await store.backend.db.query(`DROP SCHEMA ${store.backend.schema} CASCADE`);
  await store.backend.close();
}
