import type { SessionStore } from '@jido-code/storage';
import { foldToken, parseSearchQuery } from '@jido-code/storage/search';
import type { PostgresBackend } from '@jido-code/storage-postgres';
import { SessionFactory } from '@jido-code/test-support';
import { compareInterleaved, type SamplingPlan } from '../harness/compare.js';
import { type BenchContext, planFor, unwrap } from '../harness/context.js';
import { stagePostgresSessions } from '../harness/pg-staging.js';
import { runNode } from '../harness/process.js';
import type { FigureRow } from '../harness/results.js';
import { conversationOf, TextSource } from '../harness/text-source.js';
import { postgresUrl } from './postgres-scale.js';

type PostgresStore = SessionStore<PostgresBackend>;

const messagesPerSession = 100;
// Fewer minimum samples than the SQLite rows: a PostgreSQL search is slower, and the machine is shared.
const warmPlan: SamplingPlan = { warmup: 5, minSamples: 40, maxSamples: 400, budgetMs: 6000 };
const processPlan: SamplingPlan = { warmup: 2, minSamples: 11, maxSamples: 31, budgetMs: 8000 };

/** The tsquery `PostgresSearch` builds for a query (its narrowing step), for the floor. */
function tsQueryOf(text: string): string {
  const query = parseSearchQuery(text);
  if (!query.ok) throw new Error(`search bench: unparsable query ${text}`);
  const lexeme = (token: string, prefix: boolean) =>
    `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${prefix ? ':*' : ''}`;
  return query.value.include
    .map((term) => {
      const tokens = term.tokens.map(foldToken);
      return `(${tokens.map((token, index) => lexeme(token, term.prefix && index === tokens.length - 1)).join(' <-> ')})`;
    })
    .join(' & ');
}

/**
 * Full-text search on PostgreSQL (tsvector, GIN) over 10,000 sessions × 100 messages (1,000,000;
 * 1,000 sessions with --quick), the same corpus and query mix as the SQLite rows (same seeds):
 * warm in-process searches of one to three words, top 10, each result loaded and verified, against
 * the GIN query alone (the candidate SELECT the backend runs); and the whole
 * `jido --store postgres://…?schema=… sessions search` process against `node -e 0`. The sessions
 * are staged (see `stagePostgresSessions`) into a schema of their own, dropped at the end.
 */
export async function postgresSearchFigures(context: BenchContext): Promise<{ rows: FigureRow[] }> {
  const url = postgresUrl();
  if (url === undefined) {
    context.log('postgres search: skipped (set JIDO_BENCH_DATABASE_URL or JIDO_TEST_DATABASE_URL)');
    return { rows: [] };
  }
  const count = context.quick ? 1000 : 10_000;
  const factory = new SessionFactory({ seed: 71 });
  const text = new TextSource(72);
  let textBytes = 0;
  const schema = `jido_bench_search_${Date.now().toString(36)}`;
  context.log(`postgres search: staging ${count * messagesPerSession} messages in ${schema}`);
  const { store, report } = await stagePostgresSessions({
    url,
    schema,
    count,
    make: () => {
      const conversation = conversationOf(factory, text, messagesPerSession);
      for (const message of conversation) textBytes += Buffer.byteLength(message.content);
      return factory.session({ conversation, todoCount: 0, project_path: context.projectDir });
    },
    log: context.log,
  });
  const { db, schema: s } = store.backend;
  try {
    const queries = Array.from({ length: 64 }, () => text.query());
    let next = 0;
    const floorQuery = `SELECT m.session_id, count(*) AS hits, max(x.updated_at) COLLATE "C" AS updated_at
      FROM ${s}.search_messages m JOIN ${s}.sessions x ON x.id = m.session_id
      WHERE m.tsv @@ to_tsquery('simple', $1)
      GROUP BY m.session_id ORDER BY hits DESC, updated_at DESC NULLS LAST, m.session_id LIMIT 40`;
    context.log('postgres search: warm searches');
    const comparison = await compareInterleaved(
      () => db.query(floorQuery, [tsQueryOf(queries[next % queries.length] ?? 'x')]),
      async () => {
        const query = queries[next++ % queries.length] ?? 'x';
        const outcome = unwrap(await store.search(query, { limit: 10 }), 'search');
        if (outcome.mode !== 'index') throw new Error(`search bench: searched in ${outcome.mode} mode`);
      },
      planFor(context, warmPlan),
    );
    const parts = await breakdown(store, floorQuery, queries);
    const sizes = await db.query<{ index: string; table: string; server: string }>(
      `SELECT pg_relation_size('${s}.search_messages_tsv') AS index,
              pg_total_relation_size('${s}.search_messages') AS table,
              current_setting('server_version') AS server`,
    );
    const size = sizes.rows[0];
    const messages = count * messagesPerSession;
    const facts = {
      server: `PostgreSQL ${size?.server}`,
      messages,
      textBytes,
      ginIndexBytes: Number(size?.index),
      searchTableBytes: Number(size?.table),
      stagedInMs: Math.round(report.stageMs),
      stagedRowsProvenIdentical: report.rowsCompared,
      stagedSessionsLoadedVerified: report.loadedVerified,
      ...parts,
    };
    const p50 = comparison.subject.medianMs;
    const p99 = comparison.subject.p99Ms;
    const warm: FigureRow = {
      operation: 'postgres search (warm, in-process, 1–3 words, top 10)',
      size: `${count.toLocaleString('en-US')} sessions × ${messagesPerSession} msgs`,
      floorName: 'the GIN candidate query alone',
      ...comparison,
      target: 'p50 ≤ 30 ms, p99 ≤ 100 ms',
      status: p50 <= 30 && p99 <= 100 ? 'ok' : 'over target',
      facts,
    };
    return { rows: [warm, await processRow(context, url, schema, text.query())] };
  } finally {
    await db.query(`DROP SCHEMA ${s} CASCADE`).catch(() => {});
    await store.backend.close();
  }
}

