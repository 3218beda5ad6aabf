import { readFile } from 'node:fs/promises';
import { JidoError } from '@jido-code/core-schema';
import type { KeyringPersistence } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import type { Database } from './database.js';

/**
 * A document row read and replaced under its row lock (`SELECT … FOR UPDATE` in one transaction):
 * every host that shares the database sees one exact sequence of updates.
 */
export function databaseLockedDocument(db: Database, s: string, kind: string, name: string): LockedDocument {
  return {
    update: (fn) =>
      db.transaction(async () => {
        const current = await lockRow(db, s, kind, name);
        const change = await fn(current);
        if (change.next !== undefined) await writeRow(db, s, kind, name, change.next);
        return change.result;
      }, 'update a shared state document'),
  };
}

async function lockRow(db: Database, s: string, kind: string, name: string): Promise<Uint8Array | undefined> {
  await db.query(
    `INSERT INTO ${s}.documents (kind, name, content) VALUES ($1, $2, NULL) ON CONFLICT DO NOTHING`,
    [kind, name],
  );
  const { rows } = await db.query<{ content: Buffer | null }>(
    `SELECT content FROM ${s}.documents WHERE kind = $1 AND name = $2 FOR UPDATE`,
    [kind, name],
    'read a shared state document',
  );
  const content = rows[0]?.content;
  return content === null || content === undefined ? undefined : new Uint8Array(content);
}

async function writeRow(
  db: Database,
  s: string,
  kind: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  await db.query(
    `INSERT INTO ${s}.documents (kind, name, content) VALUES ($1, $2, $3)
     ON CONFLICT (kind, name) DO UPDATE SET content = EXCLUDED.content, updated_at = clock_timestamp()`,
    [kind, name, bytes],
    'write a shared state document',
  );
}

/** The keyring as a locked document in the database: every host signs with the same keys. */
export function databaseKeyring(db: Database, s: string): KeyringPersistence {
  return {
    async load() {
      const { rows } = await db.query<{ content: Buffer | null }>(
        `SELECT content FROM ${s}.documents WHERE kind = 'keyring' AND name = 'keyring'`,
        [],
        'read the signing keyring',
      );
      const content = rows[0]?.content;
      return content === null || content === undefined ? undefined : new Uint8Array(content);
    },
    save: (bytes) => writeRow(db, s, 'keyring', 'keyring', bytes),
    withLock: (fn) =>
      db.transaction(async () => {
        await lockRow(db, s, 'keyring', 'keyring');
        return fn();
      }, 'lock the signing keyring'),
  };
}

/**
 * The keyring read from a file outside the database (`JIDO_SIGNING_KEYS`: a path, or a secret
 * manager's mount), for deployments where the database must not hold the keys. Read-only: keys
 * are rotated where they are managed, never by jido.
 */
export function fileKeyring(path: string): KeyringPersistence {
  return {
    async load() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        throw new JidoError(
          'keyring_corrupt',
          'The signing keys named by JIDO_SIGNING_KEYS could not be read.',
          {
            details: { code: (error as NodeJS.ErrnoException).code ?? null },
            cause: error,
          },
        );
      }
    },
    save() {
      return Promise.reject(
        new JidoError(
          'permission_denied',
          'The signing keys come from JIDO_SIGNING_KEYS and are managed there; rotate them at their source.',
        ),
      );
    },
    withLock: (fn) => fn(),
  };
}

/**
 * The downgrade guard's ledger: ids ever seen validly signed, shared by every host. Rows are never
 * deleted, so an id once known to be in the table stays there: like the file ledger, each instance
 * remembers those ids and asks the database about an id only until then (a verified load otherwise
 * paid a second round trip to record an id already recorded). Only what is surely committed is
 * remembered: a statement outside any transaction, never one a rollback could still undo.
 */
export function databaseSignedIds(db: Database, s: string) {
  const known = new Set<string>();
  return {
    async wasSigned(id: string): Promise<boolean> {
      if (known.has(id)) return true;
      const outside = !db.inTransaction;
      const { rowCount } = await db.query(`SELECT 1 FROM ${s}.signed_ids WHERE id = $1`, [id]);
      if (rowCount > 0 && outside) known.add(id);
      return rowCount > 0;
    },
    async record(id: string): Promise<void> {
      if (known.has(id)) return;
      const outside = !db.inTransaction;
      await db.query(`INSERT INTO ${s}.signed_ids (id) VALUES ($1) ON CONFLICT DO NOTHING`, [id]);
      if (outside) known.add(id);
    },
  };
}
