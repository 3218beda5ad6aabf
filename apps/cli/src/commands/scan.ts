import { plural, printable } from '@jido-code/commands/listing';
import type { JidoError } from '@jido-code/core-schema';
import {
  type BackupFinding,
  type BackupFix,
  describeKinds,
  fixJidoCodeBackups,
  type RedactionSummary,
  Redactor,
  ruleSetName,
  ruleSetVersion,
  SessionManager,
  scanJidoCodeBackups,
} from '@jido-code/session';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { asFileStore, openStore, stderrLogger } from '../store.js';
import { fixTrash, printTrashFindings, scanTrash, secretsIn } from './scan-trash.js';

/** Options of `jido sessions scan`. */
export interface ScanOptions {
  /** Redact what was found, in place. */
  readonly fix: boolean;
  /** Confirmed on the command line. */
  readonly yes: boolean;
}

interface Finding extends RedactionSummary {
  readonly id: string;
  readonly name: string;
}

interface Outcome {
  readonly fixed: string[];
  readonly skipped: string[];
  readonly failed: { id: string; error: JidoError }[];
}

async function scanAll(
  store: SessionStore<SessionBackend>,
  redactor: Redactor,
): Promise<{ findings: Finding[]; scanned: number }> {
  const listing = await store.listPersisted();
  if (!listing.ok) throw listing.error;
  const findings: Finding[] = [];
  for (const entry of listing.value.sessions) {
    const loaded = await store.load(entry.id);
    if (!loaded.ok) continue;
    const found = await secretsIn(redactor, loaded.value.session, entry.name);
    if (found !== undefined) findings.push({ id: entry.id, ...found });
  }
  return { findings, scanned: listing.value.sessions.length };
}

/**
 * Redacts one session in place: under its lease (so no live process holds it and will write its
 * own copy later), loaded, redacted, then saved, which re-signs it under the session's file lock
 * and replaces the file by rename, leaving no copy of the old bytes in the home.
 */
async function fixOne(
  store: SessionStore<SessionBackend>,
  redactor: Redactor,
  id: string,
  outcome: Outcome,
): Promise<void> {
  const lease = await store.acquireLease(id);
  if (!lease.ok) {
    outcome.skipped.push(id);
    return;
  }
  try {
    const loaded = await store.load(id);
    if (!loaded.ok) throw loaded.error;
    const { signature: _signature, ...plain } = loaded.value.session;
    const redacted = await redactor.redactSessionAlways(plain);
    const saved = await store.save(redacted.session);
    if (!saved.ok) throw saved.error;
    outcome.fixed.push(id);
  } catch (error) {
    outcome.failed.push({ id, error: error as JidoError });
  } finally {
    await lease.value.release();
  }
}

async function confirmed(context: CommandContext, options: ScanOptions, count: number): Promise<boolean> {
  if (options.yes) return true;
  if (!canPrompt(context.io)) {
    context.note(
      "jido: Refusing to rewrite sessions without confirmation. Run 'jido sessions scan --fix --yes'.",
    );
    return false;
  }
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({
    message: `Redact the secrets in ${count === 1 ? '1 file' : `${count} files`} (sessions, trashed sessions and JidoCode backups) and re-sign them? This cannot be undone.`,
    initialValue: false,
    input: context.io.stdin,
    output: context.io.stdout,
  });
  if (isCancel(answer) || answer !== true) {
    context.out('Nothing was changed.');
    return false;
  }
  return true;
}

function printFindings(context: CommandContext, findings: readonly Finding[], scanned: number): void {
  for (const finding of findings) {
    const secrets = `${plural(finding.count, 'secret')} (${describeKinds(finding)})`;
    context.out(`${printable(finding.name)} (${finding.id.slice(0, 8)}): ${secrets}`);
  }
  const total = findings.reduce((sum, finding) => sum + finding.count, 0);
  context.out(
    total === 0
      ? `No secrets found in ${plural(scanned, 'saved session')}.`
      : `Found ${plural(total, 'secret')} in ${findings.length} of ${plural(scanned, 'saved session')}.`,
  );
}

function printBackupFindings(
  context: CommandContext,
  findings: readonly BackupFinding[],
  scanned: number,
): void {
  if (scanned === 0) return;
  for (const finding of findings) {
    context.out(
      `backup/jidocode/${finding.file}: ${plural(finding.count, 'secret')} (${describeKinds(finding)})`,
    );
  }
  const total = findings.reduce((sum, finding) => sum + finding.count, 0);
  context.out(
    total === 0
      ? `No secrets found in ${plural(scanned, 'JidoCode backup')}.`
      : `Found ${plural(total, 'secret')} in ${findings.length} of ${plural(scanned, 'JidoCode backup')}.`,
  );
}

