import { type FastCommand, fastInvocation } from './fast-path.js';
import { type CliIo, processIo } from './io.js';
import type { Action } from './run-action.js';

/**
 * Runs the `jido` command line with `argv` (the words after the program name) and returns its exit
 * status: 0 success, 1 the operation failed, 2 usage error. `io` defaults to the real process.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const defaults = processIo();
  const cliIo: CliIo = {
    get stdin() {
      return io.stdin ?? defaults.stdin;
    },
    stdout: io.stdout ?? defaults.stdout,
    stderr: io.stderr ?? defaults.stderr,
    env: io.env ?? defaults.env,
    cwd: io.cwd ?? defaults.cwd,
  };
  // `jido sessions list` and `jido sessions import`, the commonest one-shot commands, skip Commander
  // and the command table (about a quarter of their start-up); every other command line, and every
  // usage error, goes through them.
  const fast = fastInvocation(argv);
  if (fast !== undefined) {
    const [{ runAction }, action] = await Promise.all([import('./run-action.js'), fastAction(fast.command)]);
    return runAction(cliIo, fast.options, action);
  }
  const { main } = await import('./main.js');
  return main(argv, cliIo);
}

/** The action of a command the fast path read, its module loaded. */
async function fastAction(command: FastCommand): Promise<Action> {
  if (command.kind === 'list') {
    const { listCommand } = await import('./commands/list.js');
    return (context) => listCommand(context, { all: command.all });
  }
  const { importCommand } = await import('./commands/import.js');
  return (context) => importCommand(context, command.file, { newId: command.newId });
}
