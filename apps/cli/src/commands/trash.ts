import {
  formatRelativeTime,
  plural,
  printable,
  resolveTarget,
  sanitizeError,
  shortenPath,
  shortId,
} from '@jido-code/commands';
import type { SessionBackend, SessionStore, TrashEntry } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { cliMessageError, cliUsageError } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { openStore } from '../store.js';

/** What `jido sessions trash` does. */
export type TrashAction = 'list' | 'restore' | 'empty';

/** Options of `jido sessions trash`. */
export interface TrashCommandOptions {
  /** `restore`: save it under a fresh id when its id is live again. */
  readonly newId: boolean;
  /** `empty`: only entries moved more than this many days ago. */
  readonly olderThan?: number | undefined;
  /** `empty`: confirmed on the command line (required on a pipe). */
  readonly yes: boolean;
}

/** Why each reason moved a session, in words. */
const reasonWords: Readonly<Record<TrashEntry['reason'], string>> = {
  delete: 'deleted',
  clear: 'clear',
  'cleanup:age': 'cleanup (age)',
  'cleanup:count': 'cleanup (count)',
  limit: 'session limit',
  sync: 'sync',
};

/** The JSON form of the trash: the index a target may use, then the record's snake_case fields. */
export function trashEntriesJson(entries: readonly TrashEntry[]) {
  return entries.map((entry, position) => ({
    index: position + 1,
    id: entry.id,
    name: entry.name,
    project_path: entry.project_path,
    reason: entry.reason,
    trashed_at: entry.trashed_at,
    last_activity: entry.last_activity,
  }));
}

async function listed(store: SessionStore<SessionBackend>) {
  const listing = await store.listTrash();
  if (!listing.ok) throw listing.error;
  return listing.value;
}

function printTrash(context: CommandContext, entries: readonly TrashEntry[], problems: number): void {
  if (entries.length === 0) context.out('The trash is empty.');
  else {
    const now = new Date();
    const rows = entries.map((entry, position) => [
      String(position + 1),
      shortId(entry.id),
      printable(entry.name),
      shortenPath(printable(entry.project_path)),
      reasonWords[entry.reason] ?? entry.reason,
      formatRelativeTime(entry.trashed_at, now),
    ]);
    const header = ['#', 'Id', 'Name', 'Project', 'Why', 'Moved'];
    const widths = header.map((title, column) =>
      Math.max(Array.from(title).length, ...rows.map((row) => Array.from(row[column] ?? '').length)),
    );
    const render = (row: readonly string[]) =>
      row
        .map((cell, column) =>
          column === 0
            ? cell.padStart(widths[column] ?? 0)
            : cell + ' '.repeat((widths[column] ?? 0) - Array.from(cell).length),
        )
        .join('  ')
        .trimEnd();
    context.out([context.colors.bold(render(header)), ...rows.map(render)].join('\n'));
    context.out(context.colors.dim("'jido sessions trash restore <#>' puts one back."));
  }
  if (problems > 0) {
    context.out(
      context.colors.yellow(
        `${plural(problems, 'trashed session')} cannot be listed: the record of the move is missing or was changed.`,
      ),
    );
  }
}

async function restore(
  context: CommandContext,
  store: SessionStore<SessionBackend>,
  target: string | undefined,
  newId: boolean,
): Promise<number> {
  if (target === undefined || target.trim() === '') {
    throw cliUsageError(
      "'jido sessions trash restore' needs the session to restore.",
      "Run 'jido sessions trash' to list the trash, then 'jido sessions trash restore <#>'.",
    );
  }
  const { entries } = await listed(store);
  const found = resolveTarget(target, entries);
  if (!found.ok) throw found.error;
  const entry = found.value.entry;
  const restored = await store.restoreFromTrash(entry.entry, { newId });
  if (!restored.ok && restored.error.code === 'already_exists') {
    throw cliMessageError(
      'already_exists',
      `A saved session has the id ${shortId(entry.id)} again, so "${printable(entry.name)}" was not restored over it; restore it under a new id with --new-id.`,
      restored.error,
    );
  }
  if (!restored.ok) throw restored.error;
  const id = restored.value.id;
  if (context.options.json) printJson(context, { id, name: entry.name, restored_from: entry.id });
  else if (id === entry.id) {
    context.out(`Restored session "${printable(entry.name)}" (${shortId(id)}).`);
  } else {
    context.out(`Restored session "${printable(entry.name)}" under the new id ${shortId(id)}.`);
  }
  return exitOk;
}

