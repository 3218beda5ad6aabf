import { formatTodos, plural, printable, shortId, usageLine } from '@jido-code/commands';
import type { Session } from '@jido-code/core-schema';
import { inspectOpenElsewhere } from '@jido-code/session';
import type { SessionBackend, SessionStore } from '@jido-code/storage';
import { type CommandContext, printJson } from '../context.js';
import { exitOk } from '../exit-codes.js';
import {
  describeQuarantined,
  openElsewhereJson,
  openElsewhereText,
  quarantinedJournals,
} from '../recovery-text.js';
import { loadSaved, loadTrashedTarget, openStore } from '../store.js';
import { describeTime, safeLines } from '../text.js';

/** Options of `jido sessions show`. */
export interface ShowOptions {
  /** First message shown (0-based); negative counts from the end. */
  readonly offset: number;
  /** Most messages shown. */
  readonly limit: number;
  /** The target names a session in the trash listing instead. */
  readonly trash?: boolean | undefined;
}

/** Messages shown by default: a page a terminal can hold. */
export const defaultPageSize = 50;

/** The page of the conversation `options` selects: `{ offset, limit, total }` and the messages. */
export function pageOf(session: Session, options: ShowOptions) {
  const total = session.conversation.length;
  const start = options.offset < 0 ? Math.max(0, total + options.offset) : Math.min(options.offset, total);
  const messages = session.conversation.slice(start, start + options.limit);
  return { messages, page: { offset: start, limit: options.limit, total } };
}

/** `jido sessions show <target> [--offset N] [--limit N]`: metadata, todos and a page of messages. */
export async function showCommand(
  context: CommandContext,
  target: string,
  options: ShowOptions,
): Promise<number> {
  const store = await openStore(context);
  const loaded = await (options.trash ? loadTrashedTarget : loadSaved)(store, target);
  const { signature: _signature, ...session } = loaded.session;
  const { messages, page } = pageOf(loaded.session, options);
  const inspected = await inspectOpenElsewhere(store, session.id);
  if (!inspected.ok) throw inspected.error;
  const open = inspected.value;
  const quarantined = (await quarantinedJournals(store)).filter((entry) => entry.session_id === session.id);
  if (context.options.json) {
    printJson(context, {
      ...session,
      conversation: messages,
      signed: loaded.signed,
      signed_by: loaded.signed ? (loaded.signer ?? 'keyring') : null,
      reordered: loaded.warnings.includes('reordered'),
      page,
      open_elsewhere: openElsewhereJson(open),
      quarantined_journals: quarantined,
    });
    return exitOk;
  }
  const parentName = await nameOf(store, session.parent_id);
  const { bold, dim, cyan, green, yellow } = context.colors;
  const now = new Date();
  const lines = [
    `${bold(printable(session.name))} ${dim(session.id)}`,
    `Project:  ${printable(session.project_path)}`,
    `Model:    ${printable(`${session.config.provider}/${session.config.model}`)}`,
    ...(session.cumulative_usage ? [`Usage:    ${usageLine(session.cumulative_usage)}`] : []),
    `Created:  ${describeTime(session.created_at, now)}`,
    `Updated:  ${describeTime(session.updated_at, now)}`,
    `Closed:   ${session.closed_at === null ? 'not closed' : describeTime(session.closed_at, now)}`,
    ...(open === undefined ? [] : [yellow(`Open:     ${openElsewhereText(open, now)}`)]),
    `Resumed:  ${describeTime(session.last_resumed_at, now)}`,
    ...(session.recovered_at ? [`Recovered: ${describeTime(session.recovered_at, now)}`] : []),
    ...lineage(session, parentName),
    `Signed:   ${loaded.signed ? (loaded.signer === 'jidocode' ? 'yes (JidoCode key)' : 'yes') : 'no (unsigned file, accepted by policy)'}`,
    ...(loaded.warnings.includes('reordered')
      ? ['Order:    shown oldest-first (the file is newest-first, as JidoCode writes)']
      : []),
    ...quarantined.map((entry) =>
      yellow(`Journal:  could not be recovered; kept, not deleted, at ${describeQuarantined(entry)}`),
    ),
    '',
    bold(`Todos (${session.todos.length}):`),
    formatTodos(session.todos),
    '',
    bold(
      page.total === 0
        ? 'Messages: none'
        : messages.length === 0
          ? `Messages: none in this page (${plural(page.total, 'message')} in all)`
          : `Messages ${page.offset + 1}-${page.offset + messages.length} of ${page.total}:`,
    ),
  ];
  for (const message of messages) {
    const role = message.role === 'user' ? cyan(message.role) : green(message.role);
    const [first = '', ...rest] = safeLines(message.content);
    lines.push(`${dim(`[${message.timestamp}]`)} ${role}: ${first}`);
    for (const line of rest) lines.push(`    ${line}`);
    const notes = [
      ...(message.partial === true ? ['partial reply'] : []),
      ...(message.usage ? [usageLine(message.usage)] : []),
    ];
    if (notes.length > 0) lines.push(`    ${dim(`(${notes.join('; ')})`)}`);
  }
  const shownEnd = page.offset + messages.length;
  if (shownEnd < page.total) {
    lines.push(dim(`… ${plural(page.total - shownEnd, 'more message')}: use --offset ${shownEnd}.`));
  }
  context.out(lines.join('\n'));
  return exitOk;
}

/** The name of the parent session, or a placeholder once it is gone or unreadable. */
async function nameOf(store: SessionStore<SessionBackend>, id: string | null | undefined): Promise<string> {
  if (id === null || id === undefined) return '';
  const loaded = await store.load(id);
  return loaded.ok ? loaded.value.session.name : 'a deleted session';
}

/** "Forked:   forked from <name> (<id8>) at message N", for a fork. */
function lineage(session: Omit<Session, 'signature'>, parentName: string): string[] {
  if (session.parent_id === null || session.parent_id === undefined) return [];
  const at = session.forked_at_message === undefined ? '' : ` at message ${session.forked_at_message}`;
  return [`Forked:   forked from ${printable(parentName)} (${shortId(session.parent_id)})${at}`];
}
