import type { HelpTopic, SlashCommandKind } from './command.js';

/** How one slash command is written and what it does: the one source for usage errors and help. */
export interface CommandForm {
  /** The group it belongs to, which is also its help topic. */
  readonly topic: HelpTopic;
  /** The grammar, as shown in usage errors and help: `/todo start <n>`. */
  readonly usage: string;
  /** One line saying what it does. */
  readonly summary: string;
}

/**
 * The grammar of every slash command, keyed by {@link SlashCommandKind}. Being a `Record` over the
 * kinds, a new command cannot be added to {@link Command} without its form and help line.
 */
export const commandForms: Readonly<Record<SlashCommandKind, CommandForm>> = {
  'session.new': {
    topic: 'session',
    usage: '/session new [path] [--name=NAME]',
    summary: 'Open a session on a project folder (default: the current folder).',
  },
  'session.list': { topic: 'session', usage: '/session list', summary: 'List the open sessions.' },
  'session.switch': {
    topic: 'session',
    usage: '/session switch <target>',
    summary: 'Make another open session the active one.',
  },
  'session.close': {
    topic: 'session',
    usage: '/session close [target]',
    summary: 'Save and close a session (default: the active one).',
  },
  'session.rename': {
    topic: 'session',
    usage: '/session rename <name>',
    summary: 'Rename the active session.',
  },
  'session.pin': {
    topic: 'session',
    usage: '/session pin',
    summary: 'Pin the active session: cleanup, clear and the session limit never remove it.',
  },
  'session.unpin': {
    topic: 'session',
    usage: '/session unpin',
    summary: 'Unpin the active session.',
  },
  'session.save': {
    topic: 'session',
    usage: '/session save [target]',
    summary: 'Save a session now (default: the active one).',
  },
  'session.fork': {
    topic: 'session',
    usage: '/session fork [N] [--name=NAME]',
    summary: 'Fork the active session at message N (default: all) and switch to the fork.',
  },
  'resume.list': { topic: 'resume', usage: '/resume', summary: 'List the saved sessions you can resume.' },
  'resume.open': { topic: 'resume', usage: '/resume <target>', summary: 'Bring a saved session back.' },
  'resume.delete': {
    topic: 'resume',
    usage: '/resume delete <target>',
    summary: "Move one saved session to the trash ('jido sessions trash' restores it).",
  },
  'resume.clear': {
    topic: 'resume',
    usage: '/resume clear [--yes]',
    summary: 'Move every saved session neither open nor pinned to the trash (--yes on a pipe).',
  },
  'todo.add': { topic: 'todo', usage: '/todo add <text>', summary: 'Add a todo to the active session.' },
  'todo.start': { topic: 'todo', usage: '/todo start <n>', summary: 'Mark todo n as in progress.' },
  'todo.done': { topic: 'todo', usage: '/todo done <n>', summary: 'Mark todo n as done.' },
  'todo.list': { topic: 'todo', usage: '/todo list', summary: "List the active session's todos." },
  search: {
    topic: 'search',
    usage: '/search <words…>',
    summary: 'Search every saved message: words as prefixes, "a phrase", -excluded.',
  },
  model: {
    topic: 'model',
    usage: '/model [<provider>/<model>]',
    summary: "Show the active session's model, or change it (saved): anthropic/… or openai/….",
  },
  usage: { topic: 'model', usage: '/usage', summary: "Show the active session's tokens and cost." },
  retry: { topic: 'model', usage: '/retry', summary: 'Send your last message to the model again.' },
  help: { topic: 'help', usage: '/help [topic]', summary: 'Show this help, or the help of one group.' },
  quit: { topic: 'quit', usage: '/quit', summary: 'Save and close every open session, then leave.' },
};

/** The usage line of a whole group, for a missing or unknown subcommand: `/session new|list|…`. */
export const groupUsage: Readonly<Record<HelpTopic, string>> = {
  session: '/session new|list|switch|close|rename|save|fork|pin|unpin …',
  resume: '/resume [<target>|delete <target>|clear [--yes]]',
  todo: '/todo add|start|done|list …',
  search: commandForms.search.usage,
  model: '/model [<provider>/<model>] | /usage | /retry',
  help: commandForms.help.usage,
  quit: commandForms.quit.usage,
};
