import { formatRelativeTime, plural, printable, shortenPath } from '@jido-code/commands';
import { truncateEnd } from '@jido-code/commands/internal';
import type { SessionMetadata } from '@jido-code/storage';
import type { CliIo } from '../io.js';
import { type PickerActions, runActingPicker } from './acting-picker.js';

/** Columns the picker uses before a label: the highlight mark, with room to spare. */
const pickerGutter = 4;

/**
 * `api · ~/code/api · 4 messages · closed 5 min ago` (`api (pinned) · …` when pinned, so the mark
 * survives the cut), cut to `width` characters.
 */
function pickerLabel(session: SessionMetadata, now: Date, width: number): string {
  const closed =
    session.closed_at === null ? 'not closed' : `closed ${formatRelativeTime(session.closed_at, now)}`;
  const text = [
    `${printable(session.name)}${session.pinned === true ? ' (pinned)' : ''}`,
    shortenPath(printable(session.project_path)),
    plural(session.message_count, 'message'),
    closed,
  ].join(' · ');
  return truncateEnd(text, Math.max(10, width));
}

/** Pinned sessions first (in their listed order), then the others: the picker's order. */
function pinnedFirst(sessions: readonly SessionMetadata[]): SessionMetadata[] {
  return [...sessions].sort((left, right) => Number(right.pinned === true) - Number(left.pinned === true));
}

/** True when the terminal reports a usable width; `script` from a non-terminal reports 0 columns. */
export function canShowPicker(io: CliIo): boolean {
  return (io.stdout.columns ?? 0) > 0;
}

/**
 * The arrow-key picker of resumable sessions, pinned ones first. Every row shows name, project, message count and
 * how long ago it was closed (so rows with one name still differ), cut to the terminal's width.
 * Resolves to the chosen id, or `undefined` when the user cancels (Escape, Ctrl+C). With `actions`,
 * the highlighted session can be trashed, renamed, forked or pinned from the picker (see
 * `acting-picker.ts`); the list after each action keeps pinned sessions first.
 */
export async function pickSession(
  io: CliIo,
  sessions: readonly SessionMetadata[],
  now: Date,
  actions?: PickerActions,
): Promise<string | undefined> {
  const width = (io.stdout.columns ?? 80) - pickerGutter;
  const ordered: PickerActions | undefined =
    actions === undefined
      ? undefined
      : { ...actions, relist: async () => pinnedFirst(await actions.relist()) };
  return runActingPicker(io, pinnedFirst(sessions), (session) => pickerLabel(session, now, width), ordered);
}

/** A yes/no question on the terminal, "no" highlighted first; cancelling is "no". */
export async function askYesNo(io: CliIo, question: string): Promise<boolean> {
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({
    message: question,
    initialValue: false,
    input: io.stdin,
    output: io.stdout,
  });
  return !isCancel(answer) && answer === true;
}
