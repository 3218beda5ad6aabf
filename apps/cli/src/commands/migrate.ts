import { plural, sanitizeError, shortId } from '@jido-code/commands/listing';
import { migrateJidoCodeHome, migrationSecrets, Redactor, redactionNotice } from '@jido-code/session';
import { type CommandContext, printJson } from '../context.js';
import { cliMessageError } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { asFileStore, openStore } from '../store.js';

/** Options of `jido sessions migrate`. */
export interface MigrateCommandOptions {
  /** Report what would be migrated; write nothing. */
  readonly dryRun: boolean;
}

const labels = {
  migrated: 'migrated',
  would_migrate: 'would migrate',
  current: 'already current',
  refused: 'refused',
} as const;

/**
 * `jido sessions migrate [--dry-run]`: rewrites JidoCode files into this project's signed form,
 * each original first copied to `<home>/backup/jidocode/<id>.json`. Exit 1 if any file is refused.
 */
export async function migrateCommand(
  context: CommandContext,
  options: MigrateCommandOptions,
): Promise<number> {
  const store = asFileStore(await openStore(context));
  if (store === undefined) {
    throw cliMessageError(
      'invalid_config',
      "JidoCode files are only ever in a home folder, not in a PostgreSQL store. Run 'jido --store DIR sessions migrate' on that home, then 'jido --store DIR sessions sync --to URL'.",
    );
  }
  const redactor = new Redactor(store.config);
  const migrated = await migrateJidoCodeHome(store, {
    redactor,
    dryRun: options.dryRun,
    onRedaction: (id, report) => {
      const notice = redactionNotice(report);
      if (notice !== undefined && !context.options.json) context.note(`${shortId(id)}: ${notice}`);
    },
  });
  if (!migrated.ok) throw migrated.error;
  const entries = migrated.value;
  const redactedBackups = entries.filter(
    (entry) => entry.backupForm !== undefined && entry.backupForm !== 'original',
  );
  const refused = entries.filter((entry) => entry.outcome === 'refused');
  if (context.options.json) {
    printJson(context, {
      dry_run: options.dryRun,
      secrets_found: migrationSecrets(entries).count,
      sessions: entries.map((entry) => ({
        id: entry.id,
        outcome: entry.outcome,
        secrets: entry.secrets.count,
        ...(entry.backup === undefined
          ? {}
          : { backup: `backup/jidocode/${entry.backup}`, backup_form: entry.backupForm }),
        ...(entry.error === undefined
          ? {}
          : { code: entry.error.code, message: sanitizeError(entry.error).message }),
      })),
    });
    return refused.length > 0 ? exitFailure : exitOk;
  }
  const { red, green, dim } = context.colors;
  const lines = entries.map((entry) => {
    const label = labels[entry.outcome];
    const text =
      entry.outcome === 'refused' ? red(label) : entry.outcome === 'current' ? dim(label) : green(label);
    const reason =
      entry.error === undefined ? '' : `: ${entry.error.code}: ${sanitizeError(entry.error).message}`;
    return `${text}  ${shortId(entry.id)}${reason}`;
  });
  const count = (outcome: keyof typeof labels) => entries.filter((entry) => entry.outcome === outcome).length;
  const done = options.dryRun ? `${count('would_migrate')} to migrate` : `${count('migrated')} migrated`;
  lines.push(`${done}, ${count('current')} already current, ${refused.length} refused.`);
  if (!options.dryRun && count('migrated') > 0) {
    lines.push(
      dim(
        'Originals are in backup/jidocode/ under the jido home; JidoCode cannot verify the rewritten files.',
      ),
    );
  }
  if (redactedBackups.length > 0) {
    const unverifiable = redactedBackups.filter((entry) => entry.backupForm === 'redacted_unverifiable');
    lines.push(
      dim(
        `${plural(redactedBackups.length, 'backup')} had secrets: written with them redacted${unverifiable.length > 0 ? ` (${unverifiable.length} could not be signed again; JidoCode will refuse ${unverifiable.length === 1 ? 'it' : 'them'})` : ', signed again with the JidoCode key where JidoCode signed them'}.`,
      ),
    );
  }
  if (options.dryRun) lines.push('Nothing was written (dry run).');
  context.out(lines.join('\n'));
  return refused.length > 0 ? exitFailure : exitOk;
}
