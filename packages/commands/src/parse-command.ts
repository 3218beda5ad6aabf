import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import { type Command, type HelpTopic, helpTopics } from './command.js';
import { commandForms, groupUsage } from './command-forms.js';
import { quoteInput } from './display-text.js';
import { closestMatch } from './edit-distance.js';
import { describeTokenizeError, readToken, type Token, tokenize } from './tokenize.js';

/**
 * A `usage` error: the message names the right form (`Usage: /todo start <n>`), after a short
 * reason when there is one; `details.usage` holds the form alone.
 */
export function usageError(usage: string, reason?: string): JidoError {
  const message = reason === undefined ? `Usage: ${usage}` : `${reason} Usage: ${usage}`;
  return new JidoError('usage', message, { details: { usage } });
}

/**
 * Parses one line of shell input into a {@link Command}, or a `usage` {@link JidoError} naming the
 * right form. Never throws.
 *
 * - One trailing line ending (`\n`, `\r\n`) is ignored. A line of only whitespace is `empty`.
 * - A line whose first character is not `/` is a `message`, kept verbatim (leading spaces too).
 *   `//text` is the message `/text`: the doubled slash escapes a message that starts with `/`.
 * - Otherwise it is a command. Command and subcommand words are case-insensitive; arguments are
 *   split with {@link tokenize}'s quoting (`'…'`, `"…"`, backslash). A subcommand word that was
 *   quoted is never a keyword: `/resume "clear"` opens a session named `clear`.
 * - Free text (`/todo add <text>`, `/session rename <name>`) is the rest of the line as typed, so
 *   apostrophes need no quoting; when that rest is exactly one quoted word, its quotes come off.
 * - A todo number is a positive whole number in plain digits.
 * - An unknown command or subcommand suggests the closest known one.
 */
export function parseLine(line: string): Result<Command> {
  const text = line.replace(/\r?\n$/, '');
  if (text.trim() === '') return ok({ kind: 'empty' });
  if (!text.startsWith('/')) return ok({ kind: 'message', text });
  if (text.startsWith('//')) return ok({ kind: 'message', text: text.slice(1) });
  const word = /^\/(\S+)/.exec(text)?.[1];
  if (word === undefined) return err(unknownCommand(''));
  const group = word.toLowerCase();
  const rest = 1 + word.length;
  switch (group) {
    case 'session':
      return parseSession(text, rest);
    case 'resume':
      return parseResume(text, rest);
    case 'todo':
      return parseTodo(text, rest);
    case 'search': {
      const words = freeText(text, rest, commandForms.search.usage, 'search');
      return words.ok ? ok({ kind: 'search', text: words.value }) : words;
    }
    case 'model':
      return withArguments(text, rest, commandForms.model.usage, 0, 1, ([spec]) =>
        ok(spec === undefined ? { kind: 'model' } : { kind: 'model', spec }),
      );
    case 'usage':
      return withArguments(text, rest, commandForms.usage.usage, 0, 0, () => ok({ kind: 'usage' }));
    case 'retry':
      return withArguments(text, rest, commandForms.retry.usage, 0, 0, () => ok({ kind: 'retry' }));
    case 'help':
      return parseHelp(text, rest);
    case 'quit':
      return withArguments(text, rest, commandForms.quit.usage, 0, 0, () => ok({ kind: 'quit' }));
    default:
      return err(unknownCommand(word));
  }
}

/**
 * An unknown command: with a close match, `Did you mean "/session"?` and that group's form; without,
 * the form of `/help`.
 */
function unknownCommand(word: string): JidoError {
  if (word === '') return usageError(commandForms.help.usage, 'A command name is missing after "/".');
  const unknown = `Unknown command ${quoteInput(`/${word}`)}.`;
  const suggestion = closestMatch(word, helpTopics);
  return suggestion === undefined
    ? usageError(commandForms.help.usage, `${unknown} Type /help for the list of commands.`)
    : usageError(groupUsage[suggestion], `${unknown} Did you mean "/${suggestion}"?`);
}

