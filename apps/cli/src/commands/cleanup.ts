import { plural } from '@jido-code/commands';
import type { SessionMetadata } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
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
  const cleaned = await store.cleanup({
    dryRun: options.dryRun,
    ...(options.maxAge === undefined ? {} : { maxAgeDays: options.maxAge }),
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
  });
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
    lines.push(`Kept ${plural(report.skipped.length, 'session')} that are open:`);
    for (const id of report.skipped) lines.push(describeId(id, names));
  }
  if (options.dryRun && report.deleted.length > 0) lines.push('Nothing was deleted (dry run).');
  context.out(lines.join('\n'));
  printFailures(context, report);
  return report.failed.length > 0 ? exitFailure : exitOk;
}
