import { JidoError } from '@jido-code/core-schema';
import type { Database } from './database.js';
import { searchRecencyMigration } from './search-recency.js';
import { searchStalenessMigration } from './search-staleness.js';
import { sessionFunctionsMigration } from './session-functions.js';

/** One schema change. Never destructive: only CREATE and ADD, so an older reader keeps working. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements, with `{schema}` standing for the quoted schema name. */
  readonly statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, trash, leases, documents, signed ids, journal',
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.sessions (
        id uuid PRIMARY KEY,
        document bytea NOT NULL,
        size_bytes integer NOT NULL,
        revision bigint NOT NULL DEFAULT 1,
        name text,
        project_path text,
        created_at text,
        updated_at text,
        closed_at text,
        message_count integer,
        pinned boolean NOT NULL DEFAULT false,
        metadata jsonb,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `CREATE TABLE IF NOT EXISTS {schema}.trash (
        entry text PRIMARY KEY,
        id uuid NOT NULL,
        document bytea NOT NULL,
        record bytea NOT NULL,
        trashed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `CREATE TABLE IF NOT EXISTS {schema}.leases (
        id uuid PRIMARY KEY,
        generation bigint NOT NULL,
        token text NOT NULL,
        pid integer NOT NULL,
        host text NOT NULL,
        started_at text NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS {schema}.documents (
        kind text NOT NULL,
        name text NOT NULL,
        content bytea,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (kind, name)
      )`,
      `CREATE TABLE IF NOT EXISTS {schema}.signed_ids (id uuid PRIMARY KEY)`,
      `CREATE TABLE IF NOT EXISTS {schema}.journal (
        session_id uuid NOT NULL,
        seq bigint NOT NULL,
        record bytea NOT NULL,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (session_id, seq)
      )`,
    ],
  },
  {
    version: 2,
    name: 'full-text search: one row per message with a tsvector and a GIN index',
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.search_messages (
        session_id uuid NOT NULL,
        ordinal integer NOT NULL,
        message_id text NOT NULL,
        role text NOT NULL,
        at text NOT NULL,
        content text NOT NULL,
        tsv tsvector NOT NULL,
        PRIMARY KEY (session_id, ordinal)
      )`,
      'CREATE INDEX IF NOT EXISTS search_messages_tsv ON {schema}.search_messages USING gin (tsv)',
      `CREATE TABLE IF NOT EXISTS {schema}.search_sessions (
        session_id uuid PRIMARY KEY,
        content_hash text NOT NULL,
        project_path text NOT NULL,
        name text NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'search: the session revision each indexed session was indexed at',
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.search_revisions (
        session_id uuid PRIMARY KEY,
        revision bigint NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: 'journal: quarantined journals, kept instead of deleted',
    statements: [
      `CREATE TABLE IF NOT EXISTS {schema}.journal_quarantine (
        entry text PRIMARY KEY,
        session_id uuid NOT NULL,
        reason text NOT NULL,
        quarantined_at timestamptz NOT NULL,
        record_count integer NOT NULL,
        records bytea NOT NULL
      )`,
    ],
  },
  sessionFunctionsMigration,
  searchStalenessMigration,
  searchRecencyMigration,
];

/** The newest schema version this code knows. */
export const latestVersion = Math.max(...migrations.map((migration) => migration.version));

/**
 * Brings the schema up to {@link latestVersion} in one transaction under an advisory lock, so that
 * processes opening at once apply each migration exactly once; each is recorded in `migrations`.
 * A schema newer than this code is refused and left alone.
 */
export async function migrate(db: Database, schema: string): Promise<{ applied: number[] }> {
  const quoted = quoteIdentifier(schema);
  return db.transaction(async () => {
    await db.lock(`jido:migrations:${schema}`);
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`, [], 'prepare the session database');
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      [],
      'prepare the session database',
    );
    const done = new Set(
      (await db.query<{ version: number }>(`SELECT version FROM ${quoted}.migrations`)).rows.map(
        (row) => row.version,
      ),
    );
    const newest = Math.max(0, ...done);
    if (newest > latestVersion) {
      throw new JidoError('store_unavailable', 'The session database was set up by a newer jido-code.', {
        details: { reason: 'newer_schema', schemaVersion: newest, knownVersion: latestVersion },
      });
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await db.query(statement.replaceAll('{schema}', quoted), [], 'migrate the session database');
      }
      await db.query(`INSERT INTO ${quoted}.migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return { applied };
  }, 'migrate the session database');
}

/** Schema names are plain lower-case identifiers, so quoting never needs escaping. */
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdentifier(name: string): string {
  if (!schemaNamePattern.test(name)) {
    throw new JidoError(
      'invalid_value',
      'The database schema name must be lower-case letters, digits and _.',
      {
        details: { schema: name },
      },
    );
  }
  return `"${name}"`;
}