/** Reads the subcommand word after the group; `undefined` when the line ends there. */
type Subcommand = { readonly keyword: string | undefined; readonly token: Token } | undefined;

function readSubcommand(text: string, from: number, usage: string): Result<Subcommand> {
  const next = readToken(text, from);
  if (!next.ok) return err(usageError(usage, describeTokenizeError(next.error)));
  const token = next.value;
  if (token === undefined) return ok(undefined);
  const quoted = token.raw !== token.value;
  return ok({ keyword: quoted ? undefined : token.value.toLowerCase(), token });
}

function unknownSubcommand(group: HelpTopic, token: Token, subcommands: readonly string[]): JidoError {
  const suggestion = closestMatch(token.value, subcommands);
  const hint = suggestion === undefined ? '' : ` Did you mean "/${group} ${suggestion}"?`;
  return usageError(groupUsage[group], `Unknown subcommand ${quoteInput(token.value)} for /${group}.${hint}`);
}

/**
 * Splits the arguments after `from`, checks there are `min` to `max` of them and builds the
 * command; a wrong count or a quoting error is a usage error with `usage`.
 */
function withArguments(
  text: string,
  from: number,
  usage: string,
  min: number,
  max: number,
  build: (values: readonly string[]) => Result<Command>,
): Result<Command> {
  const tokens = tokenize(text, from);
  if (!tokens.ok) return err(usageError(usage, describeTokenizeError(tokens.error)));
  const count = tokens.value.length;
  if (count < min) return err(usageError(usage));
  if (count > max) {
    const reason =
      max === 0 ? 'This command takes no arguments.' : 'Too many arguments (quote a name that has spaces).';
    return err(usageError(usage, reason));
  }
  return build(tokens.value.map((token) => token.value));
}

/**
 * The free text after `from`: the rest of the line trimmed or, when the whole rest is one quoted
 * word, that word without its quotes. Empty text is a usage error; so is a rest whose opening
 * quote never closes. A quote later in the text is just a character (`Fix "the" parser's bug`).
 */
function freeText(text: string, from: number, usage: string, what: string): Result<string> {
  const rest = text.slice(from).trim();
  if (rest === '') return err(usageError(usage));
  if (!rest.startsWith('"') && !rest.startsWith("'")) return ok(rest);
  const first = readToken(rest, 0);
  if (!first.ok) return err(usageError(usage, describeTokenizeError(first.error)));
  if (first.value === undefined || first.value.end !== rest.length) return ok(rest);
  return first.value.value.trim() === ''
    ? err(usageError(usage, `The ${what} cannot be empty.`))
    : ok(first.value.value);
}

/** A target typed as `""` or `'  '` names nothing: a usage error rather than a lookup of "". */
function checkTarget(usage: string, target: string, build: () => Result<Command>): Result<Command> {
  return target.trim() === '' ? err(usageError(usage, 'The target cannot be empty.')) : build();
}

const sessionSubcommands = [
  'new',
  'list',
  'switch',
  'close',
  'rename',
  'save',
  'fork',
  'pin',
  'unpin',
] as const;

function parseSession(text: string, from: number): Result<Command> {
  const subcommand = readSubcommand(text, from, groupUsage.session);
  if (!subcommand.ok) return subcommand;
  if (subcommand.value === undefined) return err(usageError(groupUsage.session));
  const { keyword, token } = subcommand.value;
  const after = token.end;
  switch (keyword) {
    case 'new':
      return parseSessionNew(text, after);
    case 'list':
      return withArguments(text, after, commandForms['session.list'].usage, 0, 0, () =>
        ok({ kind: 'session.list' }),
      );
    case 'switch': {
      const usage = commandForms['session.switch'].usage;
      return withArguments(text, after, usage, 1, 1, ([target = '']) =>
        checkTarget(usage, target, () => ok({ kind: 'session.switch', target })),
      );
    }
    case 'close':
    case 'save': {
      const kind = keyword === 'close' ? 'session.close' : 'session.save';
      const usage = commandForms[kind].usage;
      return withArguments(text, after, usage, 0, 1, ([target]) =>
        target === undefined ? ok({ kind }) : checkTarget(usage, target, () => ok({ kind, target })),
      );
    }
    case 'pin':
    case 'unpin': {
      const kind = keyword === 'pin' ? 'session.pin' : 'session.unpin';
      return withArguments(text, after, commandForms[kind].usage, 0, 0, () => ok({ kind }));
    }
    case 'fork':
      return parseSessionFork(text, after);
    case 'rename': {
      const name = freeText(text, after, commandForms['session.rename'].usage, 'name');
      return name.ok ? ok({ kind: 'session.rename', name: name.value }) : name;
    }
    default:
      return err(unknownSubcommand('session', token, sessionSubcommands));
  }
}

