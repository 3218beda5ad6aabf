import { type Command, type CommandRunner, type Outcome, plural, renderOutcome } from '@jido-code/commands';
import type { Result } from '@jido-code/core-schema';
import type { LiveSession, SessionMetadata } from '@jido-code/session';
import type { Agent } from '../agent.js';
import { safeLines } from '../text.js';
import type { ModelResponder } from './model-responder.js';
import type { ShellOutput } from './shell-output.js';

/** How one command ended: printed, failed (its error printed), or `/quit`. */
export type Performed = 'done' | 'failed' | 'quit';

/** Options of {@link Performer}. */
export interface PerformerOptions {
  readonly runner: CommandRunner;
  readonly agent: Agent;
  /** Answers with a model when a key is set; without it (or without a key) the `agent` answers. */
  readonly model?: ModelResponder;
  readonly output: ShellOutput;
  /** Runs a command, with a spinner on a terminal when it takes a while; plain by default. */
  readonly execute?: (command: Command, run: () => Promise<Result<Outcome>>) => Promise<Result<Outcome>>;
  /** The `/resume` picker on a terminal: the chosen id, or `undefined` when cancelled. */
  readonly choose?: (sessions: readonly SessionMetadata[]) => Promise<string | undefined>;
  /** Asks a yes/no question on a terminal; absent on a pipe, where a confirmation must be typed. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly now?: () => Date;
}

/**
 * Performs one shell command and answers it: runs it through the `CommandRunner`, prints its
 * outcome with the one renderer of `@jido-code/commands`, and for a message asks the agent and
 * records its reply. On a terminal `/resume` opens the picker instead of printing the list.
 */
export class Performer {
  readonly #options: PerformerOptions;

  constructor(options: PerformerOptions) {
    this.#options = options;
  }

  /** Runs a command (through the progress display, when one is set) and prints nothing. */
  execute(command: Command): Promise<Result<Outcome>> {
    const { runner, execute } = this.#options;
    const run = () => runner.execute(command);
    return execute === undefined ? run() : execute(command, run);
  }

  /** Runs a command and prints what it did. */
  async perform(command: Command): Promise<Performed> {
    const { output, choose } = this.#options;
    if (command.kind === 'resume.list' && choose !== undefined) return this.#pickAndResume(choose);
    if (command.kind === 'resume.clear' && !command.yes && this.#options.confirm !== undefined) {
      return this.#confirmClear(this.#options.confirm);
    }
    const result = await this.execute(command);
    if (!result.ok) {
      await output.fail(result.error);
      return 'failed';
    }
    const outcome = result.value;
    if (outcome.kind === 'message.added' || outcome.kind === 'message.retry') {
      return this.answer(outcome.session, outcome.message.content, outcome.message.id);
    }
    output.print(renderOutcome(outcome, this.#now(), output.colors));
    return outcome.kind === 'quit' ? 'quit' : 'done';
  }

  /**
   * The reply to a message (already journaled), recorded as an assistant message and printed: the
   * model's, streamed, when a key is set, else the offline agent's.
   */
  async answer(session: LiveSession, message: string, messageId?: string): Promise<Performed> {
    const { agent, output, model } = this.#options;
    const chosen = messageId === undefined ? undefined : model?.modelFor(session);
    if (model !== undefined && chosen !== undefined && messageId !== undefined) {
      return model.reply(session, chosen, messageId);
    }
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
      await output.fail(error);
      return 'failed';
    }
    const recorded = await session.addMessage('assistant', reply);
    if (!recorded.ok) {
      await output.fail(recorded.error);
      return 'failed';
    }
    output.print(
      safeLines(reply)
        .map((line) => (output.terminal ? output.colors.green(line) : line))
        .join('\n'),
    );
    return 'done';
  }

  /** `/resume` on a terminal: the picker, then the resume. */
  async #pickAndResume(choose: NonNullable<PerformerOptions['choose']>): Promise<Performed> {
    const { output } = this.#options;
    const listed = await this.execute({ kind: 'resume.list' });
    if (!listed.ok) {
      await output.fail(listed.error);
      return 'failed';
    }
    if (listed.value.kind !== 'resume.list') return 'failed';
    if (listed.value.sessions.length === 0) {
      output.print('No saved sessions to resume.');
      return 'done';
    }
    const chosen = await choose(listed.value.sessions);
    if (chosen === undefined) {
      output.print('No session resumed.');
      return 'done';
    }
    return this.perform({ kind: 'resume.open', target: chosen });
  }

  /** `/resume clear` on a terminal: asks first, as `jido sessions clear` does. */
  async #confirmClear(confirm: (question: string) => Promise<boolean>): Promise<Performed> {
    const { output } = this.#options;
    const listed = await this.execute({ kind: 'resume.list' });
    if (!listed.ok) {
      await output.fail(listed.error);
      return 'failed';
    }
    const sessions = listed.value.kind === 'resume.list' ? listed.value.sessions : [];
    const count = sessions.filter((session) => session.pinned !== true).length;
    if (count === 0) {
      output.print('No saved sessions to move to the trash.');
      return 'done';
    }
    if (!(await confirm(`Move ${plural(count, 'saved session')} to the trash?`))) {
      output.print('Nothing was moved.');
      return 'done';
    }
    return this.perform({ kind: 'resume.clear', yes: true });
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}
