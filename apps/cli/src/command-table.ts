import type { CommandContext } from './context.js';
import { integerOffset, positiveNumber, wholeNumber } from './option-parsers.js';

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
  /** The words that name it: `['resume']`, `['sessions', 'list']`. A group is declared in {@link commandGroups}. */
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

/** The command groups and their help line. */
export const commandGroups: Readonly<Record<string, string>> = {
  sessions: 'list, inspect and manage saved sessions',
  keys: 'manage the signing keys',
};

const target = { name: '<target>', description: 'list number, id, id prefix (4+ characters) or name' };

function text(input: ParsedInput, index: number): string {
  return input.args[index] ?? '';
}

/** A variadic argument (`<words...>`): Commander hands it over as an array. */
function wordsOf(input: ParsedInput): string[] {
  const value: unknown = input.args[0];
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

function flag(input: ParsedInput, name: string): boolean {
  return input.options[name] === true;
}

function numberOption(input: ParsedInput, name: string): number | undefined {
  const value = input.options[name];
  return typeof value === 'number' ? value : undefined;
}

function stringOption(input: ParsedInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Every subcommand of `jido`, in the order `--help` lists them. A new subcommand is one entry
 * here and one file in `src/commands/`.
 */
export const commandTable: readonly CommandDefinition[] = [
  {
    path: ['sessions', 'list'],
    description: 'saved sessions, most recently closed first',
    options: [{ flags: '--all', description: 'include sessions open in another jido process' }],
    run: async (context, input) =>
      (await import('./commands/list.js')).listCommand(context, { all: flag(input, 'all') }),
  },
  {
    path: ['sessions', 'show'],
    description: 'one session: metadata, todos and a page of messages',
    arguments: [target],
    options: [
      {
        flags: '--offset <n>',
        description: 'first message to show, from 0; negative counts from the end',
        parse: integerOffset,
        defaultValue: 0,
      },
      {
        flags: '--limit <n>',
        description: 'most messages to show',
        parse: wholeNumber('limit', 1),
        defaultValue: 50,
      },
      { flags: '--trash', description: "a session in the trash: the target is in 'jido sessions trash'" },
    ],
    run: async (context, input) =>
      (await import('./commands/show.js')).showCommand(context, text(input, 0), {
        offset: numberOption(input, 'offset') ?? 0,
        limit: numberOption(input, 'limit') ?? 50,
        trash: flag(input, 'trash'),
      }),
  },
  {
    path: ['sessions', 'delete'],
    description: "move one saved session to the trash ('jido sessions trash restore' puts it back)",
    arguments: [target],
    options: [
      { flags: '--purge', description: 'delete it for good instead (cannot be undone)' },
      { flags: '-f, --force', description: 'delete it even though it is pinned' },
    ],
    run: async (context, input) =>
      (await import('./commands/delete.js')).deleteCommand(context, text(input, 0), {
        purge: flag(input, 'purge'),
        force: flag(input, 'force'),
      }),
  },
  {
    path: ['sessions', 'pin'],
    description: 'pin a saved session: cleanup, clear and the session limit never remove it',
    arguments: [target],
    run: async (context, input) =>
      (await import('./commands/pin.js')).pinCommand(context, text(input, 0), true),
  },
  {
    path: ['sessions', 'unpin'],
    description: 'unpin a saved session, so retention applies to it again',
    arguments: [target],
    run: async (context, input) =>
      (await import('./commands/pin.js')).pinCommand(context, text(input, 0), false),
  },
  {
    path: ['sessions', 'trash'],
    description: 'list the trash (newest first, why and when), restore a session or empty it',
    arguments: [
      { name: '[action]', description: 'list (default), restore or empty' },
      { name: '[target]', description: 'restore: number, id, id prefix or name in the trash listing' },
    ],
    options: [
      { flags: '--new-id', description: 'restore: under a fresh id when its id is in use again' },
      {
        flags: '--older-than <days>',
        description: 'empty: only sessions moved to the trash more than DAYS days ago',
        parse: positiveNumber('older-than'),
      },
      { flags: '-y, --yes', description: 'empty: do not ask (required when input is not a terminal)' },
    ],
    helpText: `Delete, clear, cleanup and the session limit move sessions here, their signed files unchanged.
Sessions stay trash_retention_days days (default 14; config.json or JIDO_TRASH_RETENTION_DAYS), then
cleanup or the shell's start (at most once a day) deletes them for good. A trashed session is not
listed, resumed, shown or exported until it is restored.
  jido sessions trash                          list it
  jido sessions trash restore 2 [--new-id]     put the second one back
  jido sessions trash empty [--older-than 7]   delete for good (asks first on a terminal)`,
    run: async (context, input) => {
      const olderThan = numberOption(input, 'olderThan');
      return (await import('./commands/trash.js')).trashCommand(context, input.args[0], input.args[1], {
        newId: flag(input, 'newId'),
        yes: flag(input, 'yes'),
        ...(olderThan === undefined ? {} : { olderThan }),
      });
    },
  },
  {
    path: ['sessions', 'rename'],
    description: 'rename one saved session (1–50 characters; a longer name is refused)',
    arguments: [target, { name: '<name>', description: 'the new name' }],
    run: async (context, input) =>
      (await import('./commands/rename.js')).renameCommand(context, text(input, 0), text(input, 1)),
  },
  {
    path: ['sessions', 'fork'],
    description: 'copy a saved session up to a message into a new session (the source is not changed)',
    arguments: [target],
    options: [
      {
        flags: '--at <n>',
        description: 'keep messages 1..N (default: all)',
        parse: wholeNumber('at', 1),
      },
      { flags: '--name <name>', description: 'name of the fork (default: "<name> (fork)")' },
    ],
    run: async (context, input) => {
      const at = numberOption(input, 'at');
      const name = stringOption(input, 'name');
      return (await import('./commands/fork.js')).forkCommand(context, text(input, 0), {
        ...(at === undefined ? {} : { at }),
        ...(name === undefined ? {} : { name }),
      });
    },
  },
  {
    path: ['sessions', 'clear'],
    description: 'move every saved session that is neither open nor pinned to the trash (asks first)',
    options: [
      { flags: '-y, --yes', description: 'do not ask: required when input is not a terminal' },
      { flags: '--purge', description: 'delete them for good instead (cannot be undone)' },
    ],
    run: async (context, input) =>
      (await import('./commands/clear.js')).clearCommand(context, {
        yes: flag(input, 'yes'),
        purge: flag(input, 'purge'),
      }),
  },
  {
    path: ['sessions', 'cleanup'],
    description: 'move old sessions to the trash by age and by count (never an open or pinned one)',
    helpText: `Age is the last activity: the latest of the last update, close and resume (never the file's
modification time). Pinned sessions count among the --max-count kept. Cleanup then deletes for good
the sessions in the trash for more than trash_retention_days days (default 14).`,
    options: [
      {
        flags: '--max-age <days>',
        description: 'remove sessions idle for longer than this (default: config, 30)',
        parse: positiveNumber('max-age'),
      },
      {
        flags: '--max-count <n>',
        description: 'keep at most this many sessions, the most recently active',
        parse: wholeNumber('max-count', 0),
      },
      { flags: '--dry-run', description: 'print what would be removed and remove nothing' },
      { flags: '--purge', description: 'delete them for good instead of moving them to the trash' },
      {
        flags: '-y, --yes',
        description:
          'do not ask before removing more than half, or all (required when input is not a terminal)',
      },
    ],
    run: async (context, input) => {
      const maxAge = numberOption(input, 'maxAge');
      const maxCount = numberOption(input, 'maxCount');
      return (await import('./commands/cleanup.js')).cleanupCommand(context, {
        dryRun: flag(input, 'dryRun'),
        yes: flag(input, 'yes'),
        purge: flag(input, 'purge'),
        ...(maxAge === undefined ? {} : { maxAge }),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
    },
  },
  {
    path: ['sessions', 'verify'],
    description: "check every session file's size, schema and signature; exit 1 if any fails",
    run: async (context) => (await import('./commands/verify.js')).verifyCommand(context),
  },
  {
    path: ['sessions', 'export'],
    description: 'write a session out: plain JSON (importable) or a Markdown transcript',
    arguments: [target],
    options: [
      {
        flags: '--format <format>',
        description: 'output format (default: md for an --output file ending in .md, else json)',
        choices: ['json', 'md'],
      },
      { flags: '-o, --output <file>', description: 'write to this file instead of stdout' },
      { flags: '-f, --force', description: 'overwrite the --output file if it exists' },
      { flags: '--trash', description: "a session in the trash: the target is in 'jido sessions trash'" },
    ],
    run: async (context, input) => {
      const output = stringOption(input, 'output');
      const format = stringOption(input, 'format') ?? (output?.toLowerCase().endsWith('.md') ? 'md' : 'json');
      return (await import('./commands/export.js')).exportCommand(context, text(input, 0), {
        format: format === 'md' ? 'md' : 'json',
        force: flag(input, 'force'),
        trash: flag(input, 'trash'),
        ...(output === undefined ? {} : { output }),
      });
    },
  },
  {
    path: ['sessions', 'import'],
    description: 'validate a plain session JSON file, sign it and store it',
    arguments: [
      {
        name: '<file>',
        description: 'a session JSON file (from export, or written by hand); - reads standard input',
      },
    ],
    options: [
      { flags: '--new-id', description: 'store it under a fresh id (needed when its id is already stored)' },
    ],
    run: async (context, input) =>
      (await import('./commands/import.js')).importCommand(context, text(input, 0), {
        newId: flag(input, 'newId'),
      }),
  },
  {
    path: ['sessions', 'migrate'],
    description: 'rewrite JidoCode files into this format, originals backed up under backup/jidocode/',
    options: [{ flags: '--dry-run', description: 'report what would be migrated and write nothing' }],
    run: async (context, input) =>
      (await import('./commands/migrate.js')).migrateCommand(context, { dryRun: flag(input, 'dryRun') }),
  },
  {
    path: ['sessions', 'search'],
    description: 'full-text search of every message: matching sessions, best first, with snippets',
    dashWordsAreArguments: true,
    arguments: [
      {
        name: '<words...>',
        description:
          'words (matched as prefixes, case and accents ignored, all in one message), "a phrase", -excluded',
      },
    ],
    options: [
      { flags: '--project <dir>', description: 'only sessions of this project folder' },
      {
        flags: '--since <days>',
        description: 'only messages of the last DAYS days',
        parse: positiveNumber('since'),
      },
      {
        flags: '--role <role>',
        description: 'only messages of this role',
        choices: ['user', 'assistant', 'system', 'tool'],
      },
      {
        flags: '--limit <n>',
        description: 'most sessions to list',
        parse: wholeNumber('limit', 1),
        defaultValue: 20,
      },
      { flags: '--trash', description: 'search the trash too (its results follow, marked in_trash)' },
    ],
    run: async (context, input) => {
      const role = stringOption(input, 'role');
      return (await import('./commands/search.js')).searchCommand(context, wordsOf(input), {
        project: stringOption(input, 'project'),
        sinceDays: numberOption(input, 'since'),
        role: role as 'user' | 'assistant' | 'system' | 'tool' | undefined,
        limit: numberOption(input, 'limit') ?? 20,
        trash: flag(input, 'trash'),
      });
    },
  },
  {
    path: ['sessions', 'reindex'],
    description: 'rebuild the search index from the signed session files',
    run: async (context) => (await import('./commands/reindex.js')).reindexCommand(context),
  },
  {
    path: ['sessions', 'scan'],
    description: 'count the secrets in saved sessions by kind; --fix redacts them and re-signs',
    options: [
      { flags: '--fix', description: 'redact what was found, in place (asks first on a terminal)' },
      { flags: '-y, --yes', description: 'do not ask: required with --fix when input is not a terminal' },
    ],
    run: async (context, input) =>
      (await import('./commands/scan.js')).scanCommand(context, {
        fix: flag(input, 'fix'),
        yes: flag(input, 'yes'),
      }),
  },
  {
    path: ['import'],
    description: 'bring in sessions from Claude Code, Codex or Gemini CLI (idempotent)',
    arguments: [{ name: '<tool>', description: 'claude-code, codex or gemini' }],
    options: [
      {
        flags: '--path <path>',
        description: 'a session file or folder instead of the tool’s default folders',
      },
      { flags: '--project <dir>', description: 'only sessions whose project is this folder or inside it' },
      {
        flags: '--since <days>',
        description: 'only files changed in the last DAYS days',
        parse: positiveNumber('since'),
      },
      { flags: '--dry-run', description: 'report what would be imported and save nothing' },
      { flags: '--update', description: 'append messages a source gained since it was imported' },
      {
        flags: '--include-sidechains',
        description: 'also import subagent (sidechain) messages (Claude Code, Gemini)',
      },
    ],
    run: async (context, input) => {
      const path = stringOption(input, 'path');
      const project = stringOption(input, 'project');
      const sinceDays = numberOption(input, 'since');
      return (await import('./commands/import-assistant.js')).importAssistantCommand(
        context,
        text(input, 0),
        {
          ...(path === undefined ? {} : { path }),
          ...(project === undefined ? {} : { project }),
          ...(sinceDays === undefined ? {} : { sinceDays }),
          dryRun: flag(input, 'dryRun'),
          update: flag(input, 'update'),
          includeSidechains: flag(input, 'includeSidechains'),
        },
      );
    },
  },
  {
    path: ['keys', 'rotate'],
    description: 'start signing with a new key; files signed with older keys still verify',
    run: async (context) => (await import('./commands/keys-rotate.js')).keysRotateCommand(context),
  },
  {
    path: ['doctor'],
    description: 'check the home: owner and modes, JidoCode files, temp files, journals, index',
    options: [
      {
        flags: '--fix',
        description:
          'make what you own under the home private and rebuild the index (never a symlink or a parent)',
      },
    ],
    run: async (context, input) =>
      (await import('./commands/doctor.js')).doctorCommand(context, { fix: flag(input, 'fix') }),
  },
  {
    path: ['resume'],
    description: 'open the shell with a saved session restored',
    jsonRefused: 'it opens the interactive shell',
    helpText: `Without a target or --last: on a terminal, an arrow-key picker of the saved sessions (Enter
resumes, Escape cancels); on a pipe, the numbered list, then the shell reads its input as usual.
The target is matched against 'jido sessions list'. Resuming is rate limited: 5 per session and 20 in
all per minute (JIDO_RESUME_LIMIT_PER_SESSION, JIDO_RESUME_LIMIT_GLOBAL, JIDO_RESUME_WINDOW_MS).
With --project DIR, a session whose project folder moved or was renamed resumes into DIR (it must
exist, be a folder, be yours and not be a system folder); the old path and the time are kept in the
session's moved_from field.`,
    arguments: [{ ...target, name: '[target]' }],
    options: [
      { flags: '--last', description: 'the most recently closed session' },
      { flags: '--project <dir>', description: 'resume into this project folder (the old one moved)' },
    ],
    run: async (context, input) => {
      const chosen = input.args[0];
      const project = stringOption(input, 'project');
      return (await import('./commands/resume.js')).resumeCommand(context, {
        ...(chosen === undefined ? {} : { target: chosen }),
        ...(project === undefined ? {} : { project }),
        last: flag(input, 'last'),
      });
    },
  },
];