/**
 * `/session new [path] [--name=NAME]`: at most one path, and the name as `--name=NAME`,
 * `--name NAME` or `--name="two words"` (any quoting). `--` ends the options, for a path that
 * starts with `--`.
 */
function parseSessionNew(text: string, from: number): Result<Command> {
  const parsed = parseNameAndOperand(text, from, commandForms['session.new'].usage, 'path');
  if (!parsed.ok) return parsed;
  const { operand: path, name } = parsed.value;
  return ok({
    kind: 'session.new',
    ...(path === undefined ? {} : { path }),
    ...(name === undefined ? {} : { name }),
  });
}

/** `/session fork [N] [--name=NAME]`: N a whole number from 1, the name as for `/session new`. */
function parseSessionFork(text: string, from: number): Result<Command> {
  const usage = commandForms['session.fork'].usage;
  const parsed = parseNameAndOperand(text, from, usage, 'message number');
  if (!parsed.ok) return parsed;
  const { operand, name } = parsed.value;
  const at = operand === undefined ? undefined : parsePositiveInteger(operand);
  if (operand !== undefined && at === undefined) {
    return err(usageError(usage, 'N is a message number: a whole number from 1.'));
  }
  return ok({
    kind: 'session.fork',
    ...(at === undefined ? {} : { at }),
    ...(name === undefined ? {} : { name }),
  });
}

/** At most one operand and an optional `--name`, in any order; `--` ends the options. */
function parseNameAndOperand(
  text: string,
  from: number,
  usage: string,
  operandLabel: string,
): Result<{ operand: string | undefined; name: string | undefined }> {
  const tokens = tokenize(text, from);
  if (!tokens.ok) return err(usageError(usage, describeTokenizeError(tokens.error)));
  let path: string | undefined;
  let name: string | undefined;
  let optionsEnded = false;
  const queue = [...tokens.value];
  for (let token = queue.shift(); token !== undefined; token = queue.shift()) {
    const isOption = !optionsEnded && token.raw.startsWith('--');
    if (isOption && token.raw === '--') {
      optionsEnded = true;
      continue;
    }
    if (isOption) {
      const option = /^--([^=]*)(=?)/.exec(token.value);
      if (option?.[1] !== 'name') return err(usageError(usage, `Unknown option ${quoteInput(token.value)}.`));
      if (name !== undefined) return err(usageError(usage, 'The name is given twice.'));
      let value: string | undefined = token.value.slice('--name='.length);
      if (option[2] === '') {
        const next = queue.shift();
        value = next === undefined || next.raw.startsWith('--') ? undefined : next.value;
      }
      if (value === undefined) return err(usageError(usage, '--name needs a value.'));
      if (value.trim() === '') return err(usageError(usage, 'The name cannot be empty.'));
      name = value;
      continue;
    }
    if (path !== undefined) {
      const hint = operandLabel === 'path' ? ' (quote a path that has spaces)' : '';
      return err(usageError(usage, `Only one ${operandLabel} is allowed${hint}.`));
    }
    if (token.value === '') return err(usageError(usage, `The ${operandLabel} cannot be empty.`));
    path = token.value;
  }
  return ok({ operand: path, name });
}

