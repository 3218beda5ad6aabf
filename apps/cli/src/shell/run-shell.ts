import type { Command, CommandRunner, Outcome } from '@jido-code/commands';
import type { Result } from '@jido-code/core-schema';
import type { LiveSession, SessionManager } from '@jido-code/session';
import { type Agent, OfflineAgent } from '../agent.js';
import type { CommandContext } from '../context.js';
import { reportError } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { recoveredLine } from '../recovery-text.js';
import { openHome, stderrLogger } from '../store.js';
import { safeLines } from '../text.js';
import { LineSource } from './line-source.js';
import { pickSession } from './picker.js';
import { withSpinner } from './progress.js';
import { closeSummary, renderOutcome } from './render.js';

/** What to resume before the first prompt (`jido resume …`). */
export type InitialResume =
  | { readonly target: string }
  | { readonly last: true }
  /** No target: the picker on a terminal, the numbered list on a pipe. */
  | { readonly picker: true };

/** Options of the interactive shell. */
export interface ShellOptions {
  readonly resume?: InitialResume;
  /** Answers messages; the built-in {@link OfflineAgent} by default. */
  readonly agent?: Agent;
}

/** Commands that may take a while (locks, fsyncs, listing): a spinner shows on a terminal. */
const slowCommands: Partial<Record<Command['kind'], string>> = {
  'session.new': 'Opening the session',
  'session.close': 'Saving the session',
  'session.save': 'Saving the session',
  'resume.list': 'Listing saved sessions',
  'resume.open': 'Resuming the session',
  'resume.delete': 'Deleting the session',
  'resume.clear': 'Deleting saved sessions',
  quit: 'Saving open sessions',
};

/**
 * The interactive shell. Lines starting with `/` are commands, run by the `CommandRunner` of
 * `@jido-code/commands`; any other line is a message to the active session, answered by the agent
 * and recorded as an assistant message. On a terminal: a prompt with the active session's name,
 * line editing, history, colour, the `/resume` picker and spinners. On a pipe: no prompt, no
 * colour, one output block per line. At end of input, `/quit`, SIGINT or SIGTERM every open
 * session is closed and saved; a second SIGINT during that is ignored with a note.
 *
 * Exit status: 0, or 1 when a session could not be saved at the end (its journal keeps its
 * changes) or the initial resume of `jido resume` failed.
 */
