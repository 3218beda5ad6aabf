import { plural } from '@jido-code/commands/listing';
import type { SessionMetadata } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { openStore } from '../store.js';

import { describeId, printFailures, reportJson } from './report.js';

/** Options of `jido sessions cleanup`. */
export interface CleanupCommandOptions {
  /** Delete sessions idle for longer than this many days (default from the config: 30). */
  readonly maxAge?: number;
  /** Keep at most this many sessions. */
  readonly maxCount?: number;
  /** Print what would be deleted, delete nothing. */
  readonly dryRun: boolean;
  /** Confirmed on the command line: needed on a pipe to delete everything or more than half. */
  readonly yes?: boolean;
  /** Delete for good instead of moving to the trash. */
  readonly purge?: boolean;
}

/** True when a cleanup would leave nothing, or remove more than half of the saved sessions. */
export function isSweeping(maxCount: number | undefined, deleting: number, total: number): boolean {
  return deleting > 0 && (maxCount === 0 || deleting * 2 > total);
}

/**
 * Asks before a sweeping cleanup on a terminal; on a pipe, refuses it without `--yes`. True when
 * the cleanup may go ahead.
 */
async function confirmSweep(
  context: CommandContext,
  deleting: number,
  total: number,
  purge: boolean,
): Promise<boolean> {
  const what = `${plural(deleting, 'saved session')} of ${total}`;
  const verb = purge ? 'delete' : 'move';
  if (!canPrompt(context.io)) {
    context.note(
      `jido: Refusing to ${verb} ${what}${purge ? ' for good' : ' to the trash'} without confirmation. Run it again with --yes, or use --dry-run to see which.`,
    );
    return false;
  }
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({
    message: purge ? `Delete ${what} for good? This cannot be undone.` : `Move ${what} to the trash?`,
    initialValue: false,
    input: context.io.stdin,
    output: context.io.stdout,
  });
  if (isCancel(answer) || answer !== true) {
    context.out('Nothing was removed.');
    return false;
  }
  return true;
}

/**
 * `jido sessions cleanup [--max-age DAYS] [--max-count N] [--dry-run] [--purge]`: retention by age
 * of last activity and by count, into the trash (for good with `--purge`); never an open or pinned
 * session. It then ages the trash (entries older than `trash_retention_days`).
 */
export async function cleanupCommand(
  context: CommandContext,
  options: CleanupCommandOptions,
): Promise<number> {
  const store = await openStore(context);
  const purge = options.purge === true;
  const listing = await store.listPersisted();
  const names = new Map<string, SessionMetadata>(
    listing.ok ? listing.value.sessions.map((session) => [session.id, session]) : [],
  );
  const rules = {
    ...(options.maxAge === undefined ? {} : { maxAgeDays: options.maxAge }),
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
  };
  if (!options.dryRun && options.yes !== true) {
    const preview = await store.cleanup({ ...rules, dryRun: true });
    if (!preview.ok) throw preview.error;
    const total = listing.ok ? listing.value.sessions.length : 0;
    const deleting = preview.value.deleted.length;
    if (
      isSweeping(options.maxCount, deleting, total) &&
      !(await confirmSweep(context, deleting, total, purge))
    ) {
      return exitFailure;
    }
  }
  const cleaned = await store.cleanup({ ...rules, dryRun: options.dryRun, purge });
  if (!cleaned.ok) throw cleaned.error;
  const report = cleaned.value;
  const aged = options.dryRun ? undefined : await store.ageTrash();
  if (aged !== undefined && !aged.ok) throw aged.error;
  const agedOut = aged?.value.purged ?? 0;
  if (context.options.json) {
    printJson(context, { dry_run: options.dryRun, ...reportJson(report), trash_aged_out: agedOut });
    return report.failed.length > 0 ? exitFailure : exitOk;
  }
  const verb = purge
    ? options.dryRun
      ? 'Would delete for good'
      : 'Deleted for good'
    : options.dryRun
      ? 'Would move to the trash'
      : 'Moved to the trash';
  const count = plural(report.deleted.length, 'session');
  const lines = [`${verb} ${count}${report.deleted.length > 0 ? ':' : '.'}`];
  for (const id of report.deleted) lines.push(describeId(id, names));
  if (report.skipped.length > 0) {
    lines.push(
      `Kept ${plural(report.skipped.length, 'session')} that ${report.skipped.length === 1 ? 'is' : 'are'} open:`,
    );
    for (const id of report.skipped) lines.push(describeId(id, names));
  }
  if (report.pinned.length > 0) {
    lines.push(`Kept ${plural(report.pinned.length, 'pinned session')}:`);
    for (const id of report.pinned) lines.push(describeId(id, names));
  }
  if (report.changed.length > 0) {
    lines.push(`Kept ${plural(report.changed.length, 'session')} saved again while the cleanup ran:`);
    for (const id of report.changed) lines.push(describeId(id, names));
  }
  if (options.dryRun && report.deleted.length > 0) lines.push('Nothing was removed (dry run).');
  if (!options.dryRun && !purge && report.deleted.length > 0) lines.push("'jido sessions trash' lists them.");
  if (agedOut > 0) {
    lines.push(
      `Deleted ${plural(agedOut, 'session')} for good from the trash (moved there more than ${plural(store.config.trash_retention_days, 'day')} ago).`,
    );
  }
  context.out(lines.join('\n'));
  printFailures(context, report);
  return report.failed.length > 0 ? exitFailure : exitOk;
}
