import { printable, shortId } from '@jido-code/commands';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSaved } from '../store.js';

/** `jido sessions delete <target>`: deletes one saved session (refused while it is open). */
export async function deleteCommand(context: CommandContext, target: string): Promise<number> {
  const store = await openStore(context);
  const entry = await resolveSaved(store, target);
  const deleted = await store.delete(entry.id);
  if (!deleted.ok) throw deleted.error;
  if (context.options.json) {
    printJson(context, { id: entry.id, name: entry.name, deleted: deleted.value.deleted });
  } else {
    context.out(`Deleted session "${printable(entry.name)}" (${shortId(entry.id)}).`);
  }
  return exitOk;
}
