import { JidoError } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { parseLine } from './parse-command.js';

function parsed(line: string): Command {
  const result = parseLine(line);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse: ${result.error.message}`);
  return result.value;
}

function usageOf(line: string): { message: string; usage: unknown } {
  const result = parseLine(line);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(line)} to fail, got ${JSON.stringify(result.value)}`);
  expect(result.error).toBeInstanceOf(JidoError);
  expect(result.error.code).toBe('usage');
  return { message: result.error.message, usage: result.error.details.usage };
}

describe('parseLine: commands that parse', () => {
  const cases: ReadonlyArray<readonly [string, Command]> = [
    ['/session new', { kind: 'session.new' }],
    ['/session new ~/code/api', { kind: 'session.new', path: '~/code/api' }],
    ['/session new --name=api', { kind: 'session.new', name: 'api' }],
    ['/session new ./api --name=api', { kind: 'session.new', path: './api', name: 'api' }],
    ['/session new --name=api ./api', { kind: 'session.new', path: './api', name: 'api' }],
    ['/session new ./api --name api', { kind: 'session.new', path: './api', name: 'api' }],
    ['/session new ./api --name="two words"', { kind: 'session.new', path: './api', name: 'two words' }],
    ["/session new ./api --name='two words'", { kind: 'session.new', path: './api', name: 'two words' }],
    ['/session new ./api --name "two words"', { kind: 'session.new', path: './api', name: 'two words' }],
    ['/session new "--name=not an option"', { kind: 'session.new', path: '--name=not an option' }],
    ['/session new ./api --name=two\\ words', { kind: 'session.new', path: './api', name: 'two words' }],
    ['/session new "/tmp/my project"', { kind: 'session.new', path: '/tmp/my project' }],
    ['/session new /tmp/my\\ project', { kind: 'session.new', path: '/tmp/my project' }],
    ['/session new -- --odd-folder', { kind: 'session.new', path: '--odd-folder' }],
    ['/session new --name=x -- --odd', { kind: 'session.new', path: '--odd', name: 'x' }],
    ['/session new --name="say \\"hi\\""', { kind: 'session.new', name: 'say "hi"' }],
    ['/session fork', { kind: 'session.fork' }],
    ['/session fork 3', { kind: 'session.fork', at: 3 }],
    ['/session fork --name="try b" 3', { kind: 'session.fork', at: 3, name: 'try b' }],
    ['/session FORK 2 --name x', { kind: 'session.fork', at: 2, name: 'x' }],
    ['/session list', { kind: 'session.list' }],
    ['/session switch 2', { kind: 'session.switch', target: '2' }],
    ['/session switch "My Project"', { kind: 'session.switch', target: 'My Project' }],
    ['/session switch 1a2b3c4d', { kind: 'session.switch', target: '1a2b3c4d' }],
    ['/session close', { kind: 'session.close' }],
    ['/session close 3', { kind: 'session.close', target: '3' }],
    ['/session rename Better name', { kind: 'session.rename', name: 'Better name' }],
    ['/session rename "Quoted name"', { kind: 'session.rename', name: 'Quoted name' }],
    ["/session rename Bob's project", { kind: 'session.rename', name: "Bob's project" }],
    ['/session rename "a" and "b"', { kind: 'session.rename', name: '"a" and "b"' }],
    ['/session save', { kind: 'session.save' }],
    ['/session save api', { kind: 'session.save', target: 'api' }],
    ['/resume', { kind: 'resume.list' }],
    ['/resume 1', { kind: 'resume.open', target: '1' }],
    ['/resume "old work"', { kind: 'resume.open', target: 'old work' }],
    ['/resume delete 2', { kind: 'resume.delete', target: '2' }],
    ['/resume delete "old work"', { kind: 'resume.delete', target: 'old work' }],
    ['/resume clear', { kind: 'resume.clear', yes: false }],
    ['/resume clear --yes', { kind: 'resume.clear', yes: true }],
    ['/resume CLEAR -y', { kind: 'resume.clear', yes: true }],
    ['/resume "clear"', { kind: 'resume.open', target: 'clear' }],
    ['/resume "delete"', { kind: 'resume.open', target: 'delete' }],
    ['/todo add Run the tests', { kind: 'todo.add', text: 'Run the tests' }],
    ["/todo add Don't break the build", { kind: 'todo.add', text: "Don't break the build" }],
    ['/todo add "  padded  "', { kind: 'todo.add', text: '  padded  ' }],
    ['/todo add Fix the "parser" bug', { kind: 'todo.add', text: 'Fix the "parser" bug' }],
    ['/todo add "Fix" the parser\'s bug', { kind: 'todo.add', text: '"Fix" the parser\'s bug' }],
    ["/todo add 'Don''t'", { kind: 'todo.add', text: 'Dont' }],
    ['/todo start 1', { kind: 'todo.start', index: 1 }],
    ['/todo done 12', { kind: 'todo.done', index: 12 }],
    ['/todo done 007', { kind: 'todo.done', index: 7 }],
    ['/todo list', { kind: 'todo.list' }],
    ['/help', { kind: 'help' }],
    ['/help session', { kind: 'help', topic: 'session' }],
    ['/help /todo', { kind: 'help', topic: 'todo' }],
    ['/quit', { kind: 'quit' }],
    ['/QUIT', { kind: 'quit' }],
    ['/Session List', { kind: 'session.list' }],
    ['/session   list   ', { kind: 'session.list' }],
    ['/todo\tlist', { kind: 'todo.list' }],
    ['/quit\n', { kind: 'quit' }],
    ['/quit\r\n', { kind: 'quit' }],
  ];

  it.each(cases)('%j', (line, command) => {
    expect(parsed(line)).toEqual(command);
  });
});

