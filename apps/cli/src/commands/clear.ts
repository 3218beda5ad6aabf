import { plural } from '@jido-code/commands';
import { type CommandContext, printJson } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { openStore } from '../store.js';

import { printFailures, reportJson } from './report.js';

/** Options of `jido sessions clear`. */
export interface ClearOptions {
  /** Confirmed on the command line. */
  readonly yes: boolean;
}

/**
 * `jido sessions clear --yes`: deletes every saved session that is not open. Without `--yes` it
 * asks on a terminal and refuses (exit 1) on a pipe.
 */
export async function clearCommand(context: CommandContext, options: ClearOptions): Promise<number> {
  const store = await openStore(context);
  if (!options.yes) {
    if (!canPrompt(context.io)) {
      context.note(
        "jido: Refusing to delete every saved session without confirmation. Run 'jido sessions clear --yes'.",
      );
      return exitFailure;
    }
    const listing = await store.listResumable();
    if (!listing.ok) throw listing.error;
    const count = listing.value.sessions.length + listing.value.problems.length;
    if (count === 0) {
      context.out('No saved sessions to delete.');
      return exitOk;
    }
    const { confirm, isCancel } = await import('@clack/prompts');
    const answer = await confirm({
      message: `Delete ${plural(count, 'saved session')}? This cannot be undone.`,
      initialValue: false,
      input: context.io.stdin,
      output: context.io.stdout,
    });
    if (isCancel(answer) || answer !== true) {
      context.out('Nothing was deleted.');
      return exitFailure;
    }
  }
  const cleared = await store.clear();
  if (!cleared.ok) throw cleared.error;
  const report = cleared.value;
  if (context.options.json) {
    printJson(context, reportJson(report));
  } else {
    const skipped = report.skipped.length > 0 ? `; kept ${report.skipped.length} open elsewhere` : '';
    const failed = report.failed.length > 0 ? `; ${report.failed.length} could not be deleted` : '';
    context.out(`Deleted ${plural(report.deleted.length, 'session')}${skipped}${failed}.`);
    printFailures(context, report);
  }
  return report.failed.length > 0 ? exitFailure : exitOk;
}
