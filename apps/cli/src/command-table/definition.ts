import type { CommandContext } from '../context.js';

/** One option of a subcommand, as Commander takes it. */
interface OptionDefinition {
  /** `-o, --output <file>`, `--all`. */
  readonly flags: string;
  readonly description: string;
  /** Turns the text into a value, throwing Commander's `InvalidArgumentError` when it is wrong. */
  readonly parse?: (value: string) => unknown;
  readonly defaultValue?: unknown;
  /** The only values accepted. */
  readonly choices?: readonly string[];
}

/** What a subcommand's implementation receives from the command line. */
export interface ParsedInput {
  /** The positional arguments, in order (`undefined` for an optional one not given). */
  readonly args: readonly (string | undefined)[];
  /** The options by their camel-cased name (`dryRun`), after parsing and defaults. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** One `jido` subcommand: where it sits, its help, and how to run it. */
export interface CommandDefinition {
  /** The words that name it: `['resume']`, `['sessions', 'list']`. A group is declared in `commandGroups`. */
  readonly path: readonly [string] | readonly [string, string];
  /** One line for `--help`. */
  readonly description: string;
  /** Positional arguments: `<target>` (required) or `[target]` (optional), with their help. */
  readonly arguments?: readonly { readonly name: string; readonly description: string }[];
  readonly options?: readonly OptionDefinition[];
  /** More help, printed after the options by `--help`. */
  readonly helpText?: string;
  /** Why `--json` means nothing here, when it does not: then it is refused as a usage error. */
  readonly jsonRefused?: string;
  /** Unknown `-words` are arguments, not errors (search's `-excluded` words). */
  readonly dashWordsAreArguments?: boolean;
  /** Loads the implementation (only when it runs, so `jido --version` loads no storage) and runs it. */
  readonly run: (context: CommandContext, input: ParsedInput) => Promise<number>;
}

/** The positional argument most subcommands take: which saved session. */
export const target = { name: '<target>', description: 'list number, id, id prefix (4+ characters) or name' };

export function text(input: ParsedInput, index: number): string {
  return input.args[index] ?? '';
}

/** A variadic argument (`<words...>`): Commander hands it over as an array. */
export function wordsOf(input: ParsedInput): string[] {
  const value: unknown = input.args[0];
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

export function flag(input: ParsedInput, name: string): boolean {
  return input.options[name] === true;
}

export function numberOption(input: ParsedInput, name: string): number | undefined {
  const value = input.options[name];
  return typeof value === 'number' ? value : undefined;
}

export function stringOption(input: ParsedInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}
