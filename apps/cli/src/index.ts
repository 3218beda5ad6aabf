import { type CliIo, processIo } from './io.js';
import { main } from './main.js';

export type { Agent, AgentInput, AgentSessionView } from './agent.js';
export { OfflineAgent } from './agent.js';
export type { CliIo } from './io.js';

/**
 * Runs the `jido` command line with `argv` (the words after the program name) and returns its exit
 * status: 0 success, 1 the operation failed, 2 usage error. `io` defaults to the real process.
 */
export function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const defaults = processIo();
  return main(argv, {
    get stdin() {
      return io.stdin ?? defaults.stdin;
    },
    stdout: io.stdout ?? defaults.stdout,
    stderr: io.stderr ?? defaults.stderr,
    env: io.env ?? defaults.env,
    cwd: io.cwd ?? defaults.cwd,
  });
}