export async function runShell(context: CommandContext, options: ShellOptions): Promise<number> {
  const { io, colors } = context;
  const [{ SessionManager }, { CommandRunner, parseLine }] = await Promise.all([
    import('@jido-code/session'),
    import('@jido-code/commands'),
  ]);
  const { store, recovery } = await openHome(context);
  const manager: SessionManager = new SessionManager({ store, logger: stderrLogger(context) });
  const runner: CommandRunner = new CommandRunner({ manager, cwd: io.cwd });
  const agent = options.agent ?? new OfflineAgent();
  const terminal = canPrompt(io);
  const spinnerOutput = terminal && io.stderr.isTTY === true ? io.stderr : undefined;

  // openHome recovered every session a crashed process left behind: say what came back.
  const started = new Date();
  for (const recovered of recovery.sessions) context.note(recoveredLine(recovered, started));
  for (const notice of recovery.quarantined) await reportError(io, notice.error, context.options.verbose);

  const source = new LineSource(io, terminal);
  let stopping = false;
  let closing = false;
  const stop = (signal: 'SIGINT' | 'SIGTERM' | 'end') => {
    if (closing) {
      if (signal === 'SIGINT')
        context.note('Still saving the open sessions; jido exits when they are saved.');
      return;
    }
    if (stopping) return;
    stopping = true;
    if (terminal && signal === 'SIGINT') io.stdout.write('\n');
    source.close();
  };
  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  source.onInterrupt = onSigint;
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  const print = (text: string | undefined) => {
    if (text !== undefined) context.out(text);
  };
  const fail = async (error: unknown) => {
    await reportError(io, error, context.options.verbose);
  };
  const execute = (command: Command): Promise<Result<Outcome>> => {
    const label = slowCommands[command.kind];
    return label === undefined
      ? runner.execute(command)
      : withSpinner(spinnerOutput, label, () => runner.execute(command));
  };

  /** Runs a command and prints its outcome; false when it failed. Returns 'quit' for /quit. */
  const perform = async (command: Command): Promise<boolean | 'quit'> => {
    if (command.kind === 'resume.list' && terminal) return pickAndResume();
    const result = await execute(command);
    if (!result.ok) {
      await fail(result.error);
      return false;
    }
    const outcome = result.value;
    if (outcome.kind === 'message.added') return answer(outcome.session, outcome.message.content);
    print(renderOutcome(outcome, colors, new Date()));
    return outcome.kind === 'quit' ? 'quit' : true;
  };

  /** The agent's reply to a message, recorded as an assistant message and printed. */
  const answer = async (session: LiveSession, message: string): Promise<boolean> => {
    let reply: string;
    try {
      reply = await agent.reply({
        session: {
          id: session.id,
          name: session.name,
          projectPath: session.projectPath,
          todos: session.todos,
          messageCount: session.messageCount,
        },
        message,
      });
    } catch (error) {
      await fail(error);
      return false;
    }
    const recorded = await session.addMessage('assistant', reply);
    if (!recorded.ok) {
      await fail(recorded.error);
      return false;
    }
    print(
      safeLines(reply)
        .map((line) => (terminal ? colors.green(line) : line))
        .join('\n'),
    );
    return true;
  };

  /** `/resume` on a terminal: the arrow-key picker, then the resume. */
  const pickAndResume = async (): Promise<boolean> => {
    const listed = await execute({ kind: 'resume.list' });
    if (!listed.ok) {
      await fail(listed.error);
      return false;
    }
    if (listed.value.kind !== 'resume.list') return false;
    if (listed.value.sessions.length === 0) {
      print('No saved sessions to resume.');
      return true;
    }
    source.suspend();
    let chosen: string | undefined;
    try {
      chosen = await pickSession(io, listed.value.sessions, new Date());
    } finally {
      source.resume();
    }
    if (chosen === undefined) {
      print('No session resumed.');
      return true;
    }
    const resumed = await perform({ kind: 'resume.open', target: chosen });
    return resumed === true;
  };

  const initialResume = async (resume: InitialResume): Promise<boolean> => {
    if ('target' in resume) return (await perform({ kind: 'resume.open', target: resume.target })) === true;
    if ('picker' in resume) return (await perform({ kind: 'resume.list' })) === true;
    const listed = await execute({ kind: 'resume.list' });
    if (!listed.ok) {
      await fail(listed.error);
      return false;
    }
    const latest = listed.value.kind === 'resume.list' ? listed.value.sessions[0] : undefined;
    if (latest === undefined) {
      context.note('jido: There are no saved sessions to resume.');
      return false;
    }
    return (await perform({ kind: 'resume.open', target: latest.id })) === true;
  };

  const promptText = () => {
    const active = runner.active;
    return active === undefined
      ? `${colors.bold('jido')}> `
      : `${colors.bold('jido')}(${colors.cyan(safeLines(active.name).join(' '))})> `;
  };

  let exitCode = exitOk;
  try {
    if (options.resume !== undefined && !(await initialResume(options.resume))) {
      exitCode = exitFailure;
      stopping = true;
      source.close();
    }
    if (terminal && !stopping && options.resume === undefined) {
      context.out(colors.dim('jido shell: /help for commands, /quit or Ctrl+D to leave.'));
    }
    while (!stopping) {
      source.prompt(promptText());
      const line = await source.next();
      if (line === null) break;
      const parsed = parseLine(line);
      if (!parsed.ok) {
        await fail(parsed.error);
        continue;
      }
      if ((await perform(parsed.value)) === 'quit') break;
    }
  } finally {
    closing = true;
    source.close();
    const reports = await withSpinner(spinnerOutput, 'Saving open sessions', () => manager.closeAll());
    print(closeSummary(reports));
    for (const report of reports) {
      if (report.error !== undefined) await fail(report.error);
    }
    if (reports.some((report) => !report.saved)) exitCode = exitFailure;
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  return exitCode;
}
