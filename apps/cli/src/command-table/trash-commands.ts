import { positiveNumber, wholeNumber } from '../option-parsers.js';
import { type CommandDefinition, flag, numberOption } from './definition.js';

// The subcommands that move sessions to the trash and out of it: trash, clear, cleanup.

export const trashDefinition: CommandDefinition = {
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
    return (await import('../commands/trash.js')).trashCommand(context, input.args[0], input.args[1], {
      newId: flag(input, 'newId'),
      yes: flag(input, 'yes'),
      ...(olderThan === undefined ? {} : { olderThan }),
    });
  },
};

export const clearDefinition: CommandDefinition = {
  path: ['sessions', 'clear'],
  description: 'move every saved session that is neither open nor pinned to the trash (asks first)',
  options: [
    { flags: '-y, --yes', description: 'do not ask: required when input is not a terminal' },
    { flags: '--purge', description: 'delete them for good instead (cannot be undone)' },
  ],
  run: async (context, input) =>
    (await import('../commands/clear.js')).clearCommand(context, {
      yes: flag(input, 'yes'),
      purge: flag(input, 'purge'),
    }),
};

export const cleanupDefinition: CommandDefinition = {
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
    return (await import('../commands/cleanup.js')).cleanupCommand(context, {
      dryRun: flag(input, 'dryRun'),
      yes: flag(input, 'yes'),
      purge: flag(input, 'purge'),
      ...(maxAge === undefined ? {} : { maxAge }),
      ...(maxCount === undefined ? {} : { maxCount }),
    });
  },
};
