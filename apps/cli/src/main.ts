import { Command, CommanderError, Option } from 'commander';
import { type CommandDefinition, commandGroups, commandTable } from './command-table.js';
import type { GlobalOptions } from './context.js';
import { exitCodeFor, exitOk, exitUsage, oneLine } from './exit-codes.js';
import type { CliIo } from './io.js';
import type { Action } from './run-action.js';
import { cliVersion } from './version.js';

const rootHelpFooter = `
Exit status: 0 success, 1 the operation failed (not found, invalid, refused, rate limited), 2 usage error.

Environment:
  JIDO_CODE_HOME   the jido home when --home is not given (default ~/.jido_code)
  JIDO_STORE_URL   the store when --store is not given: postgres://user:password@host:port/db
                   (?schema=NAME, default jido), or a folder; else store_url in config.json
  NO_COLOR         set to turn colour off (colour is also off when output is not a terminal)
  JIDO_*           configuration overrides, e.g. JIDO_MAX_SESSIONS=200 (see config.json)

With no command, jido starts the interactive shell: lines starting with / are commands (/help),
any other line is a message to the active session. It reads a pipe line by line, too.`;

/** The words of the deepest known command in `argv` (`['sessions', 'show']`), for usage hints. */
function commandPath(program: Command, argv: readonly string[]): string[] {
  const path: string[] = [];
  let current = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const next = current.commands.find(
      (command) => command.name() === word || command.aliases().includes(word),
    );
    if (next === undefined) break;
    path.push(word);
    current = next;
  }
  return path;
}

/** Reads the global flags from a command's own and inherited options. */
function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{
    home?: string;
    store?: string;
    json?: boolean;
    verbose?: boolean;
  }>();
  return {
    ...(options.home === undefined ? {} : { home: options.home }),
    ...(options.store === undefined ? {} : { store: options.store }),
    json: options.json === true,
    verbose: options.verbose === true,
  };
}

/** `--json` where it would mean nothing: a usage error (exit 2) rather than a silent no-op. */
async function jsonRefusal(command: string, reason: string): Promise<Error> {
  const { cliUsageError } = await import('./errors.js');
  return cliUsageError(
    `--json cannot be used with '${command}': ${reason}.`,
    `Run '${command} --help' for usage.`,
  );
}

/** Adds one table entry to the program, under its group. */
function addDefinition(
  parent: Command,
  definition: CommandDefinition,
  runAction: (command: Command, action: Action) => Promise<void>,
): void {
  const name = definition.path[definition.path.length - 1] ?? '';
  const command = parent.command(name).description(definition.description);
  if (definition.helpText !== undefined) command.addHelpText('after', `\n${definition.helpText}`);
  for (const argument of definition.arguments ?? []) command.argument(argument.name, argument.description);
  if (definition.dashWordsAreArguments === true) command.allowUnknownOption();
  for (const spec of definition.options ?? []) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices !== undefined) option.choices(spec.choices);
    if (spec.parse !== undefined) option.argParser(spec.parse);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
    command.addOption(option);
  }
  command.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    const input = { args: self.processedArgs as (string | undefined)[], options: self.opts() };
    await runAction(self, async (context) => {
      if (context.options.json && definition.jsonRefused !== undefined) {
        throw await jsonRefusal(`jido ${definition.path.join(' ')}`, definition.jsonRefused);
      }
      return definition.run(context, input);
    });
  });
}

/** The group command a definition sits under (created on first use, in table order). */
function parentOf(program: Command, definition: CommandDefinition): Command {
  if (definition.path.length === 1) return program;
  const [group = ''] = definition.path;
  const existing = program.commands.find((command) => command.name() === group);
  if (existing !== undefined) return existing;
  return program
    .command(group)
    .description(commandGroups[group] ?? '')
    .helpCommand(false);
}

/**
 * Builds the `jido` program from a command table ({@link commandTable} unless a test passes its
 * own). `setExit` receives the exit status of the action that ran.
 */
export function buildProgram(
  io: CliIo,
  setExit: (code: number) => void,
  table: readonly CommandDefinition[] = commandTable,
): Command {
  const program = new Command('jido');

  // Everything a command does runs through here: the implementation module is loaded only now (so
  // `jido --help` never loads storage), and any error is printed once, as one sanitized line.
  const runAction = async (command: Command, action: Action): Promise<void> => {
    const { runAction: runWithContext } = await import('./run-action.js');
    setExit(await runWithContext(io, globalsOf(command), action));
  };

  program
    .description('Durable, signed, crash-safe sessions for coding assistants.')
    .version(cliVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .option('--home <dir>', 'the jido home (default: $JIDO_CODE_HOME, else ~/.jido_code)')
    .option(
      '--store <url|dir>',
      'where sessions are kept: a postgres:// URL, or a folder (like --home) (default: $JIDO_STORE_URL, else store_url in config.json, else the home)',
    )
    .option('--json', 'machine-readable output (the file format’s snake_case names)')
    .option('--verbose', 'show the debug details behind an error')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .addHelpText('after', rootHelpFooter)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Errors are printed once, on one line, by main() below.
      outputError: () => undefined,
    });

  for (const definition of table) addDefinition(parentOf(program, definition), definition, runAction);

  // `jido help [command]` works like `--help`: `jido help sessions` is `jido sessions --help`.
  program.helpCommand('help [command]', 'show help for a command (like --help)');
  // Set after the subcommands, which copy the settings of their parent when created: only the root
  // takes stray words, so that it can name an unknown command itself.
  program.allowExcessArguments(true);
  program.action(async (_options: unknown, command: Command) => {
    const [word] = command.args;
    if (word !== undefined) {
      const known = program.commands.map((candidate) => candidate.name());
      const { closestMatch } = await import('@jido-code/commands');
      const suggestion = closestMatch(word, known);
      const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
      throw new CommanderError(exitUsage, 'jido.unknownCommand', `Unknown command '${word}'.${hint}`);
    }
    await runAction(command, async (context) => {
      if (context.options.json) throw await jsonRefusal('jido', 'it starts the interactive shell');
      return (await import('./shell/run-shell.js')).runShell(context, {});
    });
  });
  return program;
}

/**
 * Runs `jido` with `argv` (the words after the program name) and returns the exit status:
 * 0 success, 1 the operation failed, 2 usage error.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = exitOk;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      const { reportError } = await import('./errors.js');
      return reportError(io, error, argv.includes('--verbose'));
    }
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return exitOk;
    // `jido help` asked for it (exit 0); a bare group printed it on stderr (usage error).
    if (error.code === 'commander.help') return error.exitCode === 0 ? exitOk : exitUsage;
    const path = ['jido', ...commandPath(program, argv)].join(' ');
    // Commander's "(Did you mean list?)" in the one style every suggestion uses: "Did you mean 'list'?".
    const stripped = oneLine(error.message.replace(/^error:\s*/i, '')).replace(
      /\s*\(Did you mean ([^?)]+)\?\)/,
      ". Did you mean '$1'?",
    );
    const sentence = stripped.charAt(0).toUpperCase() + stripped.slice(1);
    const message = /[.?!)]$/.test(sentence) ? sentence : `${sentence}.`;
    io.stderr.write(`jido: ${message} Run '${path} --help' for usage.\n`);
    return exitCodeFor({ code: 'usage' });
  }
}
