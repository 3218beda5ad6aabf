import { plural } from '@jido-code/commands/listing';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { openStore } from '../store.js';

import { printFailures, reportJson } from './report.js';

/** Options of `jido sessions clear`. */
export interface ClearOptions {
  /** Confirmed on the command line. */
  readonly yes: boolean;
  /** Delete for good instead of moving to the trash. */
  readonly purge?: boolean;
}

/**
 * `jido sessions clear --yes`: moves every saved session that is neither open nor pinned to the
 * trash (deletes them for good with `--purge`). Without `--yes` it asks on a terminal and refuses
 * (exit 1) on a pipe.
 */
export async function clearCommand(context: CommandContext, options: ClearOptions): Promise<number> {
  const store = await openStore(context);
  const purge = options.purge === true;
  const command = `jido sessions clear${purge ? ' --purge' : ''} --yes`;
  if (!options.yes) {
    if (!canPrompt(context.io)) {
      context.note(
        `jido: Refusing to ${purge ? 'delete' : 'move'} every saved session without confirmation. Run '${command}'.`,
      );
      return exitFailure;
    }
    const listing = await store.listResumable();
    if (!listing.ok) throw listing.error;
    const pinned = listing.value.sessions.filter((session) => session.pinned === true).length;
    const count = listing.value.sessions.length - pinned + listing.value.problems.length;
    if (count === 0) {
      context.out(
        pinned > 0 ? `No saved sessions to remove (${pinned} pinned).` : 'No saved sessions to remove.',
      );
      return exitOk;
    }
    const { confirm, isCancel } = await import('@clack/prompts');
    const answer = await confirm({
      message: purge
        ? `Delete ${plural(count, 'saved session')} for good? This cannot be undone.`
        : `Move ${plural(count, 'saved session')} to the trash?`,
      initialValue: false,
      input: context.io.stdin,
      output: context.io.stdout,
    });
    if (isCancel(answer) || answer !== true) {
      context.out('Nothing was removed.');
      return exitFailure;
    }
  }
  const cleared = await store.clear(undefined, { purge });
  if (!cleared.ok) throw cleared.error;
  const report = cleared.value;
  if (context.options.json) {
    printJson(context, reportJson(report));
  } else {
    const skipped = report.skipped.length > 0 ? `; kept ${report.skipped.length} open elsewhere` : '';
    const pinned = report.pinned.length > 0 ? `; kept ${report.pinned.length} pinned` : '';
    const failed = report.failed.length > 0 ? `; ${report.failed.length} could not be removed` : '';
    const done = purge
      ? `Deleted ${plural(report.deleted.length, 'session')} for good`
      : `Moved ${plural(report.deleted.length, 'session')} to the trash`;
    context.out(`${done}${skipped}${pinned}${failed}.`);
    if (!purge && report.deleted.length > 0)
      context.out(context.colors.dim("'jido sessions trash' lists them."));
    printFailures(context, report);
  }
  return report.failed.length > 0 ? exitFailure : exitOk;
}
