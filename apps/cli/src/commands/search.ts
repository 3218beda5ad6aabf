import { formatSearchResults } from '@jido-code/commands';
import type { Message } from '@jido-code/core-schema';
import type { SearchResult } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore } from '../store.js';

/** Options of `jido sessions search`. */
export interface SearchCommandOptions {
  /** Only sessions of this project folder (as given; resolved against the working directory). */
  readonly project?: string | undefined;
  /** Only messages of the last this many days. */
  readonly sinceDays?: number | undefined;
  readonly role?: Message['role'] | undefined;
  readonly limit: number;
  /** Search the trash too; its results follow, marked `in the trash`. */
  readonly trash?: boolean | undefined;
}

const dayMs = 24 * 60 * 60 * 1000;

/** One row of `--json`: the 1-based rank, then the file format's snake_case names. */
export function searchEntries(results: readonly SearchResult[], inTrash = false, first = 1) {
  return results.map((result, position) => ({
    index: position + first,
    ...(inTrash ? { in_trash: true } : {}),
    id: result.id,
    name: result.name,
    project_path: result.project_path,
    score: Math.round(result.score * 1000) / 1000,
    matches: result.matches.map((match) => ({
      message_index: match.message_index,
      role: match.role,
      timestamp: match.timestamp,
      snippet: match.snippet.text,
    })),
  }));
}

/**
 * `jido sessions search <words…>`: sessions with a message holding every word (as a prefix, case
 * and accents ignored), best first, with up to three snippets each. Its ids and id prefixes are
 * targets for `jido resume` and `jido sessions show`.
 */
export async function searchCommand(
  context: CommandContext,
  words: readonly string[],
  options: SearchCommandOptions,
): Promise<number> {
  const store = await openStore(context);
  const outcome = await store.search(words.join(' '), {
    projectPath: options.project === undefined ? undefined : context.path(options.project),
    since: options.sinceDays === undefined ? undefined : new Date(Date.now() - options.sinceDays * dayMs),
    role: options.role,
    limit: options.limit,
  });
  if (!outcome.ok) throw outcome.error;
  for (const notice of outcome.value.notices) context.note(context.colors.yellow(`notice: ${notice}`));
  const trashed = options.trash
    ? await store.searchTrash(words.join(' '), {
        projectPath: options.project === undefined ? undefined : context.path(options.project),
        since: options.sinceDays === undefined ? undefined : new Date(Date.now() - options.sinceDays * dayMs),
        role: options.role,
        limit: options.limit,
      })
    : undefined;
  if (trashed !== undefined && !trashed.ok) throw trashed.error;
  const inTrash = trashed?.value.results ?? [];
  const live = outcome.value.results;
  if (context.options.json) {
    printJson(context, [...searchEntries(live), ...searchEntries(inTrash, true, live.length + 1)]);
    return exitOk;
  }
  const highlight = (word: string) => context.colors.bold(context.colors.yellow(word));
  context.out(formatSearchResults(live, new Date(), highlight));
  if (options.trash) {
    context.out(
      context.colors.bold("In the trash (restore with 'jido sessions trash restore <id prefix>'):"),
    );
    context.out(formatSearchResults(inTrash, new Date(), highlight));
  }
  return exitOk;
}