function describeBackupFixes(fixed: readonly BackupFix[]): string {
  const unverifiable = fixed.filter((fix) => fix.signature === 'unverifiable').length;
  const signed = fixed.filter((fix) => fix.signature === 'resigned').length;
  const notes = [
    ...(signed > 0 ? [`${signed} signed again with the JidoCode key, so JidoCode still loads them`] : []),
    ...(unverifiable > 0 ? [`${unverifiable} could not be signed again: JidoCode will refuse them`] : []),
  ];
  return `Redacted ${plural(fixed.length, 'JidoCode backup')} in place; they are no longer byte-for-byte originals${notes.length > 0 ? ` (${notes.join('; ')})` : ''}.`;
}

/**
 * `jido sessions scan [--fix] [--yes]`: counts the secrets in every saved session, by kind (never
 * the values). With `--fix`, recovers leftover journals (which redacts them), then redacts each
 * session with secrets in place and re-signs it; it asks first on a terminal and needs `--yes` on
 * a pipe, like `clear`. A session open in another process is skipped (exit 1). Trashed sessions
 * (which can still be restored) and JidoCode backups (`backup/jidocode/`) are scanned too, and
 * `--fix` rewrites them redacted (see the README).
 */
export async function scanCommand(context: CommandContext, options: ScanOptions): Promise<number> {
  const store = await openStore(context);
  const redactor = new Redactor(store.config);
  if (options.fix) await new SessionManager({ store, redactor, logger: stderrLogger(context) }).recover();
  const { findings, scanned } = await scanAll(store, redactor);
  // JidoCode backups are files under a home; a PostgreSQL store has none.
  const home = asFileStore(store);
  const backups =
    home === undefined ? { findings: [], scanned: 0 } : await scanJidoCodeBackups(home, redactor);
  const trash = await scanTrash(store, redactor);
  const outcome: Outcome = { fixed: [], skipped: [], failed: [] };
  const toFix = findings.length + backups.findings.length + trash.findings.length;
  const fix = options.fix && toFix > 0 && (await confirmed(context, options, toFix));
  if (options.fix && toFix > 0 && !fix) return exitFailure;
  if (fix) for (const finding of findings) await fixOne(store, redactor, finding.id, outcome);
  const trashFixed = fix ? await fixTrash(store, redactor, trash.findings) : { fixed: [], failed: [] };
  outcome.failed.push(...trashFixed.failed);
  if (outcome.fixed.length > 0) {
    // The listing index was built from the files before the fix (names included): refresh it.
    await store.listPersisted();
    // The search index kept the old text's words until now; they go from its files too.
    await store.purgeSearchIndex();
  }
  const backupsFixed =
    fix && home !== undefined
      ? await fixJidoCodeBackups(
          home,
          redactor,
          backups.findings.map((finding) => finding.file),
        )
      : [];
  if (context.options.json) {
    printJson(context, {
      rule_set: `${ruleSetName}@${ruleSetVersion}`,
      scanned,
      sessions: findings.map(({ id, name, count, kinds }) => ({ id, name, count, kinds })),
      backups_scanned: backups.scanned,
      backups: backups.findings.map(({ file, count, kinds }) => ({
        file: `backup/jidocode/${file}`,
        count,
        kinds,
      })),
      trash_scanned: trash.scanned,
      trash: trash.findings.map(({ entry, name, count, kinds }) => ({
        entry: entry.entry,
        id: entry.id,
        name,
        count,
        kinds,
      })),
      ...(options.fix
        ? {
            backups_fixed: backupsFixed.map(({ file, signature }) => ({
              file: `backup/jidocode/${file}`,
              signature,
            })),
            fixed: outcome.fixed,
            trash_fixed: trashFixed.fixed,
            skipped: outcome.skipped,
            failed: outcome.failed.map((failure) => ({ id: failure.id, code: failure.error.code })),
          }
        : {}),
    });
  } else {
    printFindings(context, findings, scanned);
    printBackupFindings(context, backups.findings, backups.scanned);
    printTrashFindings(context, trash.findings, trash.scanned);
    if (fix) {
      const skipped = outcome.skipped.length > 0 ? `; ${outcome.skipped.length} open elsewhere, skipped` : '';
      const failed = outcome.failed.length > 0 ? `; ${outcome.failed.length} could not be rewritten` : '';
      if (findings.length > 0)
        context.out(`Redacted and re-signed ${plural(outcome.fixed.length, 'session')}${skipped}${failed}.`);
      if (backupsFixed.length > 0) context.out(describeBackupFixes(backupsFixed));
      if (trashFixed.fixed.length > 0)
        context.out(`Redacted and re-signed ${plural(trashFixed.fixed.length, 'trashed session')}.`);
    } else if (toFix > 0 && !options.fix) {
      context.out("Run 'jido sessions scan --fix' to redact them.");
    }
  }
  return outcome.skipped.length + outcome.failed.length > 0 ? exitFailure : exitOk;
}