/** Median of the timings of `action` run `times` times. */
async function medianMs(times: number, action: (index: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await action(index);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 100) / 100;
}

/**
 * Where a search's time goes, measured apart (for the facts): the staleness check every search
 * runs first (one statement), the candidate query, how many candidates it returns, one verified
 * load of a candidate, and how many candidates a top-10 search loaded; and the candidate query's
 * plan (`EXPLAIN ANALYZE`) for the query matching the most messages.
 */
async function breakdown(store: PostgresStore, floorQuery: string, queries: readonly string[]) {
  const { db, schema: s } = store.backend;
  const tsQueries = queries.map(tsQueryOf);
  const refreshMs = await medianMs(21, () =>
    db.query(
      `SELECT id, revision FROM ${s}.sessions
       WHERE search_revision IS DISTINCT FROM revision AND ($1::uuid IS NULL OR id > $1::uuid)
       ORDER BY id LIMIT 500`,
      [null],
    ),
  );
  const candidates: string[] = [];
  let returned = 0;
  for (const tsQuery of tsQueries) {
    const { rows } = await db.query<{ session_id: string }>(floorQuery, [tsQuery]);
    returned += rows.length;
    candidates.push(...rows.slice(0, 1).map((row) => row.session_id));
  }
  const loadOneMs = await medianMs(Math.min(21, candidates.length), async (index) =>
    unwrap(await store.load(candidates[index] ?? ''), 'load'),
  );
  return {
    refreshChecksMs: refreshMs,
    candidatesPerSearch: Math.round((returned / Math.max(1, tsQueries.length)) * 10) / 10,
    verifiedLoadOfOneCandidateMs: loadOneMs,
    ...(await loadsPerSearch(store, queries)),
    ...(await planOf(store, floorQuery, tsQueries)),
  };
}

/** How many sessions a top-10 search loads, on average over the query mix (verified loads counted). */
async function loadsPerSearch(store: PostgresStore, queries: readonly string[]) {
  let loads = 0;
  const search = store.backend.search(async (id) => {
    loads += 1;
    return store.load(id);
  });
  for (const query of queries) unwrap(await search.search(query, { limit: 10 }), 'search');
  return { verifiedLoadsPerTop10Search: Math.round((loads / Math.max(1, queries.length)) * 10) / 10 };
}

/** The candidate query's plan for the query of the mix that matches the most messages. */
async function planOf(store: PostgresStore, floorQuery: string, tsQueries: readonly string[]) {
  const { db, schema: s } = store.backend;
  let widest = tsQueries[0] ?? 'x';
  let most = -1;
  for (const tsQuery of new Set(tsQueries)) {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${s}.search_messages WHERE tsv @@ to_tsquery('simple', $1)`,
      [tsQuery],
    );
    if (Number(rows[0]?.n) > most) {
      most = Number(rows[0]?.n);
      widest = tsQuery;
    }
  }
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${floorQuery}`,
    [widest],
  );
  const plans = rows[0]?.['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[] | undefined;
  const plan = plans?.[0];
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(
      `${node['Node Type']}${node['Index Name'] === undefined ? '' : ` on ${node['Index Name']}`}${node['Relation Name'] === undefined ? '' : ` of ${node['Relation Name']}`}: ${node['Actual Rows']} rows${node['Lossy Heap Blocks'] ? `, ${node['Lossy Heap Blocks']} lossy blocks` : ''}`,
    );
    for (const child of node.Plans ?? []) walk(child);
  };
  if (plan !== undefined) walk(plan.Plan);
  return {
    widestQuery: widest,
    widestQueryMatchingMessages: most,
    widestQueryPlan: nodes.join(' → '),
    widestQueryExecutionMs: plan?.['Execution Time'] ?? -1,
  };
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows': number;
  readonly 'Lossy Heap Blocks'?: number;
  readonly Plans?: readonly PlanNode[];
}

async function processRow(
  context: BenchContext,
  url: string,
  schema: string,
  query: string,
): Promise<FigureRow> {
  const bin = `${context.repoRoot}/apps/cli/bin/jido.js`;
  const storeUrl = new URL(url);
  storeUrl.searchParams.set('schema', schema);
  const args = [bin, '--store', storeUrl.toString(), 'sessions', 'search', query];
  const { stdout } = await runNode(args, { cwd: context.repoRoot });
  if (stdout.trim() === '') throw new Error('search bench: the CLI printed nothing');
  context.log('postgres search: whole `jido --store postgres://… sessions search` process');
  const comparison = await compareInterleaved(
    () => runNode(['-e', '0'], { cwd: context.repoRoot }),
    () => runNode(args, { cwd: context.repoRoot }),
    planFor(context, processPlan),
  );
  return {
    operation: 'jido --store postgres://… sessions search, whole process',
    size: 'the store above',
    floorName: 'node -e 0',
    ...comparison,
    target: 'report',
    status: 'reported',
    facts: { launcher: 'apps/cli/bin/jido.js', query },
  };
}
