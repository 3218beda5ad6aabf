import { providerEnvironment } from '@jido-code/agent/models';
import { type Command, CommandRunner, parseLine } from '@jido-code/commands';
import { type RecoveryReport, redactionNotice, SessionManager } from '@jido-code/session';
import { type Agent, OfflineAgent } from '../agent.js';
import type { CommandContext } from '../context.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { canPrompt } from '../io.js';
import { recoveredLine } from '../recovery-text.js';
import { openHome, stderrLogger } from '../store.js';
import { safeLines } from '../text.js';
import { type InitialResume, performInitialResume } from './initial-resume.js';
import { LineSource } from './line-source.js';
import { ModelResponder } from './model-responder.js';
import { Performer } from './performer.js';
import { askYesNo, canShowPicker, pickSession } from './picker.js';
import { pickerActions } from './picker-actions.js';
import { withSpinner } from './progress.js';
import { reportRemovals } from './removal-notices.js';
import { type ShellOutput, shellOutput } from './shell-output.js';
import { shutdown } from './shutdown.js';
import { StopSignals } from './stop-signals.js';

export type { InitialResume } from './initial-resume.js';

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
  'session.fork': 'Forking the session',
  'resume.list': 'Listing saved sessions',
  'resume.open': 'Resuming the session',
  'resume.delete': 'Moving the session to the trash',
  'resume.clear': 'Moving saved sessions to the trash',
  quit: 'Saving open sessions',
};

/**
 * The interactive shell, put together from parts that each do one thing: {@link LineSource}
 * (line input), {@link StopSignals} (SIGINT, SIGTERM, end of input), {@link Performer} (run a
 * command, print its outcome, answer a message), {@link performInitialResume} (`jido resume`) and
 * {@link shutdown} (close and save everything). Lines starting with `/` are commands; any other
 * line is a message to the active session. On a terminal: a prompt with the active session's
 * name, line editing, history, colour, the `/resume` picker and spinners. On a pipe: no prompt,
 * no colour, one output block per line.
 *
 * Exit status: 0, or 1 when a session could not be saved at the end (its journal keeps its
 * changes), the initial resume of `jido resume` failed, or (on a pipe) any line failed.
 */
export async function runShell(context: CommandContext, options: ShellOptions): Promise<number> {
  const { io } = context;
  const terminal = canPrompt(io);
  const output = shellOutput(context, terminal);
  const { store, recovery } = await openHome(context);
  const manager = new SessionManager({
    store,
    logger: stderrLogger(context),
    // One line when a message or todo had secrets; the agent is then given the redacted text.
    onRedaction: (event) => output.print(redactionNotice(event.report)),
  });
  const environment = providerEnvironment(io.env);
  const runner = new CommandRunner({ manager, cwd: io.cwd, environment });
  await reportRecovery(recovery, output);
  await reportRemovals(store, output);

  const source = new LineSource(io, terminal);
  const spinnerOutput = terminal && io.stderr.isTTY === true ? io.stderr : undefined;
  const model = await ModelResponder.create({
    environment,
    output,
    stream: io.stdout,
    spinner: spinnerOutput,
  });
  const performer = shellPerformer(
    context,
    { terminal, source, runner, model, output, spinnerOutput },
    options,
  );
  const signals = new StopSignals({
    onStop: (cause) => {
      if (terminal && cause === 'SIGINT') io.stdout.write('\n');
      source.close();
    },
    intercept: () => model.interrupt(),
    onInterruptWhileClosing: () =>
      output.note('Still saving the open sessions; jido exits when they are saved.'),
  });
  // Ctrl+C while a reply streams stops the reply, not the shell.
  source.onInterrupt = () => {
    if (!model.interrupt()) signals.request('SIGINT');
  };
  signals.listen(process);

  let exitCode = exitOk;
  try {
    if (options.resume !== undefined && !(await performInitialResume(performer, output, options.resume))) {
      exitCode = exitFailure;
      signals.request('end');
    }
    if (terminal && !signals.stopping && options.resume === undefined) {
      output.print(output.colors.dim('jido shell: /help for commands, /quit or Ctrl+D to leave.'));
    }
    const anyFailed = await readLoop(source, signals, performer, output, () => promptText(runner, output));
    // A script reading the exit status learns that a line failed; at a terminal the user saw it.
    if (anyFailed && !terminal) exitCode = exitFailure;
  } finally {
    signals.beginClosing();
    source.close();
    const saved = await shutdown(manager, output, (work) =>
      withSpinner(spinnerOutput, 'Saving open sessions', work),
    );
    if (!saved) exitCode = exitFailure;
    signals.dispose();
  }
  return exitCode;
}

/** The parts {@link shellPerformer} wires together. */
interface PerformerParts {
  readonly terminal: boolean;
  readonly source: LineSource;
  readonly runner: CommandRunner;
  readonly model: ModelResponder;
  readonly output: ShellOutput;
  readonly spinnerOutput: CommandContext['io']['stderr'] | undefined;
}

/** The performer: spinners for slow commands; on a terminal, the `/resume` picker and questions. */
function shellPerformer(context: CommandContext, parts: PerformerParts, options: ShellOptions): Performer {
  const { io } = context;
  const { terminal, source, runner, model, output, spinnerOutput } = parts;
  return new Performer({
    runner,
    agent: options.agent ?? new OfflineAgent(),
    model,
    output,
    execute: (command, run) => {
      const label = slowCommands[command.kind];
      return label === undefined ? run() : withSpinner(spinnerOutput, label, run);
    },
    ...(terminal
      ? {
          // A terminal of 0 columns cannot draw the picker: /resume prints the numbered list instead.
          ...(canShowPicker(io)
            ? {
                choose: (sessions) =>
                  source.lendKeyboard(() =>
                    pickSession(io, sessions, new Date(), pickerActions(runner.manager)),
                  ),
              }
            : {}),
          confirm: (question) => source.lendKeyboard(() => askYesNo(io, question)),
        }
      : {}),
  });
}

/** Says what opening the home recovered from interrupted runs, and which journals it moved aside. */
async function reportRecovery(recovery: RecoveryReport, output: ShellOutput): Promise<void> {
  const now = new Date();
  for (const session of recovery.sessions) output.note(recoveredLine(session, now));
  for (const notice of recovery.quarantined) await output.fail(notice.error);
}

/**
 * Reads, parses and performs lines until the end of input, a stop or `/quit`. True when any line
 * failed (its error printed).
 */
async function readLoop(
  source: LineSource,
  signals: StopSignals,
  performer: Performer,
  output: ShellOutput,
  prompt: () => string,
): Promise<boolean> {
  let anyFailed = false;
  while (!signals.stopping) {
    source.prompt(prompt());
    const line = await source.next();
    if (line === null) break;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      anyFailed = true;
      await output.fail(parsed.error);
      continue;
    }
    const performed = await performer.perform(parsed.value);
    if (performed === 'failed') anyFailed = true;
    if (performed === 'quit') break;
  }
  return anyFailed;
}

/** `jido> `, or `jido(api)> ` with an active session. */
function promptText(runner: CommandRunner, output: ShellOutput): string {
  const { bold, cyan } = output.colors;
  const active = runner.active;
  return active === undefined
    ? `${bold('jido')}> `
    : `${bold('jido')}(${cyan(safeLines(active.name).join(' '))})> `;
}
