import { printable, sanitizeError, shortId } from '@jido-code/commands/listing';
import type { CleanupReport, SessionMetadata } from '@jido-code/storage';
import type { CommandContext } from '../context.js';

/** The JSON form of a clear or cleanup report: ids, and each failure's code and safe message. */
export function reportJson(report: CleanupReport) {
  return {
    deleted: report.deleted,
    purged: report.purged,
    pinned: report.pinned,
    skipped: report.skipped,
    changed: report.changed,
    failed: report.errors.map(({ id, error }) => ({
      id,
      code: error.code,
      message: sanitizeError(error).message,
    })),
  };
}

/** `  3f9a0c12  api-server` for an id, with its name when the listing knows it. */
export function describeId(id: string, names: ReadonlyMap<string, SessionMetadata>): string {
  const name = names.get(id)?.name;
  return name === undefined ? `  ${shortId(id)}` : `  ${shortId(id)}  ${printable(name)}`;
}

/** Prints the failures of a report on stderr, one line each. */
export function printFailures(context: CommandContext, report: CleanupReport): void {
  const verb = report.purged ? 'delete' : 'move to the trash';
  for (const { id, error } of report.errors) {
    context.note(`jido: Could not ${verb} ${shortId(id)}: ${sanitizeError(error).message}`);
  }
}
