import type { Session } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import {
  migrations,
  openPostgresStore,
  type PostgresBackend,
  type SqlValue,
} from '@jido-code/storage-postgres';
import { listingColumns, searchRowParameters } from '@jido-code/storage-postgres/internal';
import { type Captured, CapturingStore } from './capture-store.js';
import { benchConfig, unwrap } from './context.js';
import { timeMs } from './timer.js';

type PostgresStore = SessionStore<PostgresBackend>;

/** How a staging went, for the rows' facts. */
export interface StagingReport {
  readonly sessions: number;
  readonly messages: number;
  /** Signing and bulk loading, index build and ANALYZE included. */
  readonly stageMs: number;
  /** Sessions saved again by a real `store.save` into a scratch schema, all their rows identical. */
  readonly rowsCompared: number;
  /** Staged sessions loaded through the target store, each signed and verified. */
  readonly loadedVerified: number;
}

const array = (values: readonly unknown[]) => values as unknown as SqlValue;

/**
 * One batch in one transaction: session rows (at revision 1, indexed at it with its digest), search rows (as
 * `PostgresSearch` writes them), ledger.
 */
async function insertBatch(db: PostgresBackend['db'], s: string, batch: readonly Captured[]): Promise<void> {
  const unwritten = batch.find((captured) => captured.bytes === undefined || captured.metadata === undefined);
  if (unwritten !== undefined) throw new Error(`staging: the save of ${unwritten.id} wrote nothing`);
  const columns = batch.map((captured) => listingColumns(captured.bytes ?? new Uint8Array()));
  const column = (index: number) => array(columns.map((row) => row[index] ?? null));
  const ids = batch.map((captured) => captured.id);
  // The search rows exactly as the backend sends them to `index_session_v1`: its own array literals.
  const indexed = batch.flatMap((captured) =>
    captured.session === undefined ? [] : [{ id: captured.id, rows: searchRowParameters(captured.session) }],
  );
  const rowColumn = (index: number) => array(indexed.map((entry) => entry.rows[index]));
  const digests = new Map(indexed.map((entry) => [entry.id, entry.rows[0]]));
  await db.transaction(async () => {
    await db.query(
      `INSERT INTO ${s}.sessions
         (id, document, size_bytes, name, project_path, created_at, updated_at, closed_at, message_count,
          pinned, metadata, search_revision, search_digest)
       SELECT u.id, u.document, u.size_bytes, u.name, u.project_path, u.created_at, u.updated_at,
         u.closed_at, u.message_count, u.pinned, u.metadata::jsonb, 1, u.search_digest
       FROM unnest($1::uuid[], $2::bytea[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::int[], $10::boolean[], $11::text[], $12::bytea[])
         AS u(id, document, size_bytes, name, project_path, created_at, updated_at, closed_at,
           message_count, pinned, metadata, search_digest)`,
      [
        array(ids),
        array(batch.map((captured) => captured.bytes)),
        array(batch.map((captured) => captured.bytes?.byteLength)),
        ...[0, 1, 2, 3, 4, 5, 6].map(column),
        array(batch.map((captured) => JSON.stringify(captured.metadata))),
        array(batch.map((captured) => digests.get(captured.id) ?? null)),
      ],
    );
    // Each session's rows as `index_session_v1` inserts them into an empty index: element i of its
    // array literals is ordinal i.
    await db.query(
      `INSERT INTO ${s}.search_messages (session_id, ordinal, message_id, role, at, content, tsv, digest)
       SELECT u.id, t.n - 1, t.message_id, t.role, t.at, '', to_tsvector('simple', t.folded), t.digest
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS u(id, message_ids, roles, ats, folded, digests)
       CROSS JOIN LATERAL unnest(u.message_ids::text[], u.roles::text[], u.ats::text[], u.folded::text[],
         u.digests::bytea[]) WITH ORDINALITY AS t(message_id, role, at, folded, digest, n)`,
      [array(indexed.map((entry) => entry.id)), ...[1, 2, 3, 4, 5].map(rowColumn)],
    );
    await db.query(
      `INSERT INTO ${s}.search_revisions (session_id, revision, digest)
       SELECT x.id, x.revision, u.digest FROM unnest($1::uuid[], $2::bytea[]) AS u(id, digest)
       JOIN ${s}.sessions x ON x.id = u.id`,
      [array(indexed.map((entry) => entry.id)), rowColumn(0)],
    );
    const signed = batch.filter((captured) => captured.signed).map((captured) => captured.id);
    await db.query(`INSERT INTO ${s}.signed_ids (id) SELECT unnest($1::uuid[])`, [array(signed)]);
  });
}

