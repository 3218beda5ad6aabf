import { err, JidoError, ok, type Result, type Session, type UnsignedSession } from '@jido-code/core-schema';
import type { FileBackend } from '../backend/file/file-backend.js';
import { errnoCode } from '../fs/file-system.js';
import { sessionIdFromFileName } from '../home/paths.js';
import { readFileBounded } from '../io/read-file.js';
import type { SessionStore } from '../session-store.js';
import { backupJidoCodeFile } from './jidocode-backup.js';

/** What `migrate` did with one session file. */
export interface MigrationEntry {
  readonly id: string;
  /** `migrated` (or `would_migrate` on a dry run), `current` (already this project's signed form), or `refused`. */
  readonly outcome: 'migrated' | 'would_migrate' | 'current' | 'refused';
  /** The backup's file name under `<home>/backup/jidocode/`, once made. */
  readonly backup?: string;
  /** Why a file was refused (it is left exactly as it was). */
  readonly error?: JidoError;
}

/** Thrown inside the update when another process migrated the file first. */
class AlreadyCurrent extends Error {}

/** Options of {@link migrateJidoCodeFile}. */
export interface MigrationOptions {
  /** Report what would be migrated; write nothing. */
  readonly dryRun?: boolean;
  /**
   * Applied to the session before it is rewritten (the session layer redacts secrets here, as
   * every session on its way in is). It must keep the id.
   */
  readonly transform?: (session: UnsignedSession) => Promise<UnsignedSession>;
  /**
   * The bytes to back up, given the original's (default: the original itself). It must be
   * deterministic: a re-run after an interruption finds the same backup and reuses it.
   */
  readonly backupBytes?: (original: Uint8Array) => Promise<Uint8Array>;
}

async function migrateOne(
  store: SessionStore<FileBackend>,
  id: string,
  options: MigrationOptions,
): Promise<MigrationEntry> {
  const dryRun = options.dryRun === true;
  const loaded = await store.load(id);
  if (!loaded.ok) {
    if (loaded.error.code === 'not_found') return { id, outcome: 'current' };
    return { id, outcome: 'refused', error: loaded.error };
  }
  if (loaded.value.signer === 'keyring') return { id, outcome: 'current' };
  if (dryRun) return { id, outcome: 'would_migrate' };
  const files = store.backend;
  const original = await readFileBounded(
    files.fs,
    files.layout.sessionFile(id),
    store.config.max_file_size_bytes,
    'the session',
  );
  // The byte-for-byte copy is durable before the rewrite starts; a re-run reuses an identical one.
  const bytes =
    options.backupBytes === undefined ? original.bytes : await options.backupBytes(original.bytes);
  const backup = await backupJidoCodeFile(files.fs, files.home, id, bytes);
  const { signature: _signature, ...unsigned } = loaded.value.session;
  const next = options.transform === undefined ? unsigned : await options.transform(unsigned);
  let current = false;
  let changed = false;
  const saved = await files.withBackupTaken(id, () =>
    store.update(id, (session) => {
      if (session.signature?.startsWith('v1:')) {
        current = true;
        throw new AlreadyCurrent();
      }
      // Saved by someone else since it was read: leave it, a re-run migrates the new content.
      if (session.updated_at !== loaded.value.session.updated_at) {
        changed = true;
        throw new AlreadyCurrent();
      }
      return next as Session;
    }),
  );
  if (current) return { id, outcome: 'current', backup };
  if (changed) {
    const error = new JidoError(
      'session_active',
      'The session changed while it was migrated; run migrate again.',
    );
    return { id, outcome: 'refused', backup, error };
  }
  if (!saved.ok) return { id, outcome: 'refused', backup, error: saved.error };
  return { id, outcome: 'migrated', backup };
}

/**
 * The session ids of the files in the sessions folder, sorted: what a migration goes through.
 */
export async function jidoCodeMigrationIds(store: SessionStore<FileBackend>): Promise<Result<string[]>> {
  let names: string[];
  try {
    names = (await store.backend.fs.readdir(store.backend.sessionsDir)).sort();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return ok([]);
    return err(new JidoError('io_error', 'Could not list the saved sessions.', { cause: error }));
  }
  return ok(names.map(sessionIdFromFileName).filter((id): id is string => id !== undefined));
}

/**
 * Rewrites one JidoCode file (signed with JidoCode's key, or unsigned) into this project's form,
 * signed with the keyring, conversation oldest-first. The original is first backed up to
 * `<home>/backup/jidocode/<id>.json` (0600, fsynced; the bytes `backupBytes` gives, by default the
 * original's). A file already signed with the keyring is `current`; one that does not load is
 * `refused` and left untouched. Safe to interrupt at any point and run again: a file is rewritten at
 * most once, and never before its backup is on disk. With `dryRun`, nothing is written. Never
 * throws: a failure is a `refused` entry. The loop over a home, and redaction, belong to the
 * session layer (`migrateJidoCodeHome`).
 */
export async function migrateJidoCodeFile(
  store: SessionStore<FileBackend>,
  id: string,
  options: MigrationOptions = {},
): Promise<MigrationEntry> {
  try {
    return await migrateOne(store, id, options);
  } catch (error) {
    const cause =
      error instanceof JidoError
        ? error
        : new JidoError('io_error', 'The session could not be migrated.', { cause: error });
    return { id, outcome: 'refused', error: cause };
  }
}
