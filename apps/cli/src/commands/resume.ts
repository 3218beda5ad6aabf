import type { CommandContext } from '../context.js';
import { cliUsageError } from '../errors.js';

/** Options of `jido resume`. */
export interface ResumeOptions {
  readonly target?: string;
  /** The most recently closed session. */
  readonly last: boolean;
  /** `--project DIR`: the folder the session's project moved to. */
  readonly project?: string;
}

/**
 * `jido resume [<target>|--last] [--project DIR]`: the shell, with that session resumed first (into
 * DIR when its project folder moved).
 */
export async function resumeCommand(context: CommandContext, options: ResumeOptions): Promise<number> {
  if (options.target !== undefined && options.last) {
    throw cliUsageError('Give a target or --last, not both.', "Run 'jido resume --help' for usage.");
  }
  if (options.project !== undefined && options.target === undefined) {
    throw cliUsageError(
      '--project needs a target: jido resume <target> --project DIR.',
      "Run 'jido resume --help' for usage.",
    );
  }
  const { runShell } = await import('../shell/run-shell.js');
  if (options.last) return runShell(context, { resume: { last: true } });
  if (options.target !== undefined) {
    const project = options.project === undefined ? {} : { project: context.path(options.project) };
    return runShell(context, { resume: { target: options.target, ...project } });
  }
  return runShell(context, { resume: { picker: true } });
}
