import { printable, shortId } from '@jido-code/commands/listing';
import { textTooLong } from '@jido-code/session';
import { type CommandContext, printJson } from '../context.js';
import { cliMessageError } from '../errors.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSaved } from '../store.js';

/** The name as `/session rename` takes it: trimmed, not empty, not over the limit (refused, never cut). */
export function validSessionName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw cliMessageError('invalid_value', 'The name cannot be empty: give at least one character.');
  }
  const tooLong = textTooLong('name', trimmed);
  if (tooLong !== undefined)
    throw cliMessageError('invalid_value', `${tooLong.message} Choose a shorter name.`);
  return trimmed;
}

/**
 * `jido sessions rename <target> <name>`: a read-modify-write under the session's lock, so a save
 * of the session racing it from another process is never lost; a session open in another process is
 * refused (its shell would write the old name back): rename it there with `/session rename`.
 */
export async function renameCommand(context: CommandContext, target: string, name: string): Promise<number> {
  const newName = validSessionName(name);
  const store = await openStore(context);
  const entry = await resolveSaved(store, target);
  const updated = await store.rename(entry.id, newName);
  if (!updated.ok) throw updated.error;
  if (context.options.json) {
    printJson(context, { id: entry.id, name: newName });
  } else {
    context.out(
      `Renamed session "${printable(entry.name)}" (${shortId(entry.id)}) to "${printable(newName)}".`,
    );
  }
  return exitOk;
}
