import { type CommandContext, commandContext, type GlobalOptions } from './context.js';
import type { CliIo } from './io.js';

/** What a command does once its context is built: its exit status, or it throws. */
export type Action = (context: CommandContext) => Promise<number>;

/**
 * Runs one command the way every command runs, through Commander or the fast path (src/fast-path.ts):
 * the context is built, any error is printed once by `reportError` (one sanitized line), and what
 * the command registered with `atExit` runs last. Returns the exit status.
 */
export async function runAction(io: CliIo, options: GlobalOptions, action: Action): Promise<number> {
  const context = commandContext(io, options);
  try {
    return await action(context);
  } catch (error) {
    const { reportError } = await import('./errors.js');
    return reportError(io, error, options.verbose);
  } finally {
    await context.finish();
  }
}
