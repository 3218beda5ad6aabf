import { printable, shortId } from '@jido-code/commands/listing';
import { forkSession } from '@jido-code/session';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore, resolveSaved } from '../store.js';
import { validSessionName } from './rename.js';

/** Options of `jido sessions fork`. */
export interface ForkCommandOptions {
  /** Keep messages 1..at; default all. */
  readonly at?: number;
  readonly name?: string;
}

/**
 * `jido sessions fork <target> [--at N] [--name NAME]`: a new session holding the source's first
 * N messages, its todos and config; the source is read under its lock and never written. A source
 * open in another process is forked from its last saved state plus its journal.
 */
export async function forkCommand(
  context: CommandContext,
  target: string,
  options: ForkCommandOptions,
): Promise<number> {
  const name = options.name === undefined ? undefined : validSessionName(options.name);
  const store = await openStore(context);
  const entry = await resolveSaved(store, target);
  const forked = await forkSession(store, entry.id, {
    ...(options.at === undefined ? {} : { at: options.at }),
    ...(name === undefined ? {} : { name }),
  });
  if (!forked.ok) throw forked.error;
  const fork = forked.value;
  if (context.options.json) {
    printJson(context, {
      id: fork.id,
      name: fork.name,
      parent_id: fork.parent_id,
      forked_at_message: fork.forked_at_message,
      message_count: fork.conversation.length,
    });
  } else {
    context.out(
      `Forked "${printable(entry.name)}" (${shortId(entry.id)}) at message ${fork.forked_at_message} ` +
        `into "${printable(fork.name)}" (${shortId(fork.id)}).`,
    );
  }
  return exitOk;
}
