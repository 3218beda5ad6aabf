import type { CommandContext } from '../context.js';
import { cliUsageError } from '../errors.js';

/** Options of `jido resume`. */
export interface ResumeOptions {
  readonly target?: string;
  /** The most recently closed session. */
  readonly last: boolean;
}

/** `jido resume [<target>|--last]`: the shell, with that session resumed first. */
export async function resumeCommand(context: CommandContext, options: ResumeOptions): Promise<number> {
  if (options.target !== undefined && options.last) {
    throw cliUsageError('Give a target or --last, not both.', "Run 'jido resume --help' for usage.");
  }
  const { runShell } = await import('../shell/run-shell.js');
  if (options.last) return runShell(context, { resume: { last: true } });
  if (options.target !== undefined) return runShell(context, { resume: { target: options.target } });
  return runShell(context, { resume: { picker: true } });
}
