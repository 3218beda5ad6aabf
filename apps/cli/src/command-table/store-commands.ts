import { positiveNumber, wholeNumber } from '../option-parsers.js';
import { type CommandDefinition, flag, numberOption, stringOption, wordsOf } from './definition.js';

// The subcommands over the whole store: verify, search, reindex, scan, keys rotate, doctor.

export const verifyDefinition: CommandDefinition = {
  path: ['sessions', 'verify'],
  description: "check every session file's size, schema and signature; exit 1 if any fails",
  run: async (context) => (await import('../commands/verify.js')).verifyCommand(context),
};

export const searchDefinition: CommandDefinition = {
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
    return (await import('../commands/search.js')).searchCommand(context, wordsOf(input), {
      project: stringOption(input, 'project'),
      sinceDays: numberOption(input, 'since'),
      role: role as 'user' | 'assistant' | 'system' | 'tool' | undefined,
      limit: numberOption(input, 'limit') ?? 20,
      trash: flag(input, 'trash'),
    });
  },
};

export const reindexDefinition: CommandDefinition = {
  path: ['sessions', 'reindex'],
  description: 'rebuild the search index from the signed session files',
  run: async (context) => (await import('../commands/reindex.js')).reindexCommand(context),
};

export const scanDefinition: CommandDefinition = {
  path: ['sessions', 'scan'],
  description: 'count the secrets in saved and trashed sessions by kind; --fix redacts them and re-signs',
  options: [
    { flags: '--fix', description: 'redact what was found, in place (asks first on a terminal)' },
    { flags: '-y, --yes', description: 'do not ask: required with --fix when input is not a terminal' },
  ],
  run: async (context, input) =>
    (await import('../commands/scan.js')).scanCommand(context, {
      fix: flag(input, 'fix'),
      yes: flag(input, 'yes'),
    }),
};

export const keysRotateDefinition: CommandDefinition = {
  path: ['keys', 'rotate'],
  description: 'start signing with a new key; sessions signed with older keys still verify',
  run: async (context) => (await import('../commands/keys-rotate.js')).keysRotateCommand(context),
};

export const doctorDefinition: CommandDefinition = {
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
    (await import('../commands/doctor.js')).doctorCommand(context, { fix: flag(input, 'fix') }),
};
