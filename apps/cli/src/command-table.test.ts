import { describe, expect, it } from 'vitest';
import { memoryIo } from '../test/memory-io.js';
import { type CommandDefinition, commandGroups, commandTable, type ParsedInput } from './command-table.js';
import { buildProgram, main } from './main.js';
import { wholeNumber } from './option-parsers.js';

describe('the command table', () => {
  it('is what the program offers: every entry under its group, in table order', () => {
    const program = buildProgram(memoryIo('/'), () => undefined);
    const offered = program.commands.flatMap((command) =>
      command.commands.length === 0
        ? [[command.name()]]
        : command.commands.map((sub) => [command.name(), sub.name()]),
    );
    expect(offered).toEqual(commandTable.map((definition) => [...definition.path]));
    for (const group of program.commands.filter((command) => command.commands.length > 0)) {
      expect(group.description()).toBe(commandGroups[group.name()]);
    }
  });

  it('turns one new entry into a working subcommand: arguments, parsed options, defaults, help', async () => {
    const seen: ParsedInput[] = [];
    const ping: CommandDefinition = {
      path: ['sessions', 'ping'],
      description: 'answer with the arguments',
      arguments: [
        { name: '<target>', description: 'what to ping' },
        { name: '[note]', description: 'an optional note' },
      ],
      options: [
        { flags: '--count <n>', description: 'how often', parse: wholeNumber('count', 1), defaultValue: 3 },
        { flags: '--loud', description: 'shout' },
        { flags: '--tone <tone>', description: 'which tone', choices: ['low', 'high'] },
      ],
      run: async (context, input) => {
        seen.push(input);
        context.out('pong');
        return 0;
      },
    };
    let exit = -1;
    const io = memoryIo('/');
    const program = buildProgram(
      io,
      (code) => {
        exit = code;
      },
      [ping],
    );
    await program.parseAsync(['sessions', 'ping', 'api', '--loud', '--tone', 'high'], { from: 'user' });
    expect(exit).toBe(0);
    expect(io.stdoutText()).toBe('pong\n');
    expect(seen).toEqual([{ args: ['api', undefined], options: { count: 3, loud: true, tone: 'high' } }]);

    const help = memoryIo('/');
    const helpProgram = buildProgram(help, () => undefined, [ping]).exitOverride();
    await expect(helpProgram.parseAsync(['sessions', 'ping', '--help'], { from: 'user' })).rejects.toThrow();
    expect(help.stdoutText()).toContain('answer with the arguments');
    expect(help.stdoutText()).toContain('--count <n>');
  });

  it('refuses a bad option value through the table entry’s parser, pointing at the subcommand’s help', async () => {
    const io = memoryIo('/');
    expect(await main(['sessions', 'show', 'x', '--limit', '0'], io)).toBe(2);
    expect(io.stderrText()).toBe(
      "jido: Option '--limit <n>' argument '0' is invalid. limit must be 1 or more. Run 'jido sessions show --help' for usage.\n",
    );
  });
});
