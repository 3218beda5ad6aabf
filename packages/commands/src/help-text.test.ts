import { describe, expect, it } from 'vitest';
import { type Command, helpTopics, type SlashCommandKind } from './command.js';
import { commandForms } from './command-forms.js';
import { helpText } from './help-text.js';
import { parseLine } from './parse-command.js';

/** A line of each command kind, to check help and parser agree on every form. */
const examples: Readonly<Record<SlashCommandKind, string>> = {
  'session.new': '/session new ./api --name=api',
  'session.list': '/session list',
  'session.switch': '/session switch 2',
  'session.close': '/session close',
  'session.rename': '/session rename api',
  'session.save': '/session save',
  'session.pin': '/session pin',
  'session.unpin': '/session unpin',
  'session.fork': '/session fork 2 --name=try',
  'resume.list': '/resume',
  'resume.open': '/resume 1',
  'resume.delete': '/resume delete 1',
  'resume.clear': '/resume clear --yes',
  'todo.add': '/todo add Ship it',
  'todo.start': '/todo start 1',
  'todo.done': '/todo done 1',
  'todo.list': '/todo list',
  search: '/search flaky test',
  model: '/model anthropic/claude-sonnet-4-5',
  usage: '/usage',
  retry: '/retry',
  help: '/help',
  quit: '/quit',
};

/** The command forms of the design's contract, word for word. */
const contractForms = [
  '/session new [path] [--name=NAME]',
  '/session list',
  '/session switch <target>',
  '/session close [target]',
  '/session rename <name>',
  '/session save [target]',
  '/session fork [N] [--name=NAME]',
  '/resume',
  '/resume <target>',
  '/resume delete <target>',
  '/resume clear [--yes]',
  '/todo add <text>',
  '/todo start <n>',
  '/todo done <n>',
  '/todo list',
  '/help',
  '/quit',
];

describe('helpText', () => {
  const text = helpText();

  it('mentions every command form, one line each, with what it does', () => {
    for (const [kind, form] of Object.entries(commandForms)) {
      const lines = text.split('\n').filter((line) => line.trim().startsWith(`${form.usage}  `));
      expect(lines, kind).toHaveLength(1);
      expect(lines[0]).toContain(form.summary);
    }
  });

  it('mentions every form of the public command line', () => {
    for (const form of contractForms) expect(text).toContain(form);
  });

  it('documents forms the parser really accepts, each parsing to its own kind', () => {
    for (const [kind, line] of Object.entries(examples)) {
      const result = parseLine(line);
      expect(result.ok && (result.value as Command).kind, line).toBe(kind);
    }
  });

  it('explains targets and messages', () => {
    expect(text).toContain('A <target> is a number from the list');
    expect(text).toContain('//');
  });

  it('narrows to one topic', () => {
    const todo = helpText('todo');
    expect(todo).toContain('/todo start <n>');
    expect(todo).not.toContain('/session');
    expect(helpText('session')).toContain('A <target>');
    for (const topic of helpTopics) expect(helpText(topic).length).toBeGreaterThan(0);
  });
});
