import { randomUUID } from 'node:crypto';
import { openPostgresStore } from '@jido-code/storage-postgres';
import { SessionFactory } from '@jido-code/test-support';
import { type BenchContext, benchConfig, unwrap } from '../harness/context.js';
import { type FigureRow, statusAtMost } from '../harness/results.js';
import { postgresJournalRows } from './postgres-journal.js';
import { againstPlainSql, fileBackendRows } from './postgres-scale.js';

const target = 1.5;

/**
 * The PostgreSQL backend at 1,000 stored sessions (100,000: the `postgres-large` figure): save, load and list against a floor of plain INSERT … ON CONFLICT / SELECT
 * of the same bytes through the same pool, and against the file backend doing the same; and the
 * journal append with 1 and 16 appenders against plain single-row INSERTs. Runs when
 * JIDO_BENCH_DATABASE_URL (else JIDO_TEST_DATABASE_URL) names a server; the rows name it.
 */
export async function postgresFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const url = process.env.JIDO_BENCH_DATABASE_URL ?? process.env.JIDO_TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    context.log('postgres: skipped (set JIDO_BENCH_DATABASE_URL or JIDO_TEST_DATABASE_URL)');
    return { rows: [] };
  }
  const schema = `jido_bench_${randomUUID().slice(0, 8)}`;
  const store = unwrap(await openPostgresStore({ url, schema, env: {}, config: benchConfig }), 'open');
  const db = store.backend.db;
  const s = store.backend.schema;
  try {
    const settings = (
      await db.query<{ v: string; sync: string }>(
        "SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sync",
      )
    ).rows[0];
    const server = settings?.v;
    const sessions = await sessionRows(context, store, server ?? '?', settings?.sync ?? '?');
    const journal = await postgresJournalRows(context, store, { server: `PostgreSQL ${server}` });
    return { rows: [...sessions, ...journal] };
  } finally {
    await db.query(`DROP SCHEMA ${s} CASCADE`).catch(() => {});
    await store.backend.close();
  }
}

type PostgresStore = Extract<Awaited<ReturnType<typeof openPostgresStore>>, { ok: true }>['value'];

/** Save, load and list of one session among `count`, against plain INSERT / SELECT of its bytes. */
async function sessionRows(
  context: BenchContext,
  store: PostgresStore,
  server: string,
  floorSynchronousCommit: string,
): Promise<FigureRow[]> {
  const count = context.quick ? 200 : 1000;
  const factory = new SessionFactory({ seed: 23 });
  context.log(`postgres: ${count} sessions on PostgreSQL ${server}`);
  for (let index = 0; index < count; index++) {
    unwrap(await store.save(factory.session({ messageCount: 20, project_path: context.projectDir })), 'save');
  }
  const session = factory.session({ messageCount: 100, project_path: context.projectDir });
  const { save, load, list, bytes } = await againstPlainSql(context, store, session, {
    warmup: 2,
    minSamples: 10,
    maxSamples: 60,
    budgetMs: 3000,
  });
  const facts = {
    server: `PostgreSQL ${server}`,
    sessions: count,
    bytes: bytes.byteLength,
    floorSynchronousCommit,
  };
  const row = (
    operation: string,
    floorName: string,
    comparison: typeof save,
    checked: boolean,
  ): FigureRow => ({
    operation,
    size: `1 session of 100 messages among ${count.toLocaleString('en-US')}`,
    floorName,
    ...comparison,
    target: checked ? `≤ ${target}×` : 'report',
    status: checked ? statusAtMost(comparison.ratio, target) : 'reported',
    facts,
  });
  const fileRows = await fileBackendRows(context, store, count, session, facts);
  return [
    row(
      'postgres save (signed, validated, fenced upsert, search index)',
      'JSON.stringify + INSERT … ON CONFLICT of the same document',
      save,
      true,
    ),
    row('postgres load (read, parse, validate, verify)', 'SELECT + JSON.parse of the same bytes', load, true),
    {
      ...row(
        'postgres list (cached verified metadata)',
        'SELECT id, size, metadata of every row',
        list,
        true,
      ),
      size: `${count.toLocaleString('en-US')} sessions`,
    },
    ...fileRows,
  ];
}
