import type { Colors, CommandContext } from '../context.js';
import { reportError } from '../errors.js';

/** Where the shell's parts print: outcomes on stdout, errors and notes on stderr. */
export interface ShellOutput {
  readonly colors: Colors;
  /** True on a terminal (prompt, colour, picker, spinners). */
  readonly terminal: boolean;
  /** Prints a block on stdout; nothing for `undefined`. */
  print(text: string | undefined): void;
  /** Prints a line on stderr. */
  note(text: string): void;
  /** Prints an error the one way the CLI prints errors. */
  fail(error: unknown): Promise<void>;
}

/** The shell's output over a command context. */
export function shellOutput(context: CommandContext, terminal: boolean): ShellOutput {
  return {
    colors: context.colors,
    terminal,
    print: (text) => {
      if (text !== undefined) context.out(text);
    },
    note: (text) => context.note(text),
    fail: async (error) => {
      await reportError(context.io, error, context.options.verbose);
    },
  };
}
