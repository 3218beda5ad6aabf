import { integerOffset, wholeNumber } from '../option-parsers.js';
import { type CommandDefinition, flag, numberOption, stringOption, target, text } from './definition.js';

// `jido sessions` subcommands on one saved session: list, show, delete, pin, unpin, rename, fork.

export const listDefinition: CommandDefinition = {
  path: ['sessions', 'list'],
  description: 'saved sessions, most recently closed first',
  options: [{ flags: '--all', description: 'include sessions open in another jido process' }],
  run: async (context, input) =>
    (await import('../commands/list.js')).listCommand(context, { all: flag(input, 'all') }),
};

export const showDefinition: CommandDefinition = {
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
    (await import('../commands/show.js')).showCommand(context, text(input, 0), {
      offset: numberOption(input, 'offset') ?? 0,
      limit: numberOption(input, 'limit') ?? 50,
      trash: flag(input, 'trash'),
    }),
};

export const deleteDefinition: CommandDefinition = {
  path: ['sessions', 'delete'],
  description: "move one saved session to the trash ('jido sessions trash restore' puts it back)",
  arguments: [target],
  options: [
    { flags: '--purge', description: 'delete it for good instead (cannot be undone)' },
    { flags: '-f, --force', description: 'delete it even though it is pinned' },
  ],
  run: async (context, input) =>
    (await import('../commands/delete.js')).deleteCommand(context, text(input, 0), {
      purge: flag(input, 'purge'),
      force: flag(input, 'force'),
    }),
};

export const pinDefinition: CommandDefinition = {
  path: ['sessions', 'pin'],
  description: 'pin a saved session: cleanup, clear and the session limit never remove it',
  arguments: [target],
  run: async (context, input) =>
    (await import('../commands/pin.js')).pinCommand(context, text(input, 0), true),
};

export const unpinDefinition: CommandDefinition = {
  path: ['sessions', 'unpin'],
  description: 'unpin a saved session, so retention applies to it again',
  arguments: [target],
  run: async (context, input) =>
    (await import('../commands/pin.js')).pinCommand(context, text(input, 0), false),
};

export const renameDefinition: CommandDefinition = {
  path: ['sessions', 'rename'],
  description: 'rename one saved session (1–50 characters; a longer name is refused)',
  arguments: [target, { name: '<name>', description: 'the new name' }],
  run: async (context, input) =>
    (await import('../commands/rename.js')).renameCommand(context, text(input, 0), text(input, 1)),
};

export const forkDefinition: CommandDefinition = {
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
    return (await import('../commands/fork.js')).forkCommand(context, text(input, 0), {
      ...(at === undefined ? {} : { at }),
      ...(name === undefined ? {} : { name }),
    });
  },
};
