import { formatProblems, formatSessionTable, sanitizeError } from '@jido-code/commands';
import type { ListingProblem, SessionMetadata } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import { openStore } from '../store.js';

/** Options of `jido sessions list`. */
export interface ListOptions {
  /** Include sessions open in another process. */
  readonly all: boolean;
}

/** One row of `jido sessions list --json`: storage's metadata with its 1-based index. */
export interface ListEntryJson extends SessionMetadata {
  /** The number a target may use. */
  readonly index: number;
  /** True when the session was rebuilt from its journal after a crash (`recovered_at` is set). */
  readonly recovered: boolean;
}

/** The JSON form of a listing: the index first, then the file format's snake_case fields. */
export function listEntries(sessions: readonly SessionMetadata[]): ListEntryJson[] {
  return sessions.map((session, position) => ({
    index: position + 1,
    id: session.id,
    name: session.name,
    project_path: session.project_path,
    created_at: session.created_at,
    updated_at: session.updated_at,
    closed_at: session.closed_at,
    last_resumed_at: session.last_resumed_at,
    message_count: session.message_count,
    todo_count: session.todo_count,
    recovered_at: session.recovered_at,
    signed: session.signed,
    signed_by: session.signed_by ?? (session.signed ? 'keyring' : null),
    recovered: session.recovered_at !== null,
    size_bytes: session.size_bytes,
    parent_id: session.parent_id ?? null,
  }));
}

/** One file that failed to load, in `sessions list --json`: its id (when its name has one) and why. */
export function problemEntries(problems: readonly ListingProblem[]) {
  return problems.map((problem) => ({
    id: problem.id ?? null,
    file: problem.file,
    code: problem.error.code,
    message: sanitizeError(problem.error).message,
  }));
}

/** `jido sessions list [--all]`: saved sessions, most recently closed first. */
export async function listCommand(context: CommandContext, options: ListOptions): Promise<number> {
  const store = await openStore(context);
  const listing = options.all ? await store.listPersisted() : await store.listResumable();
  if (!listing.ok) throw listing.error;
  const { sessions, problems } = listing.value;
  if (context.options.json) {
    printJson(context, { sessions: listEntries(sessions), problems: problemEntries(problems) });
  } else {
    const table = formatSessionTable(sessions, new Date());
    const [header, ...rows] = table.split('\n');
    if (sessions.length === 0 || header === undefined) context.out(table);
    else context.out([context.colors.bold(header), ...rows].join('\n'));
    const numbers = (keep: (session: SessionMetadata) => boolean) =>
      sessions.flatMap((session, position) => (keep(session) ? [`#${position + 1}`] : [])).join(', ');
    const jidocode = numbers((session) => session.signed_by === 'jidocode');
    const unsigned = numbers((session) => !session.signed);
    if (jidocode !== '') context.out(context.colors.dim(`Signed with the JidoCode key: ${jidocode}.`));
    if (unsigned !== '') context.out(context.colors.yellow(`Unsigned (accepted by policy): ${unsigned}.`));
  }
  const section = context.options.json ? undefined : formatProblems(problems);
  if (section !== undefined) context.out(context.colors.yellow(section));
  return exitOk;
}
