import { plural, sanitizeError, shortId } from '@jido-code/commands/listing';
import type { JidoError } from '@jido-code/core-schema';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { type ProgressBar, terminalProgress } from '../progress-bar.js';
import { describeQuarantined, quarantinedJournals } from '../recovery-text.js';
import { openStore } from '../store.js';

/** One file that failed verification. */
export interface VerifyFailure {
  readonly id: string;
  readonly file: string;
  readonly error: JidoError;
}

/** What `jido sessions verify` found. */
export interface VerifyOutcome {
  checked: number;
  readonly valid: string[];
  readonly unsigned: string[];
  /** The ids among `valid` signed with JidoCode's key. */
  readonly jidocode: string[];
  readonly failed: VerifyFailure[];
}

/**
 * Checks every session file with the store's full load (size cap before reading, strict UTF-8,
 * schema and version, signature), bypassing the listing index, reporting progress per file.
 */
export async function verifyFiles(
  store: SessionStore<SessionBackend>,
  progress?: ProgressBar,
): Promise<VerifyOutcome> {
  const report = await store.verifyAll({
    onStart: (total) => progress?.start(total),
    onProgress: () => progress?.advance(),
  });
  if (!report.ok) throw report.error;
  return {
    ...report.value,
    failed: report.value.failed.map((problem) => ({
      id: problem.id ?? '',
      file: problem.file,
      error: problem.error,
    })),
  };
}

/** `jido sessions verify`: checks every file (schema, signature, size); exit 1 if any fails. */
export async function verifyCommand(context: CommandContext): Promise<number> {
  const store = await openStore(context);
  const progress = await terminalProgress(context, 'Verifying session files');
  const outcome = await verifyFiles(store, progress);
  progress?.stop(`Checked ${plural(outcome.checked, 'file')}`);
  const quarantined = await quarantinedJournals(store);
  if (context.options.json) {
    printJson(context, {
      checked: outcome.checked,
      valid: outcome.valid,
      unsigned: outcome.unsigned,
      jidocode: outcome.jidocode,
      failed: outcome.failed.map(({ id, error }) => ({
        id,
        code: error.code,
        message: sanitizeError(error).message,
      })),
      quarantined_journals: quarantined,
    });
  } else {
    const { red, green, yellow } = context.colors;
    for (const { id, error } of outcome.failed) {
      context.out(`${red('FAIL')}  ${shortId(id)}  ${error.code}: ${sanitizeError(error).message}`);
    }
    for (const id of outcome.unsigned) {
      context.out(`${yellow('UNSIGNED')}  ${shortId(id)}  accepted as a legacy file by the current policy`);
    }
    for (const entry of quarantined) {
      context.out(
        `${red('QUARANTINED')}  ${shortId(entry.session_id)}  journal could not be recovered; kept, not deleted, at ${describeQuarantined(entry)}`,
      );
    }
    for (const id of outcome.jidocode)
      context.out(`${green('OK')}  ${shortId(id)}  signed with the JidoCode key`);
    const viaJidoCode =
      outcome.jidocode.length > 0 ? ` (${outcome.jidocode.length} with the JidoCode key)` : '';
    const journals = quarantined.length === 0 ? '' : `; ${plural(quarantined.length, 'journal')} quarantined`;
    const summary = `Checked ${plural(outcome.checked, 'file')}: ${outcome.valid.length} valid${viaJidoCode}, ${outcome.unsigned.length} unsigned, ${outcome.failed.length} failed${journals}.`;
    context.out(outcome.failed.length > 0 || quarantined.length > 0 ? red(summary) : green(summary));
  }
  return outcome.failed.length > 0 || quarantined.length > 0 ? exitFailure : exitOk;
}