const searchIndexStatement = migrations
  .flatMap((migration) => migration.statements)
  .find((statement) => statement.includes('search_messages_tsv'));

/**
 * A fresh schema holding `count` sessions made by `make(index)`, fast and exactly as `store.save`
 * and a first listing would have left them: each session goes through the whole save path of a
 * store over the schema's own backend (so it is signed with the schema's keyring), which captures
 * the bytes, the indexed session and the ledger entry, and each batch is listed through that store
 * (decoded and verified from the captured bytes) for the metadata a first listing caches in the
 * row; batches are then written by one multi-row INSERT per table, the next batch signed while the
 * last one is written. The GIN index is built
 * once at the end by the migration's own statement, then every table is ANALYZEd (as autovacuum
 * would have by then). One session in twenty is proven afterwards (see {@link proveStaged}). On
 * any failure the schema is dropped.
 */
export async function stagePostgresSessions(options: {
  url: string;
  schema: string;
  count: number;
  make: (index: number) => Session;
  log: (line: string) => void;
}): Promise<{ store: PostgresStore; report: StagingReport }> {
  const { url, schema, count } = options;
  const store = unwrap(await openPostgresStore({ url, schema, env: {}, config: benchConfig }), 'open');
  try {
    const sample: Session[] = [];
    let messages = 0;
    const every = Math.max(1, Math.floor(count / 20));
    const stageMs = await timeMs(async () => {
      await fill(store, count, options.log, (index) => {
        const session = options.make(index);
        if (index % every === 0) sample.push(session);
        messages += session.conversation.length;
        return session;
      });
    });
    const proof = await proveStaged(url, store, sample);
    return { store, report: { sessions: count, messages, stageMs, ...proof } };
  } catch (error) {
    await store.backend.db.query(`DROP SCHEMA ${store.backend.schema} CASCADE`).catch(() => {});
    await store.backend.close();
    throw error;
  }
}

/** Signs, describes and inserts `count` sessions in batches; then the GIN index and ANALYZE. */
async function fill(
  store: PostgresStore,
  count: number,
  log: (line: string) => void,
  make: (index: number) => Session,
): Promise<void> {
  const { db, schema: s } = store.backend;
  const capturing = new CapturingStore(store.backend);
  const phases = { sign: 0, describe: 0, wait: 0 };
  await db.query(`DROP INDEX ${s}.search_messages_tsv`);
  let pending: Promise<void> = Promise.resolve();
  let batchMessages = 0;
  for (let index = 0; index < count; index++) {
    const session = make(index);
    batchMessages += session.conversation.length + 1;
    let started = performance.now();
    await capturing.save(session);
    phases.sign += performance.now() - started;
    if (batchMessages < 20_000 && index < count - 1) continue;
    started = performance.now();
    await capturing.describe();
    phases.describe += performance.now() - started;
    const batch = capturing.take();
    batchMessages = 0;
    started = performance.now();
    await pending;
    phases.wait += performance.now() - started;
    pending = insertBatch(db, s, batch);
    // Handled when awaited (next batch or the end); this keeps a failure from crashing meanwhile.
    pending.catch(() => {});
    // Let the insert's round trips through while the next batch is signed.
    await new Promise((resolve) => setImmediate(resolve));
    if (Math.floor(index / 10_000) !== Math.floor((index - batch.length) / 10_000)) {
      log(`postgres: staged ${(index + 1).toLocaleString('en-US')} sessions`);
    }
  }
  await pending;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  log(
    `postgres: signed in ${seconds(phases.sign)}, described in ${seconds(phases.describe)}, waited ${seconds(phases.wait)} for inserts; building the GIN index`,
  );
  await db.transaction(async () => {
    await db.query('SET LOCAL statement_timeout = 0');
    await db.query("SET LOCAL maintenance_work_mem = '256MB'");
    await db.query((searchIndexStatement ?? '').replaceAll('{schema}', s));
  });
  await db.query(`ANALYZE ${s}.sessions, ${s}.search_messages, ${s}.search_revisions, ${s}.signed_ids`);
}

