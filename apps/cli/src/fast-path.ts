import type { GlobalOptions } from './context.js';

/** A one-shot command that runs without Commander: which one, and its own arguments. */
export type FastCommand =
  | { readonly kind: 'list'; readonly all: boolean }
  | { readonly kind: 'import'; readonly file: string; readonly newId: boolean };

/** A command line read without Commander: the global options and the command. */
export interface FastInvocation {
  readonly options: GlobalOptions;
  readonly command: FastCommand;
}

/**
 * Reads `argv` as `jido sessions list [--all]` or `jido sessions import <file> [--new-id]` when it
 * is plainly one of them, so the commonest one-shot commands run without loading Commander and
 * building the whole command table. Accepts `--home <dir>`, `--store <url|dir>`, `--json` and
 * `--verbose` before the two words or after them (not between), and the command's own flag and
 * argument after them. Anything else (`--help`, `--home=dir`, a value or file that starts with
 * `-`, a stray or missing word) returns undefined, and Commander parses it, errors included: the
 * fast path never changes what a command line means.
 */
export function fastInvocation(argv: readonly string[]): FastInvocation | undefined {
  let home: string | undefined;
  let store: string | undefined;
  let json = false;
  let verbose = false;
  let subcommand: string | undefined;
  let grouped = false;
  let flag = false;
  let file: string | undefined;
  for (let position = 0; position < argv.length; position++) {
    const word = argv[position] ?? '';
    const between = grouped && subcommand === undefined;
    if ((word === '--home' || word === '--store') && !between) {
      const value = argv[++position];
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      if (word === '--home') home = value;
      else store = value;
    } else if (word === '--json' && !between) json = true;
    else if (word === '--verbose' && !between) verbose = true;
    else if (word === 'sessions' && !grouped) grouped = true;
    else if ((word === 'list' || word === 'import') && between) subcommand = word;
    else if (word === '--all' && subcommand === 'list') flag = true;
    else if (word === '--new-id' && subcommand === 'import') flag = true;
    else if (subcommand === 'import' && file === undefined && word !== '' && !word.startsWith('-'))
      file = word;
    else return undefined;
  }
  const options = {
    ...(home === undefined ? {} : { home }),
    ...(store === undefined ? {} : { store }),
    json,
    verbose,
  };
  if (subcommand === 'list') return { options, command: { kind: 'list', all: flag } };
  if (subcommand === 'import' && file !== undefined) {
    return { options, command: { kind: 'import', file, newId: flag } };
  }
  return undefined;
}
