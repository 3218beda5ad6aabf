import { homedir } from 'node:os';
import { type ProviderEnvironment, providerEnvironment } from '@jido-code/agent/models';
import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import type { LiveSession, SessionManager } from '@jido-code/session';
import type { Command } from './command.js';
import type { HandlerContext } from './handlers/context.js';
import { handleModelCommand } from './handlers/model-handlers.js';
import { handleResumeCommand } from './handlers/resume-handlers.js';
import { handleSessionCommand } from './handlers/session-handlers.js';
import { handleTodoCommand } from './handlers/todo-handlers.js';
import { helpText } from './help-text.js';
import type { Outcome } from './outcome.js';
import { parseLine } from './parse-command.js';

/** Options for a {@link CommandRunner}. */
export interface CommandRunnerOptions {
  readonly manager: SessionManager;
  /** Folder relative project paths resolve against (the shell's working folder). */
  readonly cwd: string;
  /** Folder `~` expands to; default the user's home. */
  readonly userHome?: string | undefined;
  /** Where model keys are looked up (`/model` says whether one is set); `process.env` by default. */
  readonly environment?: ProviderEnvironment | undefined;
}

/**
 * Runs shell lines against the session runtime and returns typed outcomes; it renders nothing.
 * It keeps the one piece of shell state commands need: which open session is active.
 */
export class CommandRunner {
  readonly manager: SessionManager;
  readonly #context: HandlerContext;
  readonly #environment: ProviderEnvironment;
  #activeId: string | undefined;

  constructor(options: CommandRunnerOptions) {
    this.manager = options.manager;
    this.#environment = options.environment ?? providerEnvironment(process.env);
    this.#context = {
      manager: options.manager,
      cwd: options.cwd,
      userHome: options.userHome ?? homedir(),
      active: () => this.active,
      setActive: (id) => {
        this.#activeId = id;
      },
    };
  }

  /** The active session, if it is still open. */
  get active(): LiveSession | undefined {
    return this.#activeId === undefined ? undefined : this.manager.registry.get(this.#activeId);
  }

  /** Makes an open session active (used after `jido resume`). */
  activate(id: string): Result<LiveSession> {
    const session = this.manager.get(id);
    if (session.ok) this.#activeId = id;
    return session;
  }

  /** Parses and runs one line. */
  async run(line: string): Promise<Result<Outcome>> {
    const command = parseLine(line);
    return command.ok ? this.execute(command.value) : command;
  }

  /** Runs one parsed command. */
  async execute(command: Command): Promise<Result<Outcome>> {
    switch (command.kind) {
      case 'empty':
        return ok({ kind: 'empty' });
      case 'help':
        return ok({ kind: 'help', text: helpText(command.topic) });
      case 'quit':
        return ok({ kind: 'quit', reports: await this.manager.closeAll() });
      case 'search': {
        const found = await this.manager.search(command.text);
        return found.ok
          ? ok({ kind: 'search.results', results: found.value.results, notices: found.value.notices })
          : found;
      }
      case 'message': {
        const session = this.active;
        if (!session) return err(new JidoError('no_active_session', 'No active session.'));
        const added = await session.addMessage('user', command.text);
        return added.ok ? ok({ kind: 'message.added', session, message: added.value }) : added;
      }
      case 'model':
      case 'usage':
      case 'retry':
        return handleModelCommand(this.#context, this.#environment, command);
      case 'session.new':
      case 'session.list':
      case 'session.switch':
      case 'session.close':
      case 'session.rename':
      case 'session.save':
      case 'session.pin':
      case 'session.unpin':
      case 'session.fork':
        return handleSessionCommand(this.#context, command);
      case 'resume.list':
      case 'resume.open':
      case 'resume.delete':
      case 'resume.clear':
        return handleResumeCommand(this.#context, command);
      case 'todo.add':
      case 'todo.start':
      case 'todo.done':
      case 'todo.list':
        return handleTodoCommand(this.#context, command);
    }
  }
}
