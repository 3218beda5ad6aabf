import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './context.js';
import { exitCodeFor, exitOk, exitUsage, oneLine } from './exit-codes.js';
import type { CliIo } from './io.js';
import { cliVersion } from './version.js';

/**
 * Everything a command does runs through here: the context is built, the implementation module is
 * loaded only now (so `jido --version` never loads storage), and any error is printed once, by
 * {@link reportError}, as one sanitized line.
 */
type Action = (context: CommandContext) => Promise<number>;

const rootHelpFooter = `
Exit status: 0 success, 1 the operation failed (not found, invalid, refused, rate limited), 2 usage error.

Environment:
  JIDO_CODE_HOME   the jido home when --home is not given (default ~/.jido_code)
  NO_COLOR         set to turn colour off (colour is also off when output is not a terminal)
  JIDO_*           configuration overrides, e.g. JIDO_MAX_SESSIONS=200 (see config.json)

With no command, jido starts the interactive shell: lines starting with / are commands (/help),
any other line is a message to the active session. It reads a pipe line by line, too.`;

function wholeNumber(name: string, minimum: number) {
  return (value: string): number => {
    if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number.`);
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < minimum) {
      throw new InvalidArgumentError(`${name} must be ${minimum} or more.`);
    }
    return number;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
      throw new InvalidArgumentError(`${name} must be a number greater than 0.`);
    }
    return number;
  };
}

function integerOffset(value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError('offset must be a whole number.');
  return Number(value);
}

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
  const options = command.optsWithGlobals<{ home?: string; json?: boolean; verbose?: boolean }>();
  return {
    ...(options.home === undefined ? {} : { home: options.home }),
    json: options.json === true,
    verbose: options.verbose === true,
  };
}

/** Builds the `jido` program. `setExit` receives the exit status of the action that ran. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('jido');

  const runAction = async (command: Command, action: Action): Promise<void> => {
    const options = globalsOf(command);
    try {
      const { commandContext } = await import('./context.js');
      setExit(await action(commandContext(io, options)));
    } catch (error) {
      const { reportError } = await import('./errors.js');
      setExit(await reportError(io, error, options.verbose));
    }
  };

  program
    .description('Durable, signed, crash-safe sessions for coding assistants.')
    .version(cliVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .option('--home <dir>', 'the jido home (default: $JIDO_CODE_HOME, else ~/.jido_code)')
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

  const sessions = program
    .command('sessions')
    .description('list, inspect and manage saved sessions')
    .helpCommand(false);

  sessions
    .command('list')
    .description('saved sessions, most recently closed first')
    .option('--all', 'include sessions open in another jido process')
    .action(async (options: { all?: boolean }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/list.js')).listCommand(context, { all: options.all === true }),
      ),
    );

  sessions
    .command('show')
    .description('one session: metadata, todos and a page of messages')
    .argument('<target>', 'list number, id, id prefix (4+ characters) or name')
    .option('--offset <n>', 'first message to show, from 0; negative counts from the end', integerOffset, 0)
    .option('--limit <n>', 'most messages to show', wholeNumber('limit', 1), 50)
    .action(async (target: string, options: { offset: number; limit: number }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/show.js')).showCommand(context, target, options),
      ),
    );

  sessions
    .command('delete')
    .description('delete one saved session')
    .argument('<target>', 'list number, id, id prefix (4+ characters) or name')
    .action(async (target: string, _options: unknown, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/delete.js')).deleteCommand(context, target),
      ),
    );

  sessions
    .command('clear')
    .description('delete every saved session that is not open (asks first on a terminal)')
    .option('-y, --yes', 'do not ask: required when input is not a terminal')
    .action(async (options: { yes?: boolean }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/clear.js')).clearCommand(context, { yes: options.yes === true }),
      ),
    );

  sessions
    .command('cleanup')
    .description('delete old sessions by age and by count (never an open one)')
    .option(
      '--max-age <days>',
      'delete sessions idle for longer than this (default: config, 30)',
      positiveNumber('max-age'),
    )
    .option(
      '--max-count <n>',
      'keep at most this many sessions, the most recently active',
      wholeNumber('max-count', 0),
    )
    .option('--dry-run', 'print what would be deleted and delete nothing')
    .action(async (options: { maxAge?: number; maxCount?: number; dryRun?: boolean }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/cleanup.js')).cleanupCommand(context, {
          dryRun: options.dryRun === true,
          ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
          ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
        }),
      ),
    );

  sessions
    .command('verify')
    .description("check every session file's size, schema and signature; exit 1 if any fails")
    .action(async (_options: unknown, command: Command) =>
      runAction(command, async (context) => (await import('./commands/verify.js')).verifyCommand(context)),
    );

  sessions
    .command('export')
    .description('write a session out: plain JSON (importable) or a Markdown transcript')
    .argument('<target>', 'list number, id, id prefix (4+ characters) or name')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'md']).default('json'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (target: string, options: { format: 'json' | 'md'; output?: string }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/export.js')).exportCommand(context, target, {
          format: options.format,
          ...(options.output === undefined ? {} : { output: options.output }),
        }),
      ),
    );

  sessions
    .command('import')
    .description('validate a plain session JSON file, sign it and store it')
    .argument('<file>', 'a session JSON file (from export, or written by hand)')
    .option('--new-id', 'store it under a fresh id (needed when its id is already stored)')
    .action(async (file: string, options: { newId?: boolean }, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/import.js')).importCommand(context, file, {
          newId: options.newId === true,
        }),
      ),
    );

  const keys = program.command('keys').description('manage the signing keys').helpCommand(false);
  keys
    .command('rotate')
    .description('start signing with a new key; files signed with older keys still verify')
    .action(async (_options: unknown, command: Command) =>
      runAction(command, async (context) =>
        (await import('./commands/keys-rotate.js')).keysRotateCommand(context),
      ),
    );

  program
    .command('resume')
    .description('open the shell with a saved session restored')
    .argument('[target]', 'list number, id, id prefix (4+ characters) or name')
    .option('--last', 'the most recently closed session')
    .action(async (target: string | undefined, options: { last?: boolean }, command: Command) =>
      runAction(command, async (context) => {
        const { resumeCommand } = await import('./commands/resume.js');
        return resumeCommand(context, {
          ...(target === undefined ? {} : { target }),
          last: options.last === true,
        });
      }),
    );

  program.helpCommand(false);
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
    await runAction(command, async (context) => (await import('./shell/run-shell.js')).runShell(context, {}));
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
    if (error.code === 'commander.help') return exitUsage; // help printed on stderr for a bare group
    const path = ['jido', ...commandPath(program, argv)].join(' ');
    const stripped = oneLine(error.message.replace(/^error:\s*/i, ''));
    const sentence = stripped.charAt(0).toUpperCase() + stripped.slice(1);
    const message = /[.?!)]$/.test(sentence) ? sentence : `${sentence}.`;
    io.stderr.write(`jido: ${message} Run '${path} --help' for usage.\n`);
    return exitCodeFor({ code: 'usage' });
  }
}
