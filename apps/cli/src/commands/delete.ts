import { printable, shortId } from '@jido-code/commands';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSavedTarget } from '../store.js';

/**
 * `jido sessions delete <target>`: deletes one saved session (refused while it is open), or a file
 * that fails to load, named by its id or id prefix.
 */
export async function deleteCommand(context: CommandContext, target: string): Promise<number> {
  const store = await openStore(context);
  const found = await resolveSavedTarget(store, target);
  const id = found.kind === 'session' ? found.entry.id : found.problem.id;
  const deleted = await store.delete(id);
  if (!deleted.ok) throw deleted.error;
  if (context.options.json) {
    const name = found.kind === 'session' ? found.entry.name : null;
    printJson(context, { id, name, deleted: deleted.value.deleted });
  } else if (found.kind === 'session') {
    context.out(`Deleted saved session "${printable(found.entry.name)}" (${shortId(id)}).`);
  } else {
    context.out(`Deleted the unreadable session file ${shortId(id)}.`);
  }
  return exitOk;
}