/**
 * Proves the staging honest: the sample is saved again, one `store.save` at a time, by a real
 * store over a scratch schema sharing the keyring, and listed once; every row that wrote (session
 * with its listing columns and cached metadata, search rows with their tsvectors, revisions,
 * ledger) must equal the staged one;
 * then each sampled session is loaded through the target store and must come back signed and
 * verified. The scratch schema is dropped.
 */
async function proveStaged(
  url: string,
  target: PostgresStore,
  sample: readonly Session[],
): Promise<{ rowsCompared: number; loadedVerified: number }> {
  const t = target.backend.schema;
  const scratch = `${t.slice(1, -1)}_check`;
  const check = unwrap(
    await openPostgresStore({ url, schema: scratch, env: {}, config: benchConfig }),
    'open',
  );
  const c = check.backend.schema;
  try {
    await check.backend.db.query(`INSERT INTO ${c}.documents SELECT * FROM ${t}.documents`);
    for (const session of sample) unwrap(await check.save(session), 'check save');
    // The first listing caches each session's verified metadata in its row, as staging did.
    unwrap(await check.listPersisted(), 'check list');
    const ids = sample.map((session) => session.id);
    // Every column of every table a save writes, but when the row was written (`written_at`, and
    // `seq`, the search row's place in the order rows were indexed in its own schema).
    const { rows: columnRows } = await check.backend.db.query<{ name: string; columns: string }>(
      `SELECT table_name AS name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
       WHERE table_schema = $1 AND column_name NOT IN ('written_at', 'seq')
         AND table_name IN ('sessions', 'search_messages', 'search_revisions', 'signed_ids')
       GROUP BY table_name`,
      [scratch],
    );
    const tables = columnRows.map((row): [string, string] => [row.name, row.columns]);
    if (tables.length !== 4) throw new Error('staging: the scratch schema lacks a table');
    let compared = 0;
    for (const [table, columns] of tables) {
      const key = table === 'sessions' || table === 'signed_ids' ? 'id' : 'session_id';
      const staged = `SELECT ${columns} FROM ${t}.${table} WHERE ${key} = ANY($1::uuid[])`;
      const saved = `SELECT ${columns} FROM ${c}.${table}`;
      const { rows } = await check.backend.db.query<{ differing: string; saved: string }>(
        `SELECT (SELECT count(*) FROM ((${staged} EXCEPT ALL ${saved}) UNION ALL (${saved} EXCEPT ALL ${staged})) d) AS differing,
                (SELECT count(*) FROM ${c}.${table}) AS saved`,
        [array(ids)],
      );
      const differing = Number(rows[0]?.differing);
      if (differing !== 0 || Number(rows[0]?.saved) === 0) {
        throw new Error(`staging: ${differing} ${table} rows differ from what store.save wrote`);
      }
      if (table === 'sessions') compared = Number(rows[0]?.saved);
    }
    for (const session of sample) {
      const loaded = unwrap(await target.load(session.id), 'load a staged session');
      if (!loaded.signed || loaded.session.id !== session.id) {
        throw new Error(`staging: session ${session.id} did not load signed and verified`);
      }
    }
    return { rowsCompared: compared, loadedVerified: sample.length };
  } finally {
    await check.backend.db.query(`DROP SCHEMA ${c} CASCADE`).catch(() => {});
    await check.backend.close();
  }
}
