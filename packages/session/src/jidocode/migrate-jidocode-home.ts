import { ok, type Result } from '@jido-code/core-schema';
import {
  FileBackend,
  jidoCodeMigrationIds,
  type MigrationEntry,
  migrateJidoCodeFile,
  redactJidoCodeFile,
  type SessionBackend,
  type SessionStore,
} from '@jido-code/storage';
import {
  emptySummary,
  type RedactionReport,
  type RedactionSummary,
  type Redactor,
} from '../redaction/redactor.js';
import { addSummaries } from './summaries.js';

/** How one migrated file's backup was written. */
export type BackupForm =
  /** Byte for byte the original: it held no secret, or redaction is `warn` or `off`. */
  | 'original'
  /** The original with its secrets redacted and signed again with JidoCode's key. */
  | 'redacted'
  /** The original with its secrets redacted; it had no signature. */
  | 'redacted_unsigned'
  /** The original with its secrets redacted; its JidoCode signature could not be renewed. */
  | 'redacted_unverifiable';

/** One file of a migration: the storage outcome, what redaction found, how its backup was written. */
export interface JidoCodeMigrationEntry extends MigrationEntry {
  /** The secrets found in the session (`redact`: replaced; `warn`: only counted). */
  readonly secrets: RedactionSummary;
  /** Set once a backup was made. */
  readonly backupForm?: BackupForm;
}

/** Options of {@link migrateJidoCodeHome}. */
export interface JidoCodeMigrationOptions {
  /** Redacts each session on its way in, and its backup, as its mode says. */
  readonly redactor: Redactor;
  /** Report what would be migrated; write nothing. */
  readonly dryRun?: boolean;
  /** Told about each session's redaction as it happens (the CLI prints one line per session). */
  readonly onRedaction?: (id: string, report: RedactionReport) => void;
}

/**
 * `jido sessions migrate`: every JidoCode file of the home rewritten into this project's signed
 * form (storage's {@link migrateJidoCodeFile}: backup first, then one rewrite under the lock, safe
 * to interrupt and re-run), each session passed through the redactor on its way in like any
 * import. In `redact` mode (the default) the backup is redacted too: a backup exists to go back to
 * JidoCode, and secrets must not reach the disk, so it is the original with each secret replaced,
 * signed again with JidoCode's key when the original's signature verifies (JidoCode still loads
 * it); an original without secrets is backed up byte for byte. In `warn` and `off` modes the
 * backup is always the exact original.
 */
export async function migrateJidoCodeHome(
  store: SessionStore<FileBackend>,
  options: JidoCodeMigrationOptions,
): Promise<Result<JidoCodeMigrationEntry[]>> {
  const { redactor } = options;
  const ids = await jidoCodeMigrationIds(store);
  if (!ids.ok) return ids;
  const entries: JidoCodeMigrationEntry[] = [];
  for (const id of ids.value) {
    let secrets = emptySummary;
    let backupForm: BackupForm = 'original';
    const entry = await migrateJidoCodeFile(store, id, {
      dryRun: options.dryRun === true,
      transform: async (session) => {
        const redacted = await redactor.redactSession(session);
        secrets = redacted.report;
        options.onRedaction?.(id, redacted.report);
        return redacted.session;
      },
      ...(redactor.mode === 'redact'
        ? {
            backupBytes: redactedJidoCodeBackup(store, redactor, (form) => {
              backupForm = form;
            }),
          }
        : {}),
    });
    entries.push({
      ...entry,
      secrets: { count: secrets.count, kinds: secrets.kinds },
      ...(entry.backup === undefined ? {} : { backupForm }),
    });
  }
  // The listing index still describes the originals (names included): refresh it from the new files.
  if (entries.some((entry) => entry.outcome === 'migrated')) await store.listPersisted();
  return ok(entries);
}

/**
 * The backup rule of `migrate` in `redact` mode, as a function of the original's bytes: the
 * original with each secret replaced, signed again with JidoCode's key when its signature
 * verifies; an original without secrets unchanged. `onForm` is told the form when a secret was
 * replaced. The session manager gives the same rule to the first save of a resumed JidoCode file.
 */
function redactedJidoCodeBackup(
  store: SessionStore<FileBackend>,
  redactor: Redactor,
  onForm?: (form: BackupForm) => void,
): (original: Uint8Array) => Promise<Uint8Array> {
  return async (original) => {
    const redacted = await redactJidoCodeFile(store, original, async (texts) => {
      return (await redactor.redactTexts(texts)).texts;
    });
    if (redacted.changed > 0) onForm?.(backupForms[redacted.signature]);
    return redacted.bytes;
  };
}

/**
 * Makes the first save of a JidoCode file resumed without `migrate` back it up by the same rule
 * (in `redact` mode; under `warn` and `off` the backup stays the exact original, as with
 * `migrate`). Only the file backend keeps JidoCode files.
 */
export function backUpJidoCodeFilesAsMigrateDoes(
  store: SessionStore<SessionBackend>,
  redactor: Redactor,
): void {
  const backend = store.backend;
  if (redactor.mode !== 'redact' || !(backend instanceof FileBackend)) return;
  backend.foreignBackupBytes = redactedJidoCodeBackup(store as SessionStore<FileBackend>, redactor);
}

const backupForms = {
  resigned: 'redacted',
  unsigned: 'redacted_unsigned',
  unverifiable: 'redacted_unverifiable',
  kept: 'original',
} as const satisfies Record<string, BackupForm>;

/** The sum of what redaction found across a migration. */
export function migrationSecrets(entries: readonly JidoCodeMigrationEntry[]): RedactionSummary {
  return entries.reduce((total, entry) => addSummaries(total, entry.secrets), emptySummary);
}
