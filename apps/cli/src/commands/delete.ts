import { printable, shortId } from '@jido-code/commands/listing';
import { type CommandContext, printJson } from '../context.js';
import { cliMessageError } from '../errors.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSavedTarget } from '../store.js';

/** Options of `jido sessions delete`. */
export interface DeleteOptions {
  /** Delete for good instead of moving to the trash. */
  readonly purge: boolean;
  /** Delete it even when it is pinned. */
  readonly force: boolean;
}

/**
 * `jido sessions delete <target>`: moves one saved session to the trash (for good with `--purge`);
 * refused while it is open, and for a pinned one without `--force`. A file that fails to load is
 * named by its id or id prefix.
 */
export async function deleteCommand(
  context: CommandContext,
  target: string,
  options: DeleteOptions = { purge: false, force: false },
): Promise<number> {
  const store = await openStore(context);
  const found = await resolveSavedTarget(store, target);
  const id = found.kind === 'session' ? found.entry.id : found.problem.id;
  const deleted = await store.delete(id, { purge: options.purge, force: options.force });
  if (!deleted.ok && deleted.error.code === 'confirmation_required') {
    throw cliMessageError(
      'confirmation_required',
      `Session ${shortId(id)} is pinned, so it was not deleted: unpin it first ('jido sessions unpin ${shortId(id)}'), or delete it with --force.`,
      deleted.error,
    );
  }
  if (!deleted.ok) throw deleted.error;
  const trashed = deleted.value.deleted && !options.purge;
  if (context.options.json) {
    const name = found.kind === 'session' ? found.entry.name : null;
    printJson(context, { id, name, deleted: deleted.value.deleted, purged: options.purge, trashed });
    return exitOk;
  }
  const what =
    found.kind === 'session'
      ? `saved session "${printable(found.entry.name)}" (${shortId(id)})`
      : `the unreadable session file ${shortId(id)}`;
  if (!deleted.value.deleted) context.out(`There was nothing to delete: ${what} was already gone.`);
  else if (options.purge) context.out(`Deleted ${what} for good.`);
  else {
    context.out(`Moved ${what} to the trash; 'jido sessions trash restore ${shortId(id)}' puts it back.`);
  }
  return exitOk;
}
