import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { SessionStore } from '@jido-code/storage';
import { openPostgresStore, type PostgresBackend } from '@jido-code/storage-postgres';
import { SessionFactory } from '@jido-code/test-support';
import { type Comparison, compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { type BenchContext, benchConfig, planFor, unwrap } from '../harness/context.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';

type PostgresStore = SessionStore<PostgresBackend>;

/**
 * `--pg-large` (or JIDO_BENCH_PG_LARGE=1): also measure at 100,000 stored sessions; `--pg-large=N`
 * at N. Undefined when not asked for.
 */
export function largePostgresCount(): number | undefined {
  const flag = process.argv.find(
    (argument) => argument === '--pg-large' || argument.startsWith('--pg-large='),
  );
  if (flag === undefined && process.env.JIDO_BENCH_PG_LARGE !== '1') return undefined;
  const given = Number(flag?.split('=')[1] ?? 100_000);
  return Number.isInteger(given) && given > 0 ? given : 100_000;
}

/**
 * The file backend doing what the PostgreSQL rows measure, on a file home holding the same number
 * of sessions (same factory seed, 20 messages each): save and load of the same 100-message session,
 * list of every session. Floor: the file backend; subject: PostgreSQL; the ratio is reported, not
 * checked (how much a database round trip costs against a local rename).
 */
export async function fileBackendRows(
  context: BenchContext,
  postgres: PostgresStore,
  count: number,
  session: Session,
  facts: Readonly<Record<string, string | number>>,
): Promise<FigureRow[]> {
  const home = unwrap(
    await SessionStore.open({ home: join(context.root, 'pg-file-home'), env: {}, config: benchConfig }),
    'open home',
  );
  const factory = new SessionFactory({ seed: 23 });
  for (let index = 0; index < count; index++) {
    unwrap(await home.save(factory.session({ messageCount: 20, project_path: context.projectDir })), 'save');
  }
  unwrap(await home.save(session), 'save');
  unwrap(await home.listPersisted(), 'list');
  const plan = planFor(context, { warmup: 5, minSamples: 30, maxSamples: 300, budgetMs: 2000 });
  const save = await compareInterleaved(
    async () => unwrap(await home.save(session), 'save'),
    async () => unwrap(await postgres.save(session), 'save'),
    plan,
  );
  const load = await compareInterleaved(
    async () => unwrap(await home.load(session.id), 'load'),
    async () => unwrap(await postgres.load(session.id), 'load'),
    plan,
  );
  const list = await compareInterleaved(
    async () => unwrap(await home.listPersisted(), 'list'),
    async () => unwrap(await postgres.listPersisted(), 'list'),
    planFor(context, { warmup: 2, minSamples: 10, maxSamples: 60, budgetMs: 3000 }),
  );
  const row = (operation: string, comparison: typeof save, size: string): FigureRow => ({
    operation,
    size,
    floorName: 'the file backend, same operation on a home of as many sessions',
    ...comparison,
    target: 'report',
    status: 'reported',
    facts,
  });
  const one = `1 session of 100 messages among ${count.toLocaleString('en-US')}`;
  return [
    row('postgres save against the file backend', save, one),
    row('postgres load against the file backend', load, one),
    row('postgres list against the file backend', list, `${count.toLocaleString('en-US')} sessions`),
  ];
}

/**
 * A store of `count` sessions, fast. The sessions are made once, through the backend's own code
 * path (`SessionStore.save`: validated, signed with the schema's keyring, fenced upsert, search
 * rows), eight saves at a time, into a staging schema `jido_bench_staging_<count>` that is kept
 * between runs. Each run then copies the staging schema's rows, keyring included, table by table
 * (`INSERT … SELECT`) into a fresh schema: the same pre-signed rows, so they verify on load, in
 * seconds. Drop the staging schema to rebuild it (after a migration, say).
 */
async function stagedStore(
  context: BenchContext,
  url: string,
  count: number,
  schema: string,
): Promise<PostgresStore> {
  const staging = `jido_bench_staging_${count}`;
  const source = unwrap(
    await openPostgresStore({ url, schema: staging, env: {}, config: benchConfig }),
    'open staging',
  );
  try {
    const counted = await source.backend.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${source.backend.schema}.sessions`,
    );
    let stored = Number(counted.rows[0]?.n ?? 0);
    if (stored < count) context.log(`postgres: staging ${count.toLocaleString('en-US')} sessions (once)`);
    const factory = new SessionFactory({ seed: 97 });
    while (stored < count) {
      const batch = Array.from({ length: Math.min(8, count - stored) }, () =>
        factory.session({ messageCount: 20, project_path: context.projectDir }),
      );
      await Promise.all(batch.map(async (session) => unwrap(await source.save(session), 'stage')));
      stored += batch.length;
      if (stored % 10_000 < 8) context.log(`postgres: staged ${stored.toLocaleString('en-US')}`);
    }
  } finally {
    await source.backend.close();
  }
  const target = unwrap(await openPostgresStore({ url, schema, env: {}, config: benchConfig }), 'open');
  const db = target.backend.db;
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = $1 AND table_name <> 'migrations' AND table_type = 'BASE TABLE'`,
    [staging],
  );
  await db.transaction(async () => {
    for (const { name } of tables.rows) {
      await db.query(`DELETE FROM ${target.backend.schema}."${name}"`);
      await db.query(`INSERT INTO ${target.backend.schema}."${name}" SELECT * FROM "${staging}"."${name}"`);
    }
  });
  // The copied keyring is read on first use; this store has not opened one yet.
  return target;
}

/**
 * Save, load and list through `store` against plain SQL on the same pool: `INSERT … ON CONFLICT` /
 * `SELECT` of the session's stored bytes in a `floor` table, and a `SELECT` of every session row.
 */
export async function againstPlainSql(
  context: BenchContext,
  store: SessionStore<PostgresBackend>,
  session: Session,
  listPlan: SamplingPlan,
): Promise<{ save: Comparison; load: Comparison; list: Comparison; bytes: Uint8Array }> {
  const db = store.backend.db;
  const s = store.backend.schema;
  unwrap(await store.save(session), 'save');
  const bytes = (await store.backend.read(session.id)).bytes;
  await db.query(`CREATE TABLE ${s}.floor (id uuid PRIMARY KEY, document bytea NOT NULL)`);
  const plan = planFor(context, { warmup: 5, minSamples: 30, maxSamples: 300, budgetMs: 2000 });
  const save = await compareInterleaved(
    () =>
      db.query(
        `INSERT INTO ${s}.floor (id, document) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document`,
        [session.id, bytes],
      ),
    async () => unwrap(await store.save(session), 'save'),
    plan,
  );
  const load = await compareInterleaved(
    () => db.query(`SELECT document FROM ${s}.floor WHERE id = $1`, [session.id]),
    async () => unwrap(await store.load(session.id), 'load'),
    plan,
  );
  unwrap(await store.listPersisted(), 'list');
  const list = await compareInterleaved(
    () => db.query(`SELECT id, size_bytes, metadata FROM ${s}.sessions`),
    async () => unwrap(await store.listPersisted(), 'list'),
    planFor(context, listPlan),
  );
  return { save, load, list, bytes };
}

/**
 * Save, load and list at `count` stored sessions (a staged store, see {@link stagedStore}) against
 * the same floor as the 1,000-session rows: plain INSERT … ON CONFLICT / SELECT of the same bytes.
 */
export async function largeRows(context: BenchContext, url: string, count: number): Promise<FigureRow[]> {
  const schema = `jido_bench_large_${Date.now().toString(36)}`;
  const store = await stagedStore(context, url, count, schema);
  const db = store.backend.db;
  const s = store.backend.schema;
  try {
    const factory = new SessionFactory({ seed: 24 });
    const session = factory.session({ messageCount: 100, project_path: context.projectDir });
    context.log(`postgres: first list of ${count.toLocaleString('en-US')} (verifies and caches metadata)`);
    const { save, load, list, bytes } = await againstPlainSql(context, store, session, {
      warmup: 1,
      minSamples: 5,
      maxSamples: 20,
      budgetMs: 10_000,
    });
    const server = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
      ?.v;
    const facts = { server: `PostgreSQL ${server}`, sessions: count, bytes: bytes.byteLength, staged: 'yes' };
    const row = (operation: string, floorName: string, comparison: typeof save, size: string): FigureRow => ({
      operation,
      size,
      floorName,
      ...comparison,
      target: '≤ 1.5×',
      status: statusAtMost(comparison.ratio, 1.5),
      facts,
    });
    const one = `1 session of 100 messages among ${count.toLocaleString('en-US')}`;
    return [
      row('postgres save at scale', 'INSERT … ON CONFLICT of the same bytes', save, one),
      row('postgres load at scale', 'SELECT of the same bytes', load, one),
      row(
        'postgres list at scale (cached verified metadata)',
        'SELECT id, size, metadata of every row',
        list,
        `${count.toLocaleString('en-US')} sessions`,
      ),
    ];
  } finally {
    await db.query(`DROP SCHEMA ${s} CASCADE`).catch(() => {});
    await store.backend.close();
  }
}
