import { positiveNumber } from '../option-parsers.js';
import { type CommandDefinition, flag, numberOption, stringOption, target, text } from './definition.js';

// The subcommands that bring sessions in or write them out: export, import, migrate, `jido import`.

export const exportDefinition: CommandDefinition = {
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
    return (await import('../commands/export.js')).exportCommand(context, text(input, 0), {
      format: format === 'md' ? 'md' : 'json',
      force: flag(input, 'force'),
      trash: flag(input, 'trash'),
      ...(output === undefined ? {} : { output }),
    });
  },
};

export const importDefinition: CommandDefinition = {
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
    (await import('../commands/import.js')).importCommand(context, text(input, 0), {
      newId: flag(input, 'newId'),
    }),
};

export const migrateDefinition: CommandDefinition = {
  path: ['sessions', 'migrate'],
  description: 'rewrite JidoCode files into this format, originals backed up under backup/jidocode/',
  options: [{ flags: '--dry-run', description: 'report what would be migrated and write nothing' }],
  run: async (context, input) =>
    (await import('../commands/migrate.js')).migrateCommand(context, { dryRun: flag(input, 'dryRun') }),
};

export const importAssistantDefinition: CommandDefinition = {
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
    return (await import('../commands/import-assistant.js')).importAssistantCommand(context, text(input, 0), {
      ...(path === undefined ? {} : { path }),
      ...(project === undefined ? {} : { project }),
      ...(sinceDays === undefined ? {} : { sinceDays }),
      dryRun: flag(input, 'dryRun'),
      update: flag(input, 'update'),
      includeSidechains: flag(input, 'includeSidechains'),
    });
  },
};
