import type { Migration } from './migrations.js';

/**
 * Migration 6: the staleness check before a search costs what is stale, not the size of the store.
 *
 * Each session row carries `search_revision`, the revision its search rows were indexed at, and a
 * partial index holds exactly the rows where it differs from `revision`. Any write that does not
 * index (an older release, a restore, a sync, a hand-made UPDATE) bumps `revision` and leaves
 * `search_revision` behind, so its row enters the partial index and the next search re-indexes it;
 * before, every search compared every session with `search_revisions` (one anti-join over the
 * whole store).
 *
 * `search_digest` beside it is the digest of the indexed rows (see `searchRowParameters`); both are
 * set together, only by code that has just written those rows, and cleared together otherwise.
 *
 * `index_session_v2` is `index_session_v1` followed, in the same subtransaction, by recording the
 * indexed revision and digest in the session row (only while the row is still at that revision).
 * `replace_session_v2` is `replace_session_v1` with both set by the same UPDATE that bumps
 * `revision` (no second row version on a save), cleared again if the search rows failed; when the
 * row was current and its digest is the new one (a rename, a pin, a close: the same messages), the
 * search rows are left alone with no subtransaction and no write to `search_revisions`. A caller
 * that expects that (it wrote this digest last) may send NULL rows, about 40 KB fewer for 100
 * messages; if the digest turns out to differ, the row is left stale and the next search indexes
 * it. `search_current` says whether the search rows now match `p_digest`.
 *
 * `search_revisions` is still written whenever rows are indexed, so a release reading it keeps
 * working (after an unchanged re-save by this release, it re-indexes that session once); rows that
 * an older release indexed are adopted from it by the search's refresh, with no session loaded
 * again. Nothing is backfilled here: the first search does that.
 */
export const searchStalenessMigration: Migration = {
  version: 6,
  name: 'search: the indexed revision and digest in the session row, stale rows in a partial index',
  statements: [
    'ALTER TABLE {schema}.sessions ADD COLUMN IF NOT EXISTS search_revision bigint',
    'ALTER TABLE {schema}.sessions ADD COLUMN IF NOT EXISTS search_digest bytea',
    `CREATE INDEX IF NOT EXISTS sessions_search_stale ON {schema}.sessions (id)
       WHERE search_revision IS DISTINCT FROM revision`,
    `CREATE OR REPLACE FUNCTION {schema}.index_session_v2(
        p_id uuid, p_revision bigint, p_digest bytea, p_message_ids text[], p_roles text[],
        p_ats text[], p_folded text[], p_digests bytea[]
      ) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_error text;
      BEGIN
        v_error := {schema}.index_session_v1(
          p_id, p_revision, p_digest, p_message_ids, p_roles, p_ats, p_folded, p_digests);
        IF v_error IS NULL AND p_revision IS NOT NULL THEN
          UPDATE {schema}.sessions SET search_revision = p_revision, search_digest = p_digest
            WHERE id = p_id AND revision = p_revision
              AND (search_revision, search_digest) IS DISTINCT FROM (p_revision, p_digest);
        END IF;
        RETURN v_error;
      EXCEPTION WHEN OTHERS OR query_canceled THEN
        RETURN SQLERRM;
      END
      $fn$`,
    `CREATE OR REPLACE FUNCTION {schema}.replace_session_v2(
        p_lock text, p_id uuid, p_document bytea, p_size integer, p_name text, p_project text,
        p_created text, p_updated text, p_closed text, p_count integer, p_pinned boolean,
        p_generation bigint, p_token text, p_digest bytea, p_message_ids text[], p_roles text[],
        p_ats text[], p_folded text[], p_digests bytea[], OUT outcome text, OUT index_error text,
        OUT search_current boolean
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_revision bigint;
        v_unchanged boolean;
      BEGIN
        PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(p_lock, 0));
        -- Locked until commit, so that what it says about the search rows stays true until the
        -- UPDATE below (writes that do not take the advisory lock still take this row lock).
        SELECT s.search_revision = s.revision AND s.search_digest = p_digest INTO v_unchanged
          FROM {schema}.sessions s WHERE s.id = p_id FOR UPDATE;
        WITH fence AS (
          SELECT 1 FROM {schema}.leases
          WHERE id = p_id AND generation = p_generation AND token = p_token FOR SHARE
        )
        UPDATE {schema}.sessions AS s SET
          document = p_document, size_bytes = p_size, name = p_name, project_path = p_project,
          created_at = p_created, updated_at = p_updated, closed_at = p_closed,
          message_count = p_count, pinned = p_pinned, metadata = NULL,
          revision = s.revision + 1, search_revision = s.revision + 1, search_digest = p_digest,
          written_at = pg_catalog.clock_timestamp()
        WHERE s.id = p_id AND (p_generation IS NULL OR EXISTS (SELECT 1 FROM fence))
        RETURNING s.revision INTO v_revision;
        IF v_revision IS NULL THEN
          outcome := CASE WHEN EXISTS (SELECT 1 FROM {schema}.sessions WHERE id = p_id)
                     THEN 'fenced' ELSE 'missing' END;
          RETURN;
        END IF;
        INSERT INTO {schema}.signed_ids (id) VALUES (p_id) ON CONFLICT DO NOTHING;
        outcome := 'written';
        -- The search rows already hold exactly these messages: nothing to index.
        IF v_unchanged IS TRUE THEN
          search_current := true;
          RETURN;
        END IF;
        -- Rows not sent (the caller expected them unchanged): left stale for the next search.
        IF p_digests IS NULL THEN
          index_error := NULL;
        ELSE
          index_error := {schema}.index_session_v1(
            p_id, v_revision, p_digest, p_message_ids, p_roles, p_ats, p_folded, p_digests);
        END IF;
        search_current := p_digests IS NOT NULL AND index_error IS NULL;
        IF NOT search_current THEN
          UPDATE {schema}.sessions SET search_revision = NULL, search_digest = NULL WHERE id = p_id;
        END IF;
      END
      $fn$`,
  ],
};
