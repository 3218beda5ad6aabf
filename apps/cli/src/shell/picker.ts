import { formatRelativeTime, plural, printable, shortenPath } from '@jido-code/commands';
import type { SessionMetadata } from '@jido-code/storage';
import type { CliIo } from '../io.js';

/**
 * The arrow-key picker of resumable sessions: name, project, message count and how long ago it
 * was closed. Resolves to the chosen id, or `undefined` when the user cancels (Escape, Ctrl+C).
 */
export async function pickSession(
  io: CliIo,
  sessions: readonly SessionMetadata[],
  now: Date,
): Promise<string | undefined> {
  const { isCancel, select } = await import('@clack/prompts');
  const choice = await select<string>({
    message: 'Resume which session?',
    options: sessions.map((session) => ({
      value: session.id,
      label: printable(session.name),
      hint: [
        shortenPath(printable(session.project_path)),
        plural(session.message_count, 'message'),
        session.closed_at === null ? 'not closed' : `closed ${formatRelativeTime(session.closed_at, now)}`,
      ].join(' · '),
    })),
    maxItems: 10,
    input: io.stdin,
    output: io.stdout,
  });
  return isCancel(choice) ? undefined : choice;
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
