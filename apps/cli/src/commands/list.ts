import { formatProblems, formatSessionTable, sanitizeError } from '@jido-code/commands/listing';
import type { OpenElsewhere } from '@jido-code/session';
import type { ListingProblem, SessionBackend, SessionMetadata, SessionStore } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import {
  openElsewhereJson,
  openElsewhereText,
  quarantinedJournals,
  quarantineWarnings,
} from '../recovery-text.js';
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
  /** With `--all`: the live process holding it and what waits in its journal; null when none does. */
  readonly open_elsewhere?: ReturnType<typeof openElsewhereJson>;
}

/** The JSON form of a listing: the index first, then the file format's snake_case fields. */
export function listEntries(
  sessions: readonly SessionMetadata[],
  openElsewhere?: ReadonlyMap<string, OpenElsewhere>,
): ListEntryJson[] {
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
    pinned: session.pinned === true,
    cumulative_usage: session.cumulative_usage ?? null,
    ...(openElsewhere === undefined
      ? {}
      : { open_elsewhere: openElsewhereJson(openElsewhere.get(session.id)) }),
  }));
}

/** The saved sessions another live process holds, with what waits in their journals (read only). */
async function sessionsOpenElsewhere(
  store: SessionStore<SessionBackend>,
  all: readonly SessionMetadata[],
  resumable: readonly SessionMetadata[],
): Promise<Map<string, OpenElsewhere>> {
  const free = new Set(resumable.map((session) => session.id));
  const open = new Map<string, OpenElsewhere>();
  const held = all.filter((session) => !free.has(session.id));
  if (held.length === 0) return open;
  // Only a session another process holds needs the runtime's journal reader: loaded then.
  const { inspectOpenElsewhere } = await import('@jido-code/session');
  for (const session of held) {
    const found = await inspectOpenElsewhere(store, session.id);
    if (!found.ok) throw found.error;
    if (found.value !== undefined) open.set(session.id, found.value);
  }
  return open;
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
  const persisted = await store.listPersisted();
  if (!persisted.ok) throw persisted.error;
  const resumable = await store.listResumable(undefined, persisted.value);
  if (!resumable.ok) throw resumable.error;
  const { problems } = persisted.value;
  const openElsewhere = await sessionsOpenElsewhere(
    store,
    persisted.value.sessions,
    resumable.value.sessions,
  );
  const sessions = options.all ? persisted.value.sessions : resumable.value.sessions;
  const now = new Date();
  if (context.options.json) {
    printJson(context, {
      sessions: listEntries(sessions, options.all ? openElsewhere : undefined),
      problems: problemEntries(problems),
    });
  } else if (sessions.length === 0 && openElsewhere.size > 0) {
    context.out(
      `No saved sessions (${openElsewhere.size} open in another jido process; --all lists ${openElsewhere.size === 1 ? 'it' : 'them'}).`,
    );
  } else {
    // Only a session open elsewhere is copied (to mark it), and the table is cut once after its
    // header rather than split into lines: at 10,000 sessions both copies showed in the peak RSS.
    const rows =
      openElsewhere.size === 0
        ? sessions
        : sessions.map((session) =>
            openElsewhere.has(session.id) ? { ...session, open_elsewhere: true } : session,
          );
    const table = formatSessionTable(rows, now);
    const headerEnd = table.indexOf('\n');
    if (sessions.length === 0 || headerEnd < 0) context.out(table);
    else context.out(context.colors.bold(table.slice(0, headerEnd)) + table.slice(headerEnd));
    const numbers = (keep: (session: SessionMetadata) => boolean) =>
      sessions.flatMap((session, position) => (keep(session) ? [`#${position + 1}`] : [])).join(', ');
    const jidocode = numbers((session) => session.signed_by === 'jidocode');
    const unsigned = numbers((session) => !session.signed);
    if (jidocode !== '') context.out(context.colors.dim(`Signed with the JidoCode key: ${jidocode}.`));
    if (unsigned !== '') context.out(context.colors.yellow(`Unsigned (accepted by policy): ${unsigned}.`));
    if (options.all) {
      sessions.forEach((session, position) => {
        const open = openElsewhere.get(session.id);
        if (open !== undefined)
          context.out(context.colors.dim(`${position + 1}: ${openElsewhereText(open, now)}.`));
      });
    } else if (openElsewhere.size > 0) {
      context.out(
        context.colors.dim(
          `(${openElsewhere.size} more open in another jido process; --all lists ${openElsewhere.size === 1 ? 'it' : 'them'}.)`,
        ),
      );
    }
  }
  const section = context.options.json ? undefined : formatProblems(problems);
  if (section !== undefined) context.out(context.colors.yellow(section));
  for (const line of quarantineWarnings(await quarantinedJournals(store))) {
    context.note(context.colors.yellow(line));
  }
  return exitOk;
}
