import type { Migration } from './migrations.js';

/**
 * Migration 5: a save of a stored session in one statement, and search rows compared by digest.
 *
 * `index_session_v1` brings one session's search rows up to the given messages: when the digest of
 * all of them is the one recorded with the indexed revision, only the revision is recorded; else
 * rows whose digest (of message id, role, time and indexed text) is unchanged are left alone,
 * changed ones are rewritten, rows past the end are dropped, and revision and digest are recorded. Any error is
 * caught (a subtransaction) and returned instead: an index failure never fails the save around it;
 * the session is re-indexed before the next search, by revision.
 *
 * `replace_session_v1` is the whole save of a session that is already stored: under the session's
 * advisory lock, with `synchronous_commit = on` for its transaction, the fenced update (the lease's
 * generation and token checked in the same statement, the lease row share-locked until commit),
 * the signed-id ledger and the search rows. `outcome` is `written`, `missing` (nothing stored: the
 * caller creates the session the long way, under the count limit) or `fenced` (refused).
 *
 * Every function call is schema-qualified (`pg_catalog`), so a caller's search_path cannot swap one.
 */
export const sessionFunctionsMigration: Migration = {
  version: 5,
  name: 'a stored session saved in one statement; search rows compared by digest',
  statements: [
    'ALTER TABLE {schema}.search_messages ADD COLUMN IF NOT EXISTS digest bytea',
    'ALTER TABLE {schema}.search_revisions ADD COLUMN IF NOT EXISTS digest bytea',
    `CREATE OR REPLACE FUNCTION {schema}.index_session_v1(
        p_id uuid, p_revision bigint, p_digest bytea, p_message_ids text[], p_roles text[],
        p_ats text[], p_folded text[], p_digests bytea[]
      ) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
      BEGIN
        IF p_revision IS NULL THEN
          RETURN NULL;
        END IF;
        UPDATE {schema}.search_revisions SET revision = p_revision
          WHERE session_id = p_id AND digest = p_digest;
        IF FOUND THEN
          RETURN NULL;
        END IF;
        DELETE FROM {schema}.search_messages
          WHERE session_id = p_id AND ordinal >= pg_catalog.cardinality(p_digests);
        INSERT INTO {schema}.search_messages AS m
          (session_id, ordinal, message_id, role, at, content, tsv, digest)
        SELECT p_id, t.n - 1, t.message_id, t.role, t.at, '',
               pg_catalog.to_tsvector('pg_catalog.simple', t.folded), t.digest
        FROM unnest(p_message_ids, p_roles, p_ats, p_folded, p_digests) WITH ORDINALITY
          AS t(message_id, role, at, folded, digest, n)
        WHERE NOT EXISTS (
          SELECT 1 FROM {schema}.search_messages o
          WHERE o.session_id = p_id AND o.ordinal = t.n - 1 AND o.digest = t.digest
        )
        ON CONFLICT (session_id, ordinal) DO UPDATE SET
          message_id = EXCLUDED.message_id, role = EXCLUDED.role, at = EXCLUDED.at,
          content = EXCLUDED.content, tsv = EXCLUDED.tsv, digest = EXCLUDED.digest;
        INSERT INTO {schema}.search_revisions (session_id, revision, digest)
          VALUES (p_id, p_revision, p_digest)
          ON CONFLICT (session_id) DO UPDATE SET revision = EXCLUDED.revision, digest = EXCLUDED.digest;
        RETURN NULL;
      EXCEPTION WHEN OTHERS OR query_canceled THEN
        RETURN SQLERRM;
      END
      $fn$`,
    `CREATE OR REPLACE FUNCTION {schema}.replace_session_v1(
        p_lock text, p_id uuid, p_document bytea, p_size integer, p_name text, p_project text,
        p_created text, p_updated text, p_closed text, p_count integer, p_pinned boolean,
        p_generation bigint, p_token text, p_digest bytea, p_message_ids text[], p_roles text[],
        p_ats text[], p_folded text[], p_digests bytea[], OUT outcome text, OUT index_error text
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_revision bigint;
      BEGIN
        PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(p_lock, 0));
        WITH fence AS (
          SELECT 1 FROM {schema}.leases
          WHERE id = p_id AND generation = p_generation AND token = p_token FOR SHARE
        )
        UPDATE {schema}.sessions AS s SET
          document = p_document, size_bytes = p_size, name = p_name, project_path = p_project,
          created_at = p_created, updated_at = p_updated, closed_at = p_closed,
          message_count = p_count, pinned = p_pinned, metadata = NULL,
          revision = s.revision + 1, written_at = pg_catalog.clock_timestamp()
        WHERE s.id = p_id AND (p_generation IS NULL OR EXISTS (SELECT 1 FROM fence))
        RETURNING s.revision INTO v_revision;
        IF v_revision IS NULL THEN
          outcome := CASE WHEN EXISTS (SELECT 1 FROM {schema}.sessions WHERE id = p_id)
                     THEN 'fenced' ELSE 'missing' END;
          RETURN;
        END IF;
        INSERT INTO {schema}.signed_ids (id) VALUES (p_id) ON CONFLICT DO NOTHING;
        index_error := {schema}.index_session_v1(
          p_id, v_revision, p_digest, p_message_ids, p_roles, p_ats, p_folded, p_digests);
        outcome := 'written';
      END
      $fn$`,
  ],
};
