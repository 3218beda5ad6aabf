import { printable, shortId } from '@jido-code/commands/listing';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSaved } from '../store.js';

/**
 * `jido sessions pin <target>` and `unpin <target>`: a pinned session is never removed by cleanup,
 * clear or the count limit, and needs `--force` to delete. The pin is a signed change of the file
 * (so it survives export and import); a session open in a jido process is pinned there instead.
 */
export async function pinCommand(context: CommandContext, target: string, pinned: boolean): Promise<number> {
  const store = await openStore(context);
  const entry = await resolveSaved(store, target);
  const changed = await store.setPinned(entry.id, pinned);
  if (!changed.ok) throw changed.error;
  if (context.options.json) printJson(context, { id: entry.id, name: entry.name, pinned });
  else {
    const what = `"${printable(entry.name)}" (${shortId(entry.id)})`;
    context.out(
      pinned
        ? `Pinned session ${what}: cleanup, clear and the session limit keep it.`
        : `Unpinned session ${what}.`,
    );
  }
  return exitOk;
}
