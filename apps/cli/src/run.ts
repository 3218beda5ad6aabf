import { type CliIo, processIo } from './io.js';
import { listInvocation } from './list-fast-path.js';

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
  // `jido sessions list`, the commonest command, skips Commander and the command table (about a
  // quarter of its start-up); every other command line, and every usage error, goes through them.
  const list = listInvocation(argv);
  if (list !== undefined) {
    const [{ runAction }, { listCommand }] = await Promise.all([
      import('./run-action.js'),
      import('./commands/list.js'),
    ]);
    return runAction(cliIo, list.options, (context) => listCommand(context, { all: list.all }));
  }
  const { main } = await import('./main.js');
  return main(argv, cliIo);
}
