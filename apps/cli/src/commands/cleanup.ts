import { plural } from '@jido-code/commands';
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
}

/** True when a cleanup would leave nothing, or remove more than half of the saved sessions. */
export function isSweeping(maxCount: number | undefined, deleting: number, total: number): boolean {
  return deleting > 0 && (maxCount === 0 || deleting * 2 > total);
}

/**
 * Asks before a sweeping cleanup on a terminal; on a pipe, refuses it without `--yes`. True when
 * the cleanup may go ahead.
 */
async function confirmSweep(context: CommandContext, deleting: number, total: number): Promise<boolean> {
  const what = `${plural(deleting, 'saved session')} of ${total}`;
  if (!canPrompt(context.io)) {
    context.note(
      `jido: Refusing to delete ${what} without confirmation. Run it again with --yes, or use --dry-run to see which.`,
    );
    return false;
  }
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({
    message: `Delete ${what}? This cannot be undone.`,
    initialValue: false,
    input: context.io.stdin,
    output: context.io.stdout,
  });
  if (isCancel(answer) || answer !== true) {
    context.out('Nothing was deleted.');
    return false;
  }
  return true;
}

/** `jido sessions cleanup [--max-age DAYS] [--max-count N] [--dry-run]`: retention by age and count. */
export async function cleanupCommand(
  context: CommandContext,
  options: CleanupCommandOptions,
): Promise<number> {
  const store = await openStore(context);
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
    if (isSweeping(options.maxCount, deleting, total) && !(await confirmSweep(context, deleting, total))) {
      return exitFailure;
    }
  }
  const cleaned = await store.cleanup({ ...rules, dryRun: options.dryRun });
  if (!cleaned.ok) throw cleaned.error;
  const report = cleaned.value;
  if (context.options.json) {
    printJson(context, { dry_run: options.dryRun, ...reportJson(report) });
    return report.failed.length > 0 ? exitFailure : exitOk;
  }
  const verb = options.dryRun ? 'Would delete' : 'Deleted';
  const lines = [
    `${verb} ${plural(report.deleted.length, 'session')}${report.deleted.length > 0 ? ':' : '.'}`,
  ];
  for (const id of report.deleted) lines.push(describeId(id, names));
  if (report.skipped.length > 0) {
    lines.push(
      `Kept ${plural(report.skipped.length, 'session')} that ${report.skipped.length === 1 ? 'is' : 'are'} open:`,
    );
    for (const id of report.skipped) lines.push(describeId(id, names));
  }
  if (report.changed.length > 0) {
    lines.push(`Kept ${plural(report.changed.length, 'session')} saved again while the cleanup ran:`);
    for (const id of report.changed) lines.push(describeId(id, names));
  }
  if (options.dryRun && report.deleted.length > 0) lines.push('Nothing was deleted (dry run).');
  context.out(lines.join('\n'));
  printFailures(context, report);
  return report.failed.length > 0 ? exitFailure : exitOk;
}