describe('parseLine: messages and blank lines', () => {
  const cases: ReadonlyArray<readonly [string, Command]> = [
    ['hello there', { kind: 'message', text: 'hello there' }],
    ['  indented code', { kind: 'message', text: '  indented code' }],
    [' /not a command (leading space)', { kind: 'message', text: ' /not a command (leading space)' }],
    ['//etc/hosts is a file', { kind: 'message', text: '/etc/hosts is a file' }],
    ['///triple', { kind: 'message', text: '//triple' }],
    ['it\'s "quoted"', { kind: 'message', text: 'it\'s "quoted"' }],
    ['message\n', { kind: 'message', text: 'message' }],
    ['', { kind: 'empty' }],
    ['   \t ', { kind: 'empty' }],
    ['\n', { kind: 'empty' }],
  ];

  it.each(cases)('%j', (line, command) => {
    expect(parsed(line)).toEqual(command);
  });
});

describe('parseLine: usage errors name the right form', () => {
  const cases: ReadonlyArray<readonly [string, string, string?]> = [
    ['/session', '/session new|list|switch|close|rename|save|fork|pin|unpin …'],
    ['/session list extra', '/session list', 'takes no arguments'],
    ['/session switch', '/session switch <target>'],
    ['/session switch My Project', '/session switch <target>', 'quote a name'],
    ['/session close 1 2', '/session close [target]', 'Too many arguments'],
    ['/session save 1 2', '/session save [target]'],
    ['/session rename', '/session rename <name>'],
    ['/session rename   ', '/session rename <name>'],
    ['/session rename ""', '/session rename <name>', 'cannot be empty'],
    ['/session rename "unclosed', '/session rename <name>', 'Unclosed double quote'],
    ['/session new a b', '/session new [path] [--name=NAME]', 'Only one path'],
    ['/session fork 0', '/session fork [N] [--name=NAME]', 'whole number from 1'],
    ['/session fork 1 2', '/session fork [N] [--name=NAME]', 'Only one message number'],
    ['/session fork --at=2', '/session fork [N] [--name=NAME]', 'Unknown option'],
    ['/session fork --name', '/session fork [N] [--name=NAME]', '--name needs a value'],
    ['/session new --name', '/session new [path] [--name=NAME]', '--name needs a value'],
    ['/session new --name --other', '/session new [path] [--name=NAME]', '--name needs a value'],
    ['/session new --name=', '/session new [path] [--name=NAME]', 'cannot be empty'],
    ['/session new --name=a --name=b', '/session new [path] [--name=NAME]', 'given twice'],
    ['/session new --verbose', '/session new [path] [--name=NAME]', 'Unknown option "--verbose"'],
    ['/session new "unclosed', '/session new [path] [--name=NAME]', 'Unclosed double quote'],
    ["/session new --name='unclosed", '/session new [path] [--name=NAME]', 'Unclosed single quote'],
    ['/session new path\\', '/session new [path] [--name=NAME]', 'backslash'],
    ['/session new ""', '/session new [path] [--name=NAME]', 'path cannot be empty'],
    ['/session new ./api "--name=quoted"', '/session new [path] [--name=NAME]', 'Only one path'],
    [
      '/session lst',
      '/session new|list|switch|close|rename|save|fork|pin|unpin …',
      'Did you mean "/session list"?',
    ],
    ['/session "list"', '/session new|list|switch|close|rename|save|fork|pin|unpin …', 'Unknown subcommand'],
    ['/resume delete', '/resume delete <target>'],
    ['/resume delete ""', '/resume delete <target>', 'The target cannot be empty.'],
    ['/resume "  "', '/resume <target>', 'The target cannot be empty.'],
    ["/session switch ''", '/session switch <target>', 'The target cannot be empty.'],
    ['/session close ""', '/session close [target]', 'The target cannot be empty.'],
    ['/resume delete 1 2', '/resume delete <target>'],
    ['/resume clear now', '/resume clear [--yes]', 'Unknown option "now".'],
    ['/resume clear --yes now', '/resume clear [--yes]', 'Too many arguments'],
    ['/resume a b', '/resume <target>', 'Too many arguments'],
    ['/resume delte 3', '/resume delete <target>', 'Did you mean "/resume delete"?'],
    ['/resume "unclosed', '/resume [<target>|delete <target>|clear [--yes]]', 'Unclosed double quote'],
    ['/todo', '/todo add|start|done|list …'],
    ['/todo add', '/todo add <text>'],
    ['/todo add "unclosed', '/todo add <text>', 'Unclosed'],
    ['/todo start', '/todo start <n>'],
    ['/todo start 0', '/todo start <n>', 'whole number from 1'],
    ['/todo start abc', '/todo start <n>', 'whole number from 1'],
    ['/todo start -1', '/todo start <n>', 'whole number from 1'],
    ['/todo start 1.5', '/todo start <n>', 'whole number from 1'],
    ['/todo start +1', '/todo start <n>', 'whole number from 1'],
    ['/todo start 1e3', '/todo start <n>', 'whole number from 1'],
    ['/todo start 99999999999999999999', '/todo start <n>', 'whole number from 1'],
    ['/todo start 1 2', '/todo start <n>'],
    ['/todo done', '/todo done <n>'],
    ['/todo done x', '/todo done <n>'],
    ['/todo list all', '/todo list'],
    ['/todo ad x', '/todo add|start|done|list …', 'Did you mean "/todo add"?'],
    ['/help nothing', '/help [topic]', 'No help topic "nothing"'],
    ['/help a b', '/help [topic]'],
    ['/quit now', '/quit', 'takes no arguments'],
    [
      '/sesion list',
      '/session new|list|switch|close|rename|save|fork|pin|unpin …',
      'Did you mean "/session"?',
    ],
    ['/resum', '/resume [<target>|delete <target>|clear [--yes]]', 'Did you mean "/resume"?'],
    ['/tod add x', '/todo add|start|done|list …', 'Did you mean "/todo"?'],
    ['/hlep', '/help [topic]', 'Did you mean "/help"?'],
    ['/exit', '/quit', 'Unknown command "/exit". Did you mean "/quit"?'],
    ['/xyzzy', '/help [topic]', 'Type /help for the list of commands.'],
    ['/', '/help [topic]', 'A command name is missing'],
    ['/ help', '/help [topic]', 'A command name is missing'],
  ];

  it.each(cases)('%j', (line = '', usage, reason) => {
    const error = usageOf(line);
    expect(error.usage).toBe(usage);
    expect(error.message).toContain(`Usage: ${usage}`);
    if (reason !== undefined) expect(error.message).toContain(reason);
  });

  it('names the form alone when an argument is missing', () => {
    expect(usageOf('/todo start').message).toBe('Usage: /todo start <n>');
    expect(usageOf('/session switch').message).toBe('Usage: /session switch <target>');
  });

  it('suggests nothing for a word far from every command', () => {
    expect(usageOf('/xyzzy').message).not.toContain('Did you mean');
  });

  it('echoes at most a little of what was typed', () => {
    const error = usageOf(`/${'x'.repeat(500)}`);
    expect(error.message.length).toBeLessThan(160);
  });

  it('replaces control characters in what it echoes', () => {
    expect(usageOf('/x\u001b[31m').message).not.toContain('\u001b');
  });
});

