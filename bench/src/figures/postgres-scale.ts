import { join } from 'node:path';
import type { Session } from '@jido-code/core-schema';
import { type SessionBackend, SessionStore } from '@jido-code/storage';
import type { PostgresBackend } from '@jido-code/storage-postgres';
import { SessionFactory, type SessionOverrides } from '@jido-code/test-support';
import { type Comparison, compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { type BenchContext, benchConfig, planFor, unwrap } from '../harness/context.js';
import { stageFileHome } from '../harness/file-staging.js';
import { stagePostgresSessions } from '../harness/pg-staging.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';
import { timeMs } from '../harness/timer.js';

type PostgresStore = SessionStore<PostgresBackend>;

/** The server the PostgreSQL rows run on: JIDO_BENCH_DATABASE_URL, else JIDO_TEST_DATABASE_URL. */
export function postgresUrl(): string | undefined {
  const url = process.env.JIDO_BENCH_DATABASE_URL ?? process.env.JIDO_TEST_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

/** `--pg-large=N` (or JIDO_BENCH_PG_LARGE=N): the stored-session count of the large rows (100,000). */
function largeCount(context: BenchContext): number {
  const given =
    process.argv.find((argument) => argument.startsWith('--pg-large='))?.split('=')[1] ??
    process.env.JIDO_BENCH_PG_LARGE;
  const count = Number(given);
  if (Number.isInteger(count) && count > 1) return count;
  return context.quick ? 10_000 : 100_000;
}

/** The `postgres-large` figure: save, load and list at 100,000 stored sessions (see {@link largeRows}). */
export async function postgresLargeFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const url = postgresUrl();
  if (url === undefined) {
    context.log('postgres large: skipped (set JIDO_BENCH_DATABASE_URL or JIDO_TEST_DATABASE_URL)');
    return { rows: [] };
  }
  return { rows: await largeRows(context, url, largeCount(context)) };
}

/** A file home of `count` sessions saved one by one (same factory seed as the PostgreSQL rows). */
async function savedFileHome(context: BenchContext, count: number): Promise<SessionStore> {
  const home = unwrap(
    await SessionStore.open({ home: join(context.root, 'pg-file-home'), env: {}, config: benchConfig }),
    'open home',
  );
  const factory = new SessionFactory({ seed: 23 });
  for (let index = 0; index < count; index++) {
    unwrap(await home.save(factory.session({ messageCount: 20, project_path: context.projectDir })), 'save');
  }
  return home;
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
  staged?: SessionStore,
): Promise<FigureRow[]> {
  const home = staged ?? (await savedFileHome(context, count));
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
 * Save, load and list through `store` against plain SQL on the same pool: what a minimal app does
 * with the same document, as the file floors do (`JSON.stringify` + `INSERT … ON CONFLICT`, committed
 * like every autocommit statement with the server's `synchronous_commit`; `SELECT` + `JSON.parse`)
 * in a `floor` table, and a `SELECT` of every session row.
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
  // The signed document as loaded: its JSON is the stored bytes' size, give or take key order.
  const document = unwrap(await store.load(session.id), 'load').session;
  await db.query(`CREATE TABLE ${s}.floor (id uuid PRIMARY KEY, document bytea NOT NULL)`);
  const plan = planFor(context, { warmup: 5, minSamples: 30, maxSamples: 300, budgetMs: 2000 });
  const save = await compareInterleaved(
    () =>
      db.query(
        `INSERT INTO ${s}.floor (id, document) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document`,
        [session.id, Buffer.from(JSON.stringify(document))],
      ),
    async () => unwrap(await store.save(session), 'save'),
    plan,
  );
  const load = await compareInterleaved(
    async () => {
      const { rows } = await db.query<{ document: Buffer }>(`SELECT document FROM ${s}.floor WHERE id = $1`, [
        session.id,
      ]);
      return JSON.parse(rows[0]?.document.toString('utf8') ?? 'null');
    },
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
 * Save, load and list at `count` stored sessions (staged, see `stagePostgresSessions`: signed by
 * the store's own save path, bulk-loaded, a sample proven identical to `store.save`'s rows) against
 * the same floor as the 1,000-session rows, plain INSERT … ON CONFLICT / SELECT of the same bytes;
 * and against the file backend on a home of as many sessions (staged by `addSessions`). The first
 * listing of each verifies every session (it must parse all and refuse none). Schemas are dropped.
 */
async function largeRows(context: BenchContext, url: string, count: number): Promise<FigureRow[]> {
  const schema = `jido_bench_large_${Date.now().toString(36)}`;
  const factory = new SessionFactory({ seed: 97 });
  const overrides = { messageCount: 20, project_path: context.projectDir };
  context.log(`postgres: staging ${count.toLocaleString('en-US')} sessions in ${schema}`);
  const { store, report } = await stagePostgresSessions({
    url,
    schema,
    count,
    make: () => factory.session(overrides),
    log: context.log,
  });
  const db = store.backend.db;
  const s = store.backend.schema;
  try {
    context.log(`postgres: staged in ${(report.stageMs / 1000).toFixed(1)} s; first list`);
    const firstListMs = await firstList(store, count);
    const session = new SessionFactory({ seed: 24 }).session({
      messageCount: 100,
      project_path: context.projectDir,
    });
    const { save, load, list, bytes } = await againstPlainSql(context, store, session, {
      warmup: 1,
      minSamples: 5,
      maxSamples: 20,
      budgetMs: 10_000,
    });
    const server = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
      ?.v;
    const facts = {
      server: `PostgreSQL ${server}`,
      sessions: count,
      bytes: bytes.byteLength,
      stagedInMs: Math.round(report.stageMs),
      stagedRowsProvenIdentical: report.rowsCompared,
      stagedSessionsLoadedVerified: report.loadedVerified,
      firstListMs: Math.round(firstListMs),
    };
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
    const home = await stagedFileHome(context, count, overrides);
    return [
      row('postgres save at scale', 'INSERT … ON CONFLICT of the same bytes', save, one),
      row('postgres load at scale', 'SELECT of the same bytes', load, one),
      row(
        'postgres list at scale (cached verified metadata)',
        'SELECT id, size, metadata of every row',
        list,
        `${count.toLocaleString('en-US')} sessions`,
      ),
      ...(await fileBackendRows(context, store, count, session, facts, home)),
    ];
  } finally {
    await db.query(`DROP SCHEMA ${s} CASCADE`).catch(() => {});
    await store.backend.close();
  }
}

/**
 * The first listing of a staged store: all `count` sessions, none refused (a file home parses and
 * verifies every file here; a staged PostgreSQL schema already holds each row's verified metadata).
 */
async function firstList(store: SessionStore<SessionBackend>, count: number): Promise<number> {
  let listing: Awaited<ReturnType<typeof store.listPersisted>> | undefined;
  const ms = await timeMs(async () => {
    listing = await store.listPersisted();
  });
  const value = unwrap(listing ?? (await store.listPersisted()), 'list');
  if (value.problems.length > 0 || value.sessions.length !== count) {
    throw new Error(
      `postgres bench: the first listing gave ${value.sessions.length} of ${count}, refused ${value.problems.length}`,
    );
  }
  return ms;
}

/** A file home of `count` sessions (see `stageFileHome`; same factory seed as the staged schema). */
async function stagedFileHome(
  context: BenchContext,
  count: number,
  overrides: SessionOverrides,
): Promise<SessionStore> {
  context.log(`postgres: a file home of ${count.toLocaleString('en-US')} sessions`);
  const factory = new SessionFactory({ seed: 97 });
  const { store, firstListMs } = await stageFileHome({
    home: join(context.root, 'pg-file-home-large'),
    count,
    make: () => factory.session(overrides),
    log: context.log,
  });
  context.log(`postgres: file home's first list (verifies every file) ${(firstListMs / 1000).toFixed(1)} s`);
  return store;
}