function parseResume(text: string, from: number): Result<Command> {
  const subcommand = readSubcommand(text, from, groupUsage.resume);
  if (!subcommand.ok) return subcommand;
  if (subcommand.value === undefined) return ok({ kind: 'resume.list' });
  const { keyword, token } = subcommand.value;
  if (keyword === 'delete') {
    const usage = commandForms['resume.delete'].usage;
    return withArguments(text, token.end, usage, 1, 1, ([target = '']) =>
      checkTarget(usage, target, () => ok({ kind: 'resume.delete', target })),
    );
  }
  if (keyword === 'clear') {
    const usage = commandForms['resume.clear'].usage;
    return withArguments(text, token.end, usage, 0, 1, ([option]) => {
      if (option === undefined) return ok({ kind: 'resume.clear', yes: false });
      return option === '--yes' || option === '-y'
        ? ok({ kind: 'resume.clear', yes: true })
        : err(usageError(usage, `Unknown option ${quoteInput(option)}.`));
    });
  }
  const words = tokenize(text, from);
  if (!words.ok)
    return err(usageError(commandForms['resume.open'].usage, describeTokenizeError(words.error)));
  if (words.value.length > 1) return err(resumeTooManyArguments(token));
  return checkTarget(commandForms['resume.open'].usage, token.value, () =>
    ok({ kind: 'resume.open', target: token.value }),
  );
}

/** `/resume a b`: a typo of a subcommand gets a suggestion, anything else the plain form. */
function resumeTooManyArguments(first: Token): JidoError {
  const suggestion = closestMatch(first.value, ['delete', 'clear']);
  return suggestion === undefined
    ? usageError(commandForms['resume.open'].usage, 'Too many arguments (quote a name that has spaces).')
    : usageError(
        commandForms[suggestion === 'delete' ? 'resume.delete' : 'resume.clear'].usage,
        `Unknown subcommand ${quoteInput(first.value)} for /resume. Did you mean "/resume ${suggestion}"?`,
      );
}

const todoSubcommands = ['add', 'start', 'done', 'list'] as const;

function parseTodo(text: string, from: number): Result<Command> {
  const subcommand = readSubcommand(text, from, groupUsage.todo);
  if (!subcommand.ok) return subcommand;
  if (subcommand.value === undefined) return err(usageError(groupUsage.todo));
  const { keyword, token } = subcommand.value;
  switch (keyword) {
    case 'add': {
      const todo = freeText(text, token.end, commandForms['todo.add'].usage, 'todo text');
      return todo.ok ? ok({ kind: 'todo.add', text: todo.value }) : todo;
    }
    case 'start':
    case 'done': {
      const kind = keyword === 'start' ? 'todo.start' : 'todo.done';
      const usage = commandForms[kind].usage;
      return withArguments(text, token.end, usage, 1, 1, ([number = '']) => {
        const index = parsePositiveInteger(number);
        return index === undefined
          ? err(usageError(usage, 'n is the todo number from /todo list: a whole number from 1.'))
          : ok({ kind, index });
      });
    }
    case 'list':
      return withArguments(text, token.end, commandForms['todo.list'].usage, 0, 0, () =>
        ok({ kind: 'todo.list' }),
      );
    default:
      return err(unknownSubcommand('todo', token, todoSubcommands));
  }
}

/** `1`, `2`, … in plain ASCII digits; not `0`, `-1`, `1.5`, `+1`, `1e3` or beyond 2^53 - 1. */
function parsePositiveInteger(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && Number.isSafeInteger(value) ? value : undefined;
}

function parseHelp(text: string, from: number): Result<Command> {
  const usage = commandForms.help.usage;
  return withArguments(text, from, usage, 0, 1, ([topic]) => {
    if (topic === undefined) return ok({ kind: 'help' });
    const wanted = topic.replace(/^\//, '').toLowerCase();
    const known = helpTopics.find((candidate) => candidate === wanted);
    return known === undefined
      ? err(usageError(usage, `No help topic ${quoteInput(topic)}. Topics: ${helpTopics.join(', ')}.`))
      : ok({ kind: 'help', topic: known });
  });
}