describe('parseLine: properties', () => {
  it('never throws, and always returns a command or a usage error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (line) => {
        const result = parseLine(line);
        if (!result.ok) expect(result.error.code).toBe('usage');
      }),
    );
  });

  it('never throws on lines built from the command alphabet', () => {
    const word = fc.constantFrom(
      '/session',
      '/resume',
      '/todo',
      'new',
      'list',
      'switch',
      'delete',
      'start',
      '--name',
      '--name=',
      '"',
      "'",
      '\\',
      '--',
      '1',
      'a b',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const result = parseLine(words.join(' '));
        if (!result.ok) expect(result.error.code).toBe('usage');
      }),
    );
  });

  it('reads any name back from --name with double quotes and escapes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }).filter((name) => name.trim() !== ''),
        (name) => {
          const escaped = name.replace(/[\\"]/g, (character) => `\\${character}`);
          expect(parsed(`/session new --name="${escaped}"`)).toEqual({ kind: 'session.new', name });
        },
      ),
    );
  });

  it('reads any target back from single quotes', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 30 })
          .filter((name) => !name.includes("'") && name.trim() !== ''),
        (target) => {
          expect(parsed(`/session switch '${target}'`)).toEqual({ kind: 'session.switch', target });
        },
      ),
    );
  });

  it('keeps any line not starting with a slash as a message, verbatim', () => {
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: 40 })
          .filter((text) => !text.startsWith('/') && text.trim() !== '' && !/[\r\n]$/.test(text)),
        (text) => {
          expect(parsed(text)).toEqual({ kind: 'message', text });
        },
      ),
    );
  });
});
