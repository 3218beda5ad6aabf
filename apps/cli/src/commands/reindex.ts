import { plural } from '@jido-code/commands/listing';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { terminalProgress } from '../progress-bar.js';
import { openStore } from '../store.js';

/** `jido sessions reindex`: rebuilds the search index from the signed session files. */
export async function reindexCommand(context: CommandContext): Promise<number> {
  const store = await openStore(context);
  const progress = await terminalProgress(context, 'Indexing sessions');
  let started = false;
  const report = await store.reindex((_done, total) => {
    if (!started) {
      progress?.start(total);
      started = true;
    }
    progress?.advance();
  });
  if (!report.ok) throw report.error;
  progress?.stop(`Indexed ${plural(report.value.indexed, 'session')}`);
  if (context.options.json) printJson(context, report.value);
  else {
    const skipped =
      report.value.dropped === 0 ? '' : ` (${plural(report.value.dropped, 'file')} not valid, left out)`;
    context.out(`Indexed ${plural(report.value.indexed, 'session')} for search${skipped}.`);
  }
  return exitOk;
}
