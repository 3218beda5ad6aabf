import type { Migration } from './migrations.js';

/**
 * Migration 7: search rows in the order they were indexed, so that a query matching very many
 * messages ranks only the most recent of them (as the SQLite index does with its rowids).
 *
 * `seq` comes from a sequence: every search row inserted from now on (by this release's functions
 * or an older release's, through the column's default) takes the next value, so it grows with each
 * save, and a message rewritten in place keeps its place. Rows already there are numbered in the
 * table's physical order as the column is added (the closest record of their age the table holds);
 * that rewrites the table once, under the migration's lock. The btree index lets the candidate query
 * read the newest matches first and stop (see `PostgresSearch`).
 */
export const searchRecencyMigration: Migration = {
  version: 7,
  name: 'search: rows numbered in the order they were indexed, with a btree index',
  statements: [
    'ALTER TABLE {schema}.search_messages ADD COLUMN IF NOT EXISTS seq bigserial',
    'CREATE INDEX IF NOT EXISTS search_messages_seq ON {schema}.search_messages (seq)',
  ],
};