async function confirmEmpty(context: CommandContext, count: number, olderThan: number | undefined) {
  const what =
    olderThan === undefined
      ? `every session in the trash (${count})`
      : `${plural(count, 'session')} moved to the trash more than ${plural(olderThan, 'day')} ago`;
  if (!canPrompt(context.io)) {
    context.note(`jido: Refusing to delete ${what} for good without confirmation. Run it again with --yes.`);
    return false;
  }
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({
    message: `Delete ${what} for good? This cannot be undone.`,
    initialValue: false,
    input: context.io.stdin,
    output: context.io.stdout,
  });
  if (isCancel(answer) || answer !== true) {
    context.out('Nothing was deleted.');
    return false;
  }
  return true;
}

async function empty(
  context: CommandContext,
  store: SessionStore<SessionBackend>,
  options: TrashCommandOptions,
) {
  if (!options.yes) {
    const { entries } = await listed(store);
    const cutoff =
      options.olderThan === undefined
        ? Number.POSITIVE_INFINITY
        : Date.now() - options.olderThan * 86_400_000;
    const count = entries.filter((entry) => Date.parse(entry.trashed_at) < cutoff).length;
    if (count === 0) {
      if (context.options.json) printJson(context, { purged: [] });
      else context.out('Nothing in the trash to delete.');
      return exitOk;
    }
    if (!(await confirmEmpty(context, count, options.olderThan))) return exitFailure;
  }
  const emptied = await store.emptyTrash(
    options.olderThan === undefined ? {} : { olderThanDays: options.olderThan },
  );
  if (!emptied.ok) throw emptied.error;
  const ids = emptied.value.purged.map((entry) => entry.slice(0, entry.lastIndexOf('.')));
  if (context.options.json) printJson(context, { purged: ids });
  else context.out(`Deleted ${plural(ids.length, 'session')} from the trash for good.`);
  return exitOk;
}

/**
 * `jido sessions trash [list|restore|empty]`: the sessions removed by delete, clear, cleanup and
 * the count limit, newest first; restore one (by number, id, prefix or name in this listing), or
 * empty the trash for good.
 */
export async function trashCommand(
  context: CommandContext,
  action: string | undefined,
  target: string | undefined,
  options: TrashCommandOptions,
): Promise<number> {
  const chosen = action ?? 'list';
  if (chosen !== 'list' && chosen !== 'restore' && chosen !== 'empty') {
    throw cliUsageError(
      `'${printable(chosen)}' is not a trash action: use list, restore or empty.`,
      "Run 'jido sessions trash --help' for usage.",
    );
  }
  if (chosen !== 'restore' && target !== undefined) {
    throw cliUsageError(
      `'jido sessions trash ${chosen}' takes no session.`,
      "Run 'jido sessions trash --help' for usage.",
    );
  }
  const store = await openStore(context);
  if (chosen === 'restore') return restore(context, store, target, options.newId);
  if (chosen === 'empty') return empty(context, store, options);
  const { entries, problems } = await listed(store);
  if (context.options.json) {
    printJson(context, {
      entries: trashEntriesJson(entries),
      problems: problems.map((problem) => ({
        id: problem.id ?? null,
        code: problem.error.code,
        message: sanitizeError(problem.error).message,
      })),
    });
  } else printTrash(context, entries, problems.length);
  return exitOk;
}
